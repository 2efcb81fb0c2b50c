"""The event extractor end to end on the real spaCy model: trigger families, voice, modality, coreference."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from communique.errors import ExtractionError
from communique.events.extractor import EXTRACTOR_VERSION, EventExtractor
from communique.models import Event
from tests.support.extraction import PUBLISHED, dyads, plover_dyads
from tests.support.paths import FIXTURES

ARRIVAL = "Egyptian Foreign Minister Sameh Shoukry arrived in Amman on Sunday."
EXTRACTION_FIXTURES = FIXTURES / "extraction"


def _extract(extractor: EventExtractor, text: str, published: date | None = PUBLISHED) -> list[Event]:
    return extractor.extract("test", text, published)


# One sentence per trigger family (DOMAIN.md's scope table): (text, expected (code, source, target)).
TRIGGER_FAMILIES = [
    (
        "meeting",
        "Italian Defence Minister Guido Crosetto met his Egyptian counterpart in Cairo.",
        ("040", "ITA", "EGY"),
    ),
    (
        "host",
        "The Egyptian president received the Jordanian foreign minister in Cairo.",
        ("043", "EGY", "JOR"),
    ),
    ("visit", "Indian Prime Minister Narendra Modi visited Japan to boost ties.", ("042", "IND", "JPN")),
    ("phone", "The Turkish president spoke by phone with the Russian president.", ("041", "TUR", "RUS")),
    ("phone noun", "Japan and South Korea held a phone call to discuss trade.", ("041", "JPN", "KOR")),
    (
        "talks",
        "French President Emmanuel Macron held talks with Indian Prime Minister Narendra Modi.",
        ("040", "FRA", "IND"),
    ),
    ("mediation", "Qatar mediated between Israel and Egypt.", ("045", "QAT", "ISR")),
    (
        "sign",
        "Poland and Ukraine signed a memorandum of understanding on energy security.",
        ("057", "POL", "UKR"),
    ),
    ("intent", "Germany pledged 500 million euros in humanitarian aid to Sudan.", ("033", "DEU", "SDN")),
    ("agree", "Chile and Peru agreed to cooperate on fisheries.", ("031", "CHL", "PER")),
    ("praise", "India praised Bangladesh for its cooperation on border security.", ("051", "IND", "BGD")),
    ("support verb", "Brazil will support Argentina's bid to host the summit.", ("032", "BRA", "ARG")),
    (
        "cooperation",
        "French and Egyptian warships held joint naval exercises in the Mediterranean.",
        ("062", "FRA", "EGY"),
    ),
    ("aid", "The United States sent humanitarian aid to Haiti.", ("073", "USA", "HTI")),
    ("appeal", "Canada urged Venezuela to release political prisoners.", ("025", "CAN", "VEN")),
    (
        "demand",
        "The European Union demanded that Belarus free the detained journalists.",
        ("105", "IGO", "BLR"),
    ),
    ("criticism", "The European Union condemned Russia's annexation of the region.", ("111", "IGO", "RUS")),
    (
        "accusation",
        "China accused the United States of interfering in its internal affairs.",
        ("112", "CHN", "USA"),
    ),
    (
        "complaint",
        "Lebanon complained to the United Nations about Israeli air strikes.",
        ("114", "LBN", "ISR"),
    ),
    ("rejection", "Turkey rejected Greece's proposal for talks.", ("125", "TUR", "GRC")),
    ("threat", "North Korea threatened to retaliate against South Korea.", ("130", "PRK", "KOR")),
    ("threatened sanctions", "Russia threatened to impose sanctions on Georgia.", ("1312", "RUS", "GEO")),
    ("sanctions", "Washington imposed sanctions on Iran's oil sector.", ("163", "USA", "IRN")),
    ("expel", "Russia expelled ten Estonian diplomats.", ("161", "RUS", "EST")),
    ("recall", "Lithuania recalled its ambassador from Belarus.", ("161", "LTU", "BLR")),
    ("cut ties", "Nicaragua cut diplomatic ties with Taiwan.", ("161", "NIC", "TWN")),
    ("lift sanctions", "The United States lifted sanctions on Sudan.", ("085", "USA", "SDN")),
    ("release", "Iran released two French nationals.", ("0841", "IRN", "FRA")),
    ("withdraw", "Israel withdrew its troops from Lebanon.", ("0874", "ISR", "LBN")),
    ("ceasefire", "Armenia and Azerbaijan declared a ceasefire.", ("0871", "ARM", "AZE")),
]


@pytest.mark.parametrize(("family", "text", "expected"), TRIGGER_FAMILIES, ids=[c[0] for c in TRIGGER_FAMILIES])
def test_trigger_family(extractor: EventExtractor, family: str, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in dyads(_extract(extractor, text)), family


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jordan's foreign minister was received by the Egyptian president in Cairo.", ("043", "EGY", "JOR")),
        ("Ten Estonian diplomats were expelled by Russia.", ("161", "RUS", "EST")),
        ("Sanctions were imposed on Iran by the European Union.", ("163", "IGO", "IRN")),
        ("Cuba was criticised by the United States for its crackdown.", ("111", "USA", "CUB")),
    ],
)
def test_passive_voice_swaps_the_parties(extractor: EventExtractor, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in dyads(_extract(extractor, text))


@pytest.mark.parametrize(
    "text",
    [
        "Chile and Peru held talks on fisheries.",
        "The Hungarian and Romanian foreign ministers agreed to reopen the border crossing.",
        "Talks between Armenia and Azerbaijan resumed in Washington.",
    ],
)
def test_symmetric_acts_are_coded_both_ways(extractor: EventExtractor, text: str) -> None:
    pairs = {(e.source.cameo[:3], e.target.cameo[:3]) for e in _extract(extractor, text)}
    assert len(pairs) >= 2
    assert all((target, source) in pairs for source, target in pairs)


def test_the_worked_example_of_domain_md(extractor: EventExtractor) -> None:
    text = (
        "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Wednesday, "
        "where the two leaders signed a deal on cross-border power trade. "
        "Ruto praised Ethiopia's role in regional stability."
    )
    events = _extract(extractor, text)
    assert {("043", "KENGOV", "ETHGOV"), ("057", "KENGOV", "ETHGOV"), ("057", "ETHGOV", "KENGOV")} <= {
        (e.cameo_code, e.source.cameo, e.target.cameo) for e in events
    }
    assert ("051", "KEN", "ETH") in dyads(events)
    hosting = next(e for e in events if e.cameo_code == "043")
    assert hosting.event_date == date(2025, 3, 5) and hosting.date_precision == "day"
    assert hosting.location is not None and hosting.location.country == "KEN"
    assert hosting.location.lat == pytest.approx(-1.28, abs=0.1)
    assert hosting.source.name == "William Ruto" and hosting.source.title == "president"
    signing = next(e for e in events if e.cameo_code == "057")
    assert "cross-border power trade" in signing.topics


@pytest.mark.parametrize(
    "text",
    [
        "Italy did not meet France.",
        "No talks were held between Serbia and Kosovo.",
        "Spain may visit Morocco next month.",
        "If Iran agrees, Oman could host talks with the United States.",
        "Japan is considering sanctions on North Korea.",
        "Heavy rain flooded several districts of the capital on Tuesday.",
        "The Egyptian president met business leaders in Cairo.",
        "Egypt and Jordan are neighbours.",
        "The minister praised the new stadium.",
        "Kenya signed a deal with Kenyan Airways.",
        "Britain and France signed a defence treaty in 2010.",
        "Russia sent troops into Ukraine.",  # a deployment, not aid
        "Hong Kong threatened with Chinese military intervention.",  # headline passive
        "Iran met the deadline set by the United Nations.",  # no meeting
        "The Sudanese government allowed visits by American officials to an area near Libya.",
    ],
)
def test_no_event_rather_than_a_guess(extractor: EventExtractor, text: str) -> None:
    assert _extract(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spain plans to meet Morocco.", ("036", "ESP", "MAR")),
        ("The Polish president will visit Ukraine next week.", ("036", "POL", "UKR")),
        ("Greece said it would send humanitarian aid to Turkey.", ("033", "GRC", "TUR")),
        (
            "Nigeria announced that it will withdraw its troops from Chad unless Chad holds elections.",
            ("130", "NGA", "TCD"),
        ),
    ],
)
def test_future_and_intent_are_coded_as_intent(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in dyads(_extract(extractor, text))


def test_wanting_another_to_act_is_an_appeal(extractor: EventExtractor) -> None:
    events = _extract(extractor, "The United States wants Britain to extradite the suspect.")
    assert ("021", "USA", "GBR") in dyads(events)


@pytest.mark.parametrize(
    "text",
    [
        # "he" is the speaker, who has no country: nothing, not the Kenyan named before
        "Kenyan President William Ruto spoke on Monday. Royce said he met Egyptian officials.",
        # "she" is the secretary, who has no country: nothing, not the Ukrainian named before
        "Ukrainian President Volodymyr Zelensky spoke on Monday. Secretary Maria Lopez arrived later. "
        "She met Indian officials.",
    ],
)
def test_pronouns_do_not_jump_over_unresolved_people(extractor: EventExtractor, text: str) -> None:
    assert [e for e in _extract(extractor, text) if e.evidence.start > 0] == []


def test_speech_with_must_is_a_demand(extractor: EventExtractor) -> None:
    events = _extract(extractor, "Russia said on Tuesday that Sudan must return the captured helicopter.")
    assert ("REQUEST", "RUS", "SDN") in plover_dyads(events)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARRIVAL + " The minister met his Jordanian counterpart.", ("EGYGOV", "The minister")),
        (ARRIVAL + " He met Jordanian officials.", ("EGYGOV", "He")),
        (ARRIVAL + " Shoukry met Jordanian officials.", ("EGYGOV", "Shoukry")),
    ],
)
def test_later_mentions_resolve_to_the_named_actor(
    extractor: EventExtractor, text: str, expected: tuple[str, str]
) -> None:
    events = [e for e in _extract(extractor, text) if e.evidence.start > 0]
    assert any((e.source.cameo, e.source.text) == expected for e in events), [e.to_json() for e in events]


def test_two_leaders_resolve_to_both_earlier_actors(extractor: EventExtractor) -> None:
    text = "The Kenyan president met the Ethiopian prime minister in Nairobi. The two leaders signed a trade pact."
    signed = [e for e in _extract(extractor, text) if e.cameo_code == "057"]
    assert {(e.source.cameo, e.target.cameo) for e in signed} == {("KENGOV", "ETHGOV"), ("ETHGOV", "KENGOV")}
    assert all(e.source.text == "The two leaders" for e in signed)


def test_it_refers_to_the_speaker(extractor: EventExtractor) -> None:
    events = _extract(extractor, "Syria says it is willing to withdraw its troops from Lebanon.")
    assert ("AGREE", "SYR", "LBN") in plover_dyads(events)


def test_article_fixture_gives_the_expected_facts(extractor: EventExtractor) -> None:
    text = (EXTRACTION_FIXTURES / "summit_article.txt").read_text(encoding="utf-8")
    events = _extract(extractor, text)
    found = {(e.cameo_code, e.source.cameo, e.target.cameo) for e in events}
    assert ("043", "KENGOV", "ETHGOV") in found
    assert ("057", "ETHGOV", "KENGOV") in found
    assert ("020", "KENGOV", "SOM") in found  # "He also called on Somalia": he = Ruto
    assert not any(e.cameo_code.startswith("06") for e in events)  # "since 2016" is background
    for event in events:
        assert text[event.evidence.start : event.evidence.end] == event.evidence.sentence
        assert event.source.start is not None and event.source.end is not None
        assert text[event.source.start : event.source.end] == event.source.text
        assert not event.evidence.sentence.startswith("NAIROBI")


def test_article_without_events(extractor: EventExtractor) -> None:
    text = (EXTRACTION_FIXTURES / "no_event_article.txt").read_text(encoding="utf-8")
    assert _extract(extractor, text) == []


def test_event_json_and_ids_are_deterministic(extractor: EventExtractor) -> None:
    text = "Chile and Peru held talks on fisheries in Lima on Monday."
    first = [e.to_json() for e in _extract(extractor, text)]
    second = [e.to_json() for e in _extract(extractor, text)]
    assert first == second and first
    record = first[0]
    assert record["extractor_version"] == EXTRACTOR_VERSION and EXTRACTOR_VERSION.startswith("0.1.0+rules.")
    assert record["event_date"] == "2025-03-03" and record["location"]["country"] == "PER"
    assert record["quad_class"] == 1 and record["cameo_root"] == "04" and record["plover_type"] == "CONSULT"
    assert 0.0 < record["confidence"] <= 1.0
    assert json.loads(json.dumps(record)) == record


EAST_AFRICA = timezone(timedelta(hours=3))


def test_extract_many_keeps_order_and_one_item_per_document(extractor: EventExtractor) -> None:
    docs = [
        ("a", "Chile and Peru held talks on fisheries.", PUBLISHED),
        ("b", "", PUBLISHED),
        ("c", "Heavy rain flooded the capital.", None),
        ("d", "Russia expelled ten Estonian diplomats.", datetime(2025, 3, 6, 23, 0, tzinfo=EAST_AFRICA)),
    ]
    results = list(EventExtractor.extract_many(extractor, iter(docs)))
    assert [doc_id for doc_id, _ in results] == ["a", "b", "c", "d"]
    assert results[0][1] and not results[1][1] and not results[2][1] and results[3][1]
    assert results[3][1][0].event_date == date(2025, 3, 6)


def test_unknown_publication_date_is_marked(extractor: EventExtractor) -> None:
    relative = _extract(extractor, "Chile and Peru held talks on Monday.", None)
    assert {(e.event_date, e.date_precision) for e in relative} == {(date(1970, 1, 1), "unknown")}
    explicit = _extract(extractor, "Chile and Peru held talks on March 3, 2025.", None)
    assert {(e.event_date, e.date_precision) for e in explicit} == {(date(2025, 3, 3), "day")}


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="en_core_web_sm"):
        EventExtractor(model_name="no_such_spacy_model_xyz")


def test_two_processes_give_the_same_events(extractor: EventExtractor) -> None:
    docs = [(str(i), "Chile and Peru held talks in Lima on Monday.", PUBLISHED) for i in range(3)]
    parallel = EventExtractor(n_process=2, batch_size=2)
    assert [[e.to_json() for e in events] for _, events in parallel.extract_many(docs)] == [
        [e.to_json() for e in events] for _, events in extractor.extract_many(docs)
    ]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "x" * 400_000, "\x00\x01 \u200b\ufeff", "U.S. " * 3000],
)
def test_hostile_text_gives_no_events_and_no_error(extractor: EventExtractor, text: str) -> None:
    assert _extract(extractor, text) == []


def test_repeated_reports_are_bounded_and_deduplicated(extractor: EventExtractor) -> None:
    text = "Russia expelled ten Estonian diplomats on Monday. " * 600
    events = _extract(extractor, text)
    assert len(events) == 1 and extractor.stats["parsed"] > 0


def test_multi_party_acts_list_the_other_participants(extractor: EventExtractor) -> None:
    events = _extract(extractor, "Russia, China and Iran held joint naval exercises.")
    assert {(e.source.cameo, e.target.cameo) for e in events} >= {
        ("RUS", "CHN"),
        ("CHN", "IRN"),
        ("IRN", "RUS"),
    }
    for event in events:
        others = {"RUS", "CHN", "IRN"} - {event.source.cameo, event.target.cameo}
        assert [p.cameo for p in event.participants] == sorted(others, key=["RUS", "CHN", "IRN"].index)
