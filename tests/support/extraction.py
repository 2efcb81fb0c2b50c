"""Helpers of the extraction tests (the extractor itself is the ``extractor`` fixture of their conftest)."""

from __future__ import annotations

from datetime import date

from communique.models import Event

#: A Thursday: "on Wednesday" is 2025-03-05, "on Monday" 2025-03-03.
PUBLISHED = date(2025, 3, 6)


def dyads(events: list[Event]) -> set[tuple[str, str, str]]:
    """(CAMEO code, source country-or-code, target country-or-code) of each event."""
    return {(e.cameo_code, e.source.cameo[:3], e.target.cameo[:3]) for e in events}


def plover_dyads(events: list[Event]) -> set[tuple[str, str, str]]:
    return {(e.plover_type, e.source.cameo[:3], e.target.cameo[:3]) for e in events}
