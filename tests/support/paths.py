"""Where the tests find their data: one constant per place, so no test counts parent folders."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Small files the tests need, committed with their sources (``SOURCES.md`` in each folder).
FIXTURES = REPO_ROOT / "tests" / "fixtures"
#: The team's shared corpora beside the repository (real feeds, pages, hostile feeds).
SHARED_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
DOCS = REPO_ROOT / "docs"
