"""Event triggers read from ``data/patterns/triggers.jsonl``: one row per verb, noun or adjective.

A row says which CAMEO code the word signals and where its parties are. Fields:

- ``lemma``, ``pos`` (VERB, NOUN, ADJ); ``code`` (empty when only ``verbs`` or ``object_codes`` give one);
- ``frame``: ``transitive`` (default: subject acts on object), ``symmetric`` ("A and B met": both
  directions), ``mediate`` (the subject acts on each party "between A and B");
- ``family``: the word governs another action and recodes it (intent, threaten, reject, appeal,
  demand; see ``composition.json``); ``needs_embedded``: it is an event only over another action;
  ``clause_family``: the family instead when the word governs a that-clause ("warned Sudan that it
  must ..." is a demand, "warned Sudan of consequences" a threat);
- ``targets``: where the target is, in order: ``obj`` (direct or indirect object, passive subject)
  or a preposition ("with", "to", "between" ...);
- ``verbs`` (nouns): governing verbs and the code each gives (null: the row's code; "flip": the
  subject is the target, as in "received aid from"); ``needs_verb``: only with one of them;
- ``modifiers``: a modifier word that refines the code ("humanitarian aid" 073);
  ``needs_modifier``: only with one of them ("phone call");
- ``object_lemmas`` / ``object_codes``: the verb is an event only with, or is recoded by, these
  object nouns ("recalled its ambassador", "expelled diplomats"; an empty code: no event, "expelled
  two journalists" is a deportation, out of scope);
- ``needs_actor_object``: the object must be an actor (with ``object_lemmas``: either suffices,
  "released prisoners", "released an American professor"); ``actor_object_code``: the code when it is
  ("welcomed the Kenyan president" 043 against "welcomed the decision" 051);
- ``needs_target``: no event without an explicit target in ``targets``; ``place_target``: the
  target may be a place ("arrived in Cairo" -> Egypt); ``plural_only``: "talks", not "talk";
- ``nominal`` (nouns): an event even without a governing verb ("talks between A and B", "his
  visit to Cairo", "a mediation mission"); other nouns need a verb from ``verbs``;
- ``mutual``: a symmetric act coded in both directions even with a plain object ("A phoned B",
  "A signed a deal with B": B took part in the same act);
- ``actor_object_only``: a direct object must be an actor ("met the Kenyan president", not "met
  the demands"); ``state_source``: a people named by its demonym is no source ("Iraqis protested":
  a demonstration, not a protest by Iraq);
- ``judgement_code``: the code when the verb's complement is a negative judgement of its object
  (*called the move a mistake*, *described the sanctions as illegal*, *branded him a liar*: 111),
  whatever the row's own code and particles;
- ``particle_codes``: a particle that makes another act of the verb, and its code (*called China
  out for its record* 111), read before ``prt``;
- ``prt``: a particle or preposition the verb needs ("call on", "turn down"); ``phone_code``: the
  code when the verb has "by phone" ("spoke by phone" 041); ``forms``: irregular word forms.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from communique.events.coding import in_scope
from communique.settings import DATA_DIR

PATTERNS_DIR = DATA_DIR / "patterns"
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase a verb pattern asks for: acceptable head words and other words it must contain."""

    heads: frozenset[str] | None
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PrepPhrase:
    """A prepositional phrase of a verb pattern: the preposition(s) and the phrase it governs."""

    preps: frozenset[str]
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """One PETRARCH-2 pattern of a verb, read as constraints on the verb's dependents.

    ``code`` codes source -> target; a pattern with only ``reverse`` codes target -> source ("X
    faced calls from Y"); ``reverse == code`` marks a joint act (both directions); ``no_event``
    says the verb means nothing diplomatic with these words. ``before`` are the words of the
    subject phrase, ``target``/``source`` where the parties are (``object``, ``prep:<p>``, ``subject``).
    """

    code: str
    reverse: str | None
    no_event: bool
    particle: str | None
    before: tuple[frozenset[str], ...]
    object: Phrase | None
    preps: tuple[PrepPhrase, ...]
    source: str | None
    target: str | None
    line: int

    @property
    def weight(self) -> int:
        """How much of a sentence the pattern pins down: the more specific pattern wins."""
        words = len(self.before) + len(self.preps) + (self.object is not None) + (self.particle is not None)
        words += sum(len(p.phrase.words) + (p.phrase.heads is not None) for p in self.preps)
        return words + (len(self.object.words) if self.object else 0)


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger row; see the module docstring for the fields."""

    lemma: str
    pos: str
    code: str
    frame: str = "transitive"
    family: str | None = None
    clause_family: str | None = None
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
    state_source: bool = False
    #: The code when the verb passes a negative judgement on its object ("called the move a mistake").
    judgement_code: str | None = None
    #: Particles that make another act of the verb, and its code ("called China out" 111, not "call for").
    particle_codes: dict[str, str] = field(default_factory=dict)
    #: PETRARCH-2 patterns of the verb (rows converted from its dictionary, see :func:`petrarch_rows`).
    patterns: tuple[VerbPattern, ...] = ()
    #: Where the row comes from: ``team`` (triggers.jsonl) or ``petrarch`` (CAMEO.2.0.txt, converted).
    origin: str = "team"

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Trigger:
        return cls(
            lemma=row["lemma"],
            pos=row["pos"],
            code=row.get("code", ""),
            frame=row.get("frame", "transitive"),
            family=row.get("family"),
            clause_family=row.get("clause_family"),
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
            state_source=bool(row.get("state_source", False)),
            judgement_code=row.get("judgement_code"),
            particle_codes=dict(row.get("particle_codes", {})),
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
    #: Inflected forms of our own verb rows: the small model's lemmatizer misses some ("hopes" -> "hop").
    by_form: dict[tuple[str, str], Trigger] = field(default_factory=dict)

    def get(self, lemma: str, pos: str, form: str = "") -> Trigger | None:
        """The row of a lemma, else of the word form as written when the lemma is no trigger."""
        found = self.by_lemma.get((lemma.lower(), _coarse(pos)))
        if found is None and form:
            found = self.by_form.get((form.lower(), _coarse(pos)))
        return found


def _coarse(pos: str) -> str:
    return {"PROPN": "NOUN", "AUX": "VERB"}.get(pos, pos)


def build_table(rows: Iterable[dict[str, Any]], extra: Iterable[Trigger] = ()) -> TriggerTable:
    """Index trigger rows; a later row for the same (lemma, POS) is an error, not a silent override.

    ``extra`` rows (converted from PETRARCH-2) fill only the (lemma, POS) pairs our own rows leave
    free: where we wrote a row, it was written against the gold and keeps its conditions.
    """
    by_lemma: dict[tuple[str, str], Trigger] = {}
    by_form: dict[tuple[str, str], Trigger] = {}
    forms: set[str] = set()
    for row in rows:
        trigger = Trigger.from_json(row)
        key = (trigger.lemma, trigger.pos)
        if key in by_lemma:
            raise ValueError(f"duplicate trigger {key} in triggers.jsonl")
        by_lemma[key] = trigger
        if trigger.pos == "VERB":  # not nouns: "planes" is no plan, "aides" no aid
            for form in trigger.word_forms():
                by_form.setdefault((form, trigger.pos), trigger)
        for spelling in trigger.forms:  # "criticise" beside "criticize": British base forms are lemmas too
            if not spelling.endswith(("s", "ed", "ing")) and (spelling, trigger.pos) not in by_lemma:
                by_lemma[(spelling, trigger.pos)] = trigger
        # "plans to", "wants to" only govern another trigger, which is what the prefilter needs to see
        if not trigger.needs_embedded:
            forms |= trigger.word_forms()
    for trigger in extra:
        if (trigger.lemma, trigger.pos) not in by_lemma:
            by_lemma[(trigger.lemma, trigger.pos)] = trigger
            forms |= trigger.word_forms()
    return TriggerTable(by_lemma, frozenset(forms), by_form)


PETRARCH_FILE = PATTERNS_DIR / "petrarch_verbs.jsonl"


def _phrase(raw: dict[str, Any] | None) -> Phrase | None:
    if raw is None:
        return None
    heads = raw.get("head")
    return Phrase(frozenset(heads) if heads is not None else None, tuple(raw.get("words") or ()))


def _pattern(raw: dict[str, Any], particle: str | None) -> VerbPattern:
    return VerbPattern(
        code=raw.get("code") or "",
        reverse=raw.get("reverse"),
        no_event=bool(raw.get("no_event", False)),
        particle=particle,
        before=tuple(frozenset(words) for words in raw.get("before") or ()),
        object=_phrase(raw.get("object")),
        preps=tuple(PrepPhrase(frozenset(p["prep"]), _phrase(p) or Phrase(None)) for p in raw.get("preps") or ()),
        source=raw.get("source"),
        target=raw.get("target"),
        line=int(raw.get("line", 0)),
    )


def petrarch_rows(path: Path = PETRARCH_FILE) -> list[Trigger]:
    """Verb triggers from the converted PETRARCH-2 dictionary, one per lemma, with every pattern of its blocks.

    A verb with a particle ("meet with", "pull out") becomes a pattern of its plain verb that needs
    the particle. A lemma whose blocks disagree on a default code has none: only its patterns code.
    """
    if not path.is_file():
        return []
    defaults: dict[str, set[str]] = {}
    patterns: dict[str, list[VerbPattern]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        block = json.loads(line)
        for verb in block["verbs"]:
            lemma, particle = verb["lemma"], verb.get("particle")
            if " " in lemma:
                continue  # an inflected phrase written as a verb ("attacked and stabbed"): spaCy never lemmatises to it
            found = patterns.setdefault(lemma, [])
            if particle:
                code, reverse = verb.get("code") or "", verb.get("reverse")
                no_event = not code and not reverse
                found.append(VerbPattern(code, reverse, no_event, particle, (), None, (), "subject", None, 0))
            else:
                defaults.setdefault(lemma, set()).add(verb.get("code") or "")
            found.extend(_pattern(raw, particle) for raw in block["patterns"])
    triggers = []
    for lemma, found in sorted(patterns.items()):
        codes = defaults.get(lemma, set())
        default = next(iter(codes)) if len(codes) == 1 else ""
        if not in_scope(default) and not any(in_scope(p.code or p.reverse or "") for p in found):
            continue  # a verb that can only mean something outside the diplomatic scope is no trigger
        triggers.append(Trigger(lemma=lemma, pos="VERB", code=default, patterns=tuple(found), origin="petrarch"))
    return triggers


@cache
def load_triggers(petrarch: bool = True) -> TriggerTable:
    """The trigger table, read once per process: our rows, then the PETRARCH-2 verbs we have no row for."""
    lines = (PATTERNS_DIR / "triggers.jsonl").read_text(encoding="utf-8").splitlines()
    return build_table((json.loads(line) for line in lines if line.strip()), petrarch_rows() if petrarch else ())
