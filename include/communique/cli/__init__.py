"""CLI: the ``communique`` command, one module per command group, calling the same functions as the DAGs.

Takes command-line arguments; gives printed reports and an exit status that says whether it did what was asked.
"""
