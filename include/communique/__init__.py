"""Communiqué: news feeds in, diplomatic-event facts out.

Importing the package is cheap on purpose: spaCy, psycopg and httpx load only in the
modules that need them, so DAG parsing and the CLI's ``--help`` stay fast.
"""

__version__ = "0.1.0"
