"""Where the event happened and what it was about."""

from __future__ import annotations

import pytest

from communique.events.extractor import EventExtractor
from tests.support.extraction import PUBLISHED


@pytest.mark.parametrize(
    ("text", "name", "country", "has_coordinates"),
    [
        ("Chile and Peru held talks in Lima on Monday.", "Lima", "PER", True),
        (
            "The Indian premier met the Brazilian president on the sidelines of the summit in New York.",
            "New York",
            "USA",
            True,
        ),
        ("Chile and Peru held talks in Switzerland.", "Switzerland", "CHE", False),
        ("The Egyptian president hosted the Kenyan president in Cairo.", "Cairo", "EGY", True),
        ("The Polish president visited Ukraine.", "Ukraine", "UKR", False),  # a visit happens where visited
    ],
)
def test_location(extractor: EventExtractor, text: str, name: str, country: str, has_coordinates: bool) -> None:
    events = extractor.extract("loc", text, PUBLISHED)
    assert events
    location = events[0].location
    assert location is not None
    assert (location.name, location.country) == (name, country)
    assert (location.lat is not None and location.lon is not None) == has_coordinates


def test_no_location_rather_than_a_guess(extractor: EventExtractor) -> None:
    events = extractor.extract("loc", "China accused the United States of interference.", PUBLISHED)
    assert events and events[0].location is None


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Egyptian and Israeli negotiators held talks on the Gaza ceasefire.", ["Gaza ceasefire"]),
        ("Italy and Libya met to discuss illegal migration.", ["illegal migration"]),
        ("Poland and Ukraine signed an agreement on energy security.", ["energy security"]),
        ("Chile and Peru held trade talks.", ["trade"]),
        ("Washington imposed sanctions on Iran's oil sector.", []),  # a target, not a subject matter
        ("China accused the United States of interference.", []),
    ],
)
def test_topics(extractor: EventExtractor, text: str, topics: list[str]) -> None:
    events = extractor.extract("topics", text, PUBLISHED)
    assert events
    assert events[0].topics == topics
