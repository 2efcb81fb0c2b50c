"""Fixtures of the extraction tests: the real spaCy pipeline, loaded once per test session."""

from __future__ import annotations

import pytest

from communique.events.extractor import EventExtractor


@pytest.fixture(scope="session")
def extractor() -> EventExtractor:
    """The extractor with the pinned small English model (built on first use)."""
    return EventExtractor()
