"""Noun phrases to actors: names with titles, demonyms, possessives, capitals, bodies, later mentions."""

from __future__ import annotations

import pytest

from communique.events.actors import DocIndex, Mention, mentions_of
from communique.events.coreference import Registry
from communique.events.extractor import EventExtractor
from communique.events.gazetteer import load_gazetteer


def _subject(extractor: EventExtractor, text: str) -> list[Mention]:
    doc = extractor.nlp(text)
    head = next(t for t in doc if t.dep_ in {"nsubj", "nsubjpass"})
    return mentions_of(head, DocIndex.build(doc, load_gazetteer()))


@pytest.mark.parametrize(
    ("text", "cameo", "name", "title"),
    [
        ("Italian Defence Minister Guido Crosetto arrived.", "ITAGOV", "Guido Crosetto", "defence minister"),
        ("The Egyptian president arrived.", "EGYGOV", "", "president"),
        ("Egypt's Minister of Defence arrived.", "EGYGOV", "", "minister"),
        ("The President of Egypt arrived.", "EGYGOV", "", "president"),
        ("Washington said nothing.", "USAGOV", "United States", None),
        ("Russia said nothing.", "RUS", "Russia", None),
        ("The Arab League said nothing.", "IGOARL", "Arab League", None),
        ("NATO said nothing.", "IGONAT", "NATO", None),
        ("The African Union said nothing.", "IGOAFU", "African Union", None),
        ("The EU said nothing.", "IGOEEU", "European Union", None),
        ("Israeli troops withdrew.", "ISRMIL", "", None),  # a group: "troops" is its role, not a title
        ("The Palestinians said nothing.", "PSE", "Palestine", None),
        ("Sergey Lavrov, Russia's foreign minister, said nothing.", "RUS", "Sergey Lavrov", None),
        ("Ethnic Albanians in Serbia protested.", "SRBCVL", "Albania", None),
        ("Hezbollah said nothing.", "LBNREB", "Hezbollah", None),
    ],
)
def test_noun_phrase_to_actor(extractor: EventExtractor, text: str, cameo: str, name: str, title: str | None) -> None:
    mentions = _subject(extractor, text)
    assert mentions, text
    actor = mentions[0].to_actor()
    assert actor.cameo.startswith(cameo)
    assert actor.country == (None if cameo.startswith("IGO") else cameo[:3])
    if name:
        assert actor.name == name
    assert actor.title == title
    assert text[actor.start : actor.end] == actor.text


def test_conjoined_demonyms_give_two_actors(extractor: EventExtractor) -> None:
    mentions = _subject(extractor, "Senior Hungarian and Romanian officials met.")
    assert [m.code for m in mentions] == ["HUN", "ROU"]
    assert all(m.role == "GOV" for m in mentions)


@pytest.mark.parametrize(
    ("text", "anaphor"),
    [
        ("He said nothing.", "person"),
        ("It said nothing.", "thing"),
        ("They said nothing.", "plural"),
        ("The minister said nothing.", "title"),
        ("The two leaders said nothing.", "pair"),
        ("The country said nothing.", "country"),
    ],
)
def test_later_mentions_are_left_for_the_registry(extractor: EventExtractor, text: str, anaphor: str) -> None:
    mentions = _subject(extractor, text)
    assert mentions and mentions[0].anaphor == anaphor and mentions[0].code is None


def test_us_the_country_is_not_the_pronoun(extractor: EventExtractor) -> None:
    assert _subject(extractor, "The US said nothing.")[0].code == "USA"


def _named(code: str, name: str, title: str | None = None, start: int = 0) -> Mention:
    kind = "person" if title else "country"
    return Mention(name, start, start + len(name), 0, kind, code=code, country=code, name=name, title=title)


def test_registry_resolution_rules() -> None:
    registry = Registry()
    registry.add(_named("KEN", "William Ruto", "president"), 0, 0)
    registry.add(_named("ETH", "Abiy Ahmed", "prime minister"), 0, 40)
    registry.add(_named("EGY", "Egypt"), 1, 90)

    def resolve(anaphor: str, title: str | None = None, name: str = "") -> list[str | None]:
        later = Mention("x", 0, 1, 0, "person", name=name, title=title, anaphor=anaphor)
        return [m.code for m in registry.resolve(later, 2, None, 200)]

    assert resolve("person") == ["ETH"]  # the most recent person
    assert resolve("thing") == ["EGY"]  # the most recent non-person
    assert resolve("title", title="president") == ["KEN"]
    assert resolve("name", name="Ruto") == ["KEN"]
    assert resolve("name", name="Abiy") == ["ETH"]
    assert resolve("name", name="Nobody") == []
    assert resolve("country") == ["EGY"]
    pair = Mention("the two leaders", 0, 1, 0, "pair", title="leader", role="GOV", anaphor="pair")
    assert [m.code for m in registry.resolve(pair, 2, None, 200)] == ["KEN", "ETH"]


def test_registry_respects_reading_order() -> None:
    registry = Registry()
    registry.add(_named("KEN", "William Ruto", "president"), 0, 100)
    he = Mention("he", 0, 2, 0, "pronoun", anaphor="person")
    assert registry.resolve(he, 0, None, 50) == []
    assert [m.code for m in registry.resolve(he, 0, None, 150)] == ["KEN"]
    assert registry.resolve(he, 9, None, 500) == []  # pronouns reach back only a few sentences


def test_gazetteer_is_case_sensitive_for_names_and_not_for_titles() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("US") is not None and gazetteer.lookup("us") is None
    assert gazetteer.lookup("Turkey") is not None and gazetteer.lookup("turkey") is None
    assert gazetteer.title("Prime Minister") == gazetteer.title("prime minister")
    assert gazetteer.lookup("the United Nations") == gazetteer.lookup("United Nations")
