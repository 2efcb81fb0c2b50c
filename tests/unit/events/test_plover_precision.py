"""Wordings of the PLOVER misses and false alarms that general rules now code (issue 16, PLOVER target).

Every sentence here is written for the test; none comes from a gold set.
"""

from __future__ import annotations

import pytest

from communique.events.extractor import EventExtractor
from tests.support.extraction import PUBLISHED, dyads


def _dyads(extractor: EventExtractor, text: str) -> set[tuple[str, str, str]]:
    return dyads(extractor.extract("test", text, PUBLISHED))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sri Lanka met Norway on Monday.", ("040", "LKA", "NOR")),
        ("Sri Lanka has established diplomatic ties with Norway.", ("050", "LKA", "NOR")),
    ],
)
def test_a_country_of_two_words_tagged_as_a_person_is_the_country(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dyads(extractor, text)


def test_a_name_inside_a_person_is_still_no_country(extractor: EventExtractor) -> None:
    """'Jordan' in a person's name is not the country (the guard the rule above keeps)."""
    found = _dyads(extractor, "The basketball star Michael Jordan met Norwegian fans in Oslo.")
    assert not any("JOR" in (source, target) for _, source, target in found)


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("France announced on Monday that it would impose sanctions on Chile.", ("163", "FRA", "CHL"), "1312"),
        ("Canada announced it would suspend aid to Chile.", ("162", "CAN", "CHL"), "1311"),
        ("France said on Monday that it would impose sanctions on Chile.", ("1312", "FRA", "CHL"), "163"),
    ],
)
def test_an_announced_measure_is_the_measure_a_said_one_a_threat(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str], not_expected: str
) -> None:
    found = _dyads(extractor, text)
    assert expected in found
    assert not any(code == not_expected for code, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile allowed the deployment of UN peacekeepers on Monday.", ("086", "CHL", "IGO")),
        ("Chile said it would allow the return of UN inspectors.", ("035", "CHL", "IGO")),
        ("Chile refused to allow Peruvian monitors into the zone.", ("124", "CHL", "PER")),
    ],
)
def test_allowing_inspectors_or_monitors_is_international_involvement(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dyads(extractor, text)


def test_allowing_anything_else_is_no_event(extractor: EventExtractor) -> None:
    assert not _dyads(extractor, "The new law allows Chilean companies to invest in Peru.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Italy suspended air links with Chile on Monday.", ("161", "ITA", "CHL")),
        ("Italy announced a suspension of air links with Chile on Monday.", ("161", "ITA", "CHL")),
        ("Chile announced the restoration of ties with Peru.", ("050", "CHL", "PER")),
        ("France announced the lifting of sanctions on Chile.", ("085", "FRA", "CHL")),
    ],
)
def test_a_nominalised_act_codes_like_its_verb(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    """'the suspension of air links with Y' is 'suspended air links with Y'."""
    assert expected in _dyads(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Chilean president reminded Peru that it must respect the treaty.",
        "The Chilean president issued a stern reminder on Monday to Peru that it must respect the treaty.",
    ],
)
def test_a_reminder_that_y_must_is_a_demand(extractor: EventExtractor, text: str) -> None:
    assert ("100", "CHL", "PER") in _dyads(extractor, text)


def test_a_noun_clause_that_is_no_statement_is_no_demand(extractor: EventExtractor) -> None:
    """'the fact that Y must ...' states nobody's demand."""
    text = "The Chilean president ignored the fact that Peru must respect the treaty."
    assert not any(code == "100" for code, _, _ in _dyads(extractor, text))


def test_a_language_is_no_party(extractor: EventExtractor) -> None:
    """'restrictions on the Russian language' concern a language, not Russia; 'Russian imports' do."""
    text = "The Latvian court cancelled restrictions on the use of the Russian language."
    assert not _dyads(extractor, text)
    assert ("081", "LVA", "RUS") in _dyads(extractor, "Latvia lifted restrictions on Russian imports.")
