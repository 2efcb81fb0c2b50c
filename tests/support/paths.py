"""Where the tests find their data: one constant per place, so no test counts parent folders.

Everything a test reads lives in this repository (``tests/data/SOURCES.md`` names the origin and licence of each
copied file); ``tests/conftest.py`` fails any test that opens a file beside the repository.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Small files written for the tests, each stating its source and the expected result (``SOURCES.md`` per folder).
FIXTURES = REPO_ROOT / "tests" / "fixtures"
#: Third-party data the tests need (captured pages and feeds, benchmark excerpts, dictionaries), with its sources.
DATA = REPO_ROOT / "tests" / "data"
DOCS = REPO_ROOT / "docs"
