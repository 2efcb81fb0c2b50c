"""The real spaCy pipeline, loaded once per test session for every extraction test module.

A plain cached function rather than a conftest fixture so that the extraction tests need no
shared conftest: each module's session fixture calls :func:`shared_extractor`, and the model
loads once per process however many modules use it.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from communique.events import EventExtractor
from communique.models import Event

#: A Thursday: "on Wednesday" is 2025-03-05, "on Monday" 2025-03-03.
PUBLISHED = date(2025, 3, 6)


@cache
def shared_extractor() -> EventExtractor:
    """The extractor with the pinned small English model (built on first use)."""
    return EventExtractor()


def dyads(events: list[Event]) -> set[tuple[str, str, str]]:
    """(CAMEO code, source country-or-code, target country-or-code) of each event."""
    return {(e.cameo_code, e.source.cameo[:3], e.target.cameo[:3]) for e in events}


def plover_dyads(events: list[Event]) -> set[tuple[str, str, str]]:
    return {(e.plover_type, e.source.cameo[:3], e.target.cameo[:3]) for e in events}
