"""Event triggers read from ``data/patterns/triggers.jsonl``: one row per verb, noun or adjective.

A row says which CAMEO code the word signals and where its parties are. Fields:

- ``lemma``, ``pos`` (VERB, NOUN, ADJ); ``code`` (empty when only ``verbs`` or ``object_codes`` give one);
- ``frame``: ``transitive`` (default: subject acts on object), ``symmetric`` ("A and B met": both
  directions), ``mediate`` (the subject acts on each party "between A and B");
- ``family``: the word governs another action and recodes it (intent, threaten, reject, appeal,
  demand; see ``composition.json``); ``needs_embedded``: it is an event only over another action;
- ``targets``: where the target is, in order: ``obj`` (direct or indirect object, passive subject)
  or a preposition ("with", "to", "between" ...);
- ``verbs`` (nouns): governing verbs and the code each gives (null: the row's code; "flip": the
  subject is the target, as in "received aid from"); ``needs_verb``: only with one of them;
- ``modifiers``: a modifier word that refines the code ("humanitarian aid" 073);
  ``needs_modifier``: only with one of them ("phone call");
- ``object_lemmas`` / ``object_codes``: the verb is an event only with, or is recoded by, these
  object nouns ("recalled its ambassador", "expelled diplomats");
- ``needs_actor_object``: the object must be an actor; ``actor_object_code``: the code when it is
  ("welcomed the Kenyan president" 043 against "welcomed the decision" 051);
- ``needs_target``: no event without an explicit target in ``targets``; ``place_target``: the
  target may be a place ("arrived in Cairo" -> Egypt); ``plural_only``: "talks", not "talk";
- ``nominal`` (nouns): an event even without a governing verb ("talks between A and B", "his
  visit to Cairo", "a mediation mission"); other nouns need a verb from ``verbs``;
- ``mutual``: a symmetric act coded in both directions even with a plain object ("A phoned B",
  "A signed a deal with B": B took part in the same act);
- ``actor_object_only``: a direct object must be an actor ("met the Kenyan president", not "met
  the demands");
- ``prt``: a particle or preposition the verb needs ("call on", "turn down"); ``phone_code``: the
  code when the verb has "by phone" ("spoke by phone" 041); ``forms``: irregular word forms.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from communique.settings import DATA_DIR

PATTERNS_DIR = DATA_DIR / "patterns"
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger row; see the module docstring for the fields."""

    lemma: str
    pos: str
    code: str
    frame: str = "transitive"
    family: str | None = None
    targets: tuple[str, ...] = ("obj",)
    verbs: dict[str, str | None] = field(default_factory=dict)
    modifiers: dict[str, str] = field(default_factory=dict)
    needs_modifier: tuple[str, ...] = ()
    object_lemmas: frozenset[str] = frozenset()
    object_codes: dict[str, str] = field(default_factory=dict)
    prt: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    phone_code: str | None = None
    actor_object_code: str | None = None
    needs_embedded: bool = False
    needs_verb: bool = False
    needs_actor_object: bool = False
    needs_target: bool = False
    place_target: bool = False
    plural_only: bool = False
    nominal: bool = False
    mutual: bool = False
    actor_object_only: bool = False

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Trigger:
        return cls(
            lemma=row["lemma"],
            pos=row["pos"],
            code=row.get("code", ""),
            frame=row.get("frame", "transitive"),
            family=row.get("family"),
            targets=tuple(row.get("targets", ("obj",))),
            verbs=dict(row.get("verbs", {})),
            modifiers=dict(row.get("modifiers", {})),
            needs_modifier=tuple(row.get("needs_modifier", ())),
            object_lemmas=frozenset(row.get("object_lemmas", ())),
            object_codes=dict(row.get("object_codes", {})),
            prt=tuple(row.get("prt", ())),
            forms=tuple(row.get("forms", ())),
            phone_code=row.get("phone_code"),
            actor_object_code=row.get("actor_object_code"),
            needs_embedded=bool(row.get("needs_embedded", False)),
            needs_verb=bool(row.get("needs_verb", False)),
            needs_actor_object=bool(row.get("needs_actor_object", False)),
            needs_target=bool(row.get("needs_target", False)),
            place_target=bool(row.get("place_target", False)),
            plural_only=bool(row.get("plural_only", False)),
            nominal=bool(row.get("nominal", False)),
            mutual=bool(row.get("mutual", False)),
            actor_object_only=bool(row.get("actor_object_only", False)),
        )

    def word_forms(self) -> set[str]:
        """Every lower-case form the lexical prefilter should look for."""
        forms = {self.lemma, *(f.lower() for f in self.forms)}
        forms |= _noun_forms(self.lemma) if self.pos == "NOUN" else _verb_forms(self.lemma)
        return forms


def _verb_forms(lemma: str) -> set[str]:
    """Regular inflections, over-generated on purpose (a prefilter may match too much, never too little)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in _VOWELS | {"w", "x", "y"} and lemma[-2] in _VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _noun_forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es"}
    if lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    return forms


@dataclass(frozen=True, slots=True)
class TriggerTable:
    """Triggers indexed by (lemma, coarse POS) and the word forms the prefilter looks for."""

    by_lemma: dict[tuple[str, str], Trigger]
    forms: frozenset[str]

    def get(self, lemma: str, pos: str) -> Trigger | None:
        return self.by_lemma.get((lemma.lower(), _coarse(pos)))


def _coarse(pos: str) -> str:
    return {"PROPN": "NOUN", "AUX": "VERB"}.get(pos, pos)


def build_table(rows: Iterable[dict[str, Any]]) -> TriggerTable:
    """Index trigger rows; a later row for the same (lemma, POS) is an error, not a silent override."""
    by_lemma: dict[tuple[str, str], Trigger] = {}
    forms: set[str] = set()
    for row in rows:
        trigger = Trigger.from_json(row)
        key = (trigger.lemma, trigger.pos)
        if key in by_lemma:
            raise ValueError(f"duplicate trigger {key} in triggers.jsonl")
        by_lemma[key] = trigger
        for spelling in trigger.forms:  # "criticise" beside "criticize": British base forms are lemmas too
            if not spelling.endswith(("s", "ed", "ing")) and (spelling, trigger.pos) not in by_lemma:
                by_lemma[(spelling, trigger.pos)] = trigger
        # "plans to", "wants to" only govern another trigger, which is what the prefilter needs to see
        if not trigger.needs_embedded:
            forms |= trigger.word_forms()
    return TriggerTable(by_lemma, frozenset(forms))


@cache
def load_triggers() -> TriggerTable:
    """The trigger table, read once per process."""
    lines = (PATTERNS_DIR / "triggers.jsonl").read_text(encoding="utf-8").splitlines()
    return build_table(json.loads(line) for line in lines if line.strip())
