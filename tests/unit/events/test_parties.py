"""Who the parties of an event are (issue 16, parties): people, coreference and false parties.

Every sentence here is written for the test; none comes from a gold set.
"""

from __future__ import annotations

from datetime import date

import pytest

from communique.events.extractor import EventExtractor
from tests.support.extraction import PUBLISHED, dyads


def test_a_pope_before_2013_is_the_holy_see(extractor: EventExtractor) -> None:
    """The people table knows the popes before Francis: 'Pope John Paul II' in 2003 is VATGOV."""
    text = "Chilean President Ricardo Lagos met Pope John Paul II at the Vatican on Monday."
    found = dyads(extractor.extract("test", text, date(2003, 5, 8)))
    assert ("040", "CHL", "VAT") in found or ("042", "CHL", "VAT") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Togo accused Benin of sheltering rebels.", ("112", "TGO", "BEN")),
        ("Mali urged Niger to reopen the border.", ("020", "MLI", "NER")),
        ("Gabon condemned Cameroon over the raid.", ("111", "GAB", "CMR")),
    ],
)
def test_a_country_the_model_takes_for_a_person_is_the_country(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    """The small model tags 'Togo', 'Mali' alone as persons; a person needs more name than a country's."""
    assert expected in dyads(extractor.extract("test", text, PUBLISHED))


def test_a_country_inside_a_person_s_name_is_no_party(extractor: EventExtractor) -> None:
    """'Jordan' in 'Michael Jordan' stays a name."""
    assert not dyads(extractor.extract("test", "Michael Jordan praised Israel on Monday.", PUBLISHED))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hezbollah fighters crossed the border. The group threatened Israel with rockets.", ("130", "LBN", "ISR")),
        ("Militants in Iraq threatened France on Monday. On Tuesday the group also threatened Italy.",
         ("130", "IRQ", "ITA")),
        ("Kidnappers in Iraq threatened France on Monday. On Tuesday the kidnappers also threatened Italy.",
         ("130", "IRQ", "ITA")),
    ],
)  # fmt: skip
def test_the_group_is_the_armed_group_named_before(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    """'the group', 'the kidnappers' refer back to the most recent armed group."""
    assert expected in dyads(extractor.extract("test", text, PUBLISHED))


@pytest.mark.parametrize(
    "text",
    [
        "Israeli troops crossed the border. The group threatened Lebanon with rockets.",
        "Hamas fighters attacked a border post. Amnesty International said the group threatened Israel.",
    ],
)
def test_the_group_is_no_army_nor_a_body_named_since(extractor: EventExtractor, text: str) -> None:
    """Troops are no group, and a body named since the armed group stands between: no event."""
    assert not dyads(extractor.extract("test", text, PUBLISHED))


def test_a_title_abbreviation_is_no_surname(extractor: EventExtractor) -> None:
    """'... and Sen...' cut short: 'Sen' is a senator's title, not Cambodia's Hun Sen."""
    text = "President Bush criticised the tax plans of the governors and Sen..."
    found = dyads(extractor.extract("test", text, date(2004, 10, 2)))
    assert not any(target == "KHM" for _, _, target in found)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("The Soviet Union sent troops to Kabul to support a pro-Moscow regime.", "RUS"),
        ("Lebanon condemned an anti-American rally on Monday.", "USA"),
        ("Beijing on Monday accused a Chinese-American of spying.", "USA"),
        ("China said the Iraq war has failed and blamed the United States.", "IRQ"),
    ],
)
def test_names_that_are_no_parties(extractor: EventExtractor, text: str, wrong: str) -> None:
    """A stance ('pro-Moscow'), a person of two origins ('a Chinese-American'), a war's setting: no party."""
    found = dyads(extractor.extract("test", text, PUBLISHED))
    assert not any(wrong in (source, target) for _, source, target in found)


def test_a_demonym_pair_still_names_both_parties(extractor: EventExtractor) -> None:
    """'Israeli-Palestinian talks' is no person of two origins: the hyphen rule is for a demonym noun only."""
    found = dyads(extractor.extract("test", "Israelis and Jordanians held talks in Amman on Monday.", PUBLISHED))
    assert ("040", "ISR", "JOR") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China denounced Hong Kong's chief executive on Monday.", set()),
        ("Britain criticised Hong Kong's chief executive on Monday.", {("111", "GBR", "HKG")}),
    ],
)
def test_a_special_administrative_region_and_china_are_one_country(
    extractor: EventExtractor, text: str, expected: set[tuple[str, str, str]]
) -> None:
    """Hong Kong with China is a domestic act; with any other country it is international."""
    assert dyads(extractor.extract("test", text, PUBLISHED)) == expected


def test_the_setting_of_a_situation_is_no_party(extractor: EventExtractor) -> None:
    """'if the Syria situation worsens': the country names where, not who."""
    text = "Russia warned that it would act if the Syria situation worsened."
    assert not any(target == "SYR" for _, _, target in dyads(extractor.extract("test", text, PUBLISHED)))


@pytest.mark.parametrize(
    "text",
    [
        "The president accused his opponents of sympathizing with Cuba.",
        "Beijing on Monday accused a Chinese-American of spying for Taiwan.",
    ],
)
def test_a_person_object_is_not_replaced_by_a_country_nested_after_it(extractor: EventExtractor, text: str) -> None:
    """'accused his opponents of sympathizing with Cuba': the accused are the opponents, not Cuba."""
    assert not dyads(extractor.extract("test", text, PUBLISHED))


def test_a_country_object_keeps_its_accusation(extractor: EventExtractor) -> None:
    found = dyads(extractor.extract("test", "Israel accused Syria of arming Hezbollah.", PUBLISHED))
    assert ("112", "ISR", "SYR") in found


@pytest.mark.parametrize(
    "text",
    [
        "Kenya urged all states, including Somalia's neighbours, to enforce the arms embargo.",
        "Kenya urged Somalia's neighbours to enforce the arms embargo.",
    ],
)
def test_a_country_s_neighbours_are_not_the_country(extractor: EventExtractor, text: str) -> None:
    """The possessor of 'neighbours', 'allies', 'rivals' names others than the party."""
    assert not any(target == "SOM" for _, _, target in dyads(extractor.extract("test", text, PUBLISHED)))


def test_states_addressed_without_a_name_are_not_replaced_by_a_nested_body(extractor: EventExtractor) -> None:
    """'urged all states to enforce a United Nations embargo': the UN is not whom Kenya urged."""
    text = "Kenya urged all states to enforce a United Nations arms embargo."
    assert not any(target == "IGO" for _, _, target in dyads(extractor.extract("test", text, PUBLISHED)))
