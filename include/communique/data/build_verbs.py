"""Convert the PETRARCH-2 verb dictionary (CAMEO.2.0.txt) into verb rows our matcher reads.

Our own ``triggers.jsonl`` covers a few hundred words; PETRARCH-2 codes about 1,800 verbs with some 4,700
patterns over the verb's objects and prepositional phrases. This script turns that dictionary into
``patterns/petrarch_verbs.jsonl`` (one row per verb and block, with the block's patterns inline), plus
``petrarch_synsets.json`` and ``petrarch_transformations.json`` for reference. Run from the project root, review
the diff and the printed counts, commit the output::

    .venv/bin/python -m communique.data.build_verbs [--source PATH]

A pattern we cannot represent faithfully is skipped and counted under its reason, never guessed at.
``PETRARCH_NOTICE.md`` beside the output names the source, its licence and what was dropped.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.settings import DATA_DIR, PROJECT_ROOT

PATTERNS_DIR = DATA_DIR / "patterns"
DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "knowledge" / "petrarch2" / "CAMEO.2.0.txt" if PROJECT_ROOT else None
VERBS_FILE = "petrarch_verbs.jsonl"
SYNSETS_FILE = "petrarch_synsets.json"
TRANSFORMATIONS_FILE = "petrarch_transformations.json"

Json = dict[str, Any]
#: A synset label ("&MILITARY") -> its words, each with "ends in _" (no plural is generated for it).
Synsets = dict[str, list[tuple[str, bool]]]

_SYNSET_SECTION = "####### VERB PATTERNS"
_TRANSFORMATION_SECTION = "######## TRANSFORMATIONS"
_BLOCK = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]")
_VERB_LINE = re.compile(r"^(?P<verb>\+?[A-Z][A-Z_'+\-]*)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]]*)\])?$")
_CODE = re.compile(r"^(?:(?P<none>---)|(?P<code>\d{3,4})?(?::(?P<reverse>\d{3,4}))?)$")
_TOKEN = re.compile(r"[(){}*]|[^\s(){}*]+")
_WORD = re.compile(r"^[A-Z0-9][A-Z0-9'.\-]*(?:/[A-Z0-9][A-Z0-9'.\-]*)*$")
_SYNSET = re.compile(r"^&[A-Z0-9_]+$")
_SLOTS = frozenset({"$", "+"})  # source and target

#: Words that are no phrase head when they stand bare after the verb: PETRARCH-2 reads them as nouns, but in a
#: parse they are the verb's particle ("set off", "back down"), which our format has no place for.
PARTICLES = frozenset({"UP", "DOWN", "OFF", "OUT", "BACK", "AWAY", "ASIDE", "FORWARD", "TOGETHER", "CLOSE", "CLOSER"})
#: A preposition written without parentheses is a TABARI word sequence ("* TROOP TOWARD +"), not a phrase.
PREPOSITIONS = frozenset(
    {"ABOUT", "AFTER", "AGAINST", "AMONG", "AS", "AT", "BEFORE", "BETWEEN", "BY", "FOR", "FROM", "IN", "INTO", "OF"}
    | {"ON", "ONTO", "OVER", "THROUGH", "TO", "TOWARD", "TOWARDS", "UNDER", "UPON", "WITH", "WITHIN", "WITHOUT"}
)
#: Joined by ``_`` with these, the words are no noun phrase ("IDEA_OF", "TO_WITHDRAW", "TANKS_AND").
_FUNCTION_WORDS = PREPOSITIONS | {"A", "AN", "AND", "OR", "THE", "NOT"}
#: Bare words that get no singular/plural counterpart: function words, auxiliaries, adverbs.
_UNINFLECTED = {w.lower() for w in _FUNCTION_WORDS} | {"will", "would", "been", "was", "were", "is", "are", "said"}
_INVARIANT = frozenset(
    {"news", "series", "species", "headquarters", "means", "police", "personnel", "aircraft", "gas", "bias"}
    | {"atlas", "alias", "canvas", "chaos", "lens", "christmas"}
)
_ADJECTIVE_ENDINGS = ("ous", "ful", "less", "ness", "istic", "ical", "ible")
_LY_NOUNS = frozenset({"ally", "rally", "assembly", "supply", "reply", "family", "monopoly", "anomaly"})
_IRREGULAR_PLURALS = dict(
    person="people", child="children", crisis="crises", analysis="analyses", basis="bases", thesis="theses"
)
_IRREGULAR_SINGULARS = {plural: singular for singular, plural in _IRREGULAR_PLURALS.items()}
_NOT_MAN = frozenset({"human", "german", "roman", "shaman", "ottoman", "specimen", "regimen", "omen", "abdomen"})


class _UnrepresentableError(Exception):
    """A pattern (or verb line) our format cannot hold faithfully; the message is the counted reason."""


@dataclass(frozen=True, slots=True)
class Code:
    """A PETRARCH code: ``[a]``, ``[a:b]`` (b is target -> source), ``[:b]`` or ``[---]`` (no event)."""

    code: str
    reverse: str | None
    no_event: bool


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase: acceptable head words (None: any head) and its modifiers, each a tuple of alternatives."""

    head: tuple[str, ...] | None
    words: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Prep:
    """A prepositional phrase ``(PREP X)``: the preposition(s) and its object (head None: any object)."""

    preps: tuple[str, ...]
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class Pattern:
    """One converted pattern line, before modifier alternatives are expanded."""

    code: Code
    before: tuple[tuple[str, ...], ...]
    obj: Phrase | None
    preps: tuple[Prep, ...]
    source: str | None
    target: str | None
    line: int
    comment: str


@dataclass(slots=True)
class Verb:
    """One verb of a block: lemma and particle, the forms the dictionary lists, its own code if any."""

    lemma: str
    particle: str | None
    forms: list[str]
    code: Code | None


@dataclass(slots=True)
class Block:
    """A ``--- NAME [code] ---`` block: its verbs and the patterns they share."""

    name: str
    code: Code
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(slots=True)
class Dictionary:
    """Everything read from the source, with the skip reasons counted."""

    synsets: Synsets = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    transformations: list[Json] = field(default_factory=list)
    pattern_lines: int = 0
    verb_lines: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_lines: dict[str, list[int]] = field(default_factory=dict)
    current: Block | None = None  # the block the next verb and pattern lines belong to

    def skip(self, reason: str, line: int) -> None:
        self.skipped[reason] += 1
        self.skipped_lines.setdefault(reason, []).append(line)


# ---------------------------------------------------------------- words


def normalise(word: str) -> str:
    """Dictionary spelling to ours: lower case, ``_`` between words a space, a trailing ``_`` dropped."""
    return word.rstrip("_").replace("_", " ").lower()


def counterparts(word: str) -> list[str]:
    """The plural of a singular noun or the singular of a plural one (PETRARCH writes both CALL and CALLS)."""
    prefix, _, last = word.rpartition(" ")
    if not last.isalpha() and not re.fullmatch(r"[a-z0-9][a-z0-9'.\-/]*[a-z0-9]", last):
        return []
    adverb = last.endswith("ly") and last not in _LY_NOUNS
    adjective = last.endswith(_ADJECTIVE_ENDINGS) or (last.endswith("able") and len(last) > 6)  # not "table"
    if last in _UNINFLECTED or last in _INVARIANT or adverb or adjective:
        return []
    form = _singular(last) if _looks_plural(last) else _plural(last)
    return [f"{prefix} {form}".lstrip()] if form and form != last else []


def _looks_plural(word: str) -> bool:
    if word in _IRREGULAR_SINGULARS or (word.endswith("men") and word not in _NOT_MAN and len(word) > 3):
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _singular(word: str) -> str:
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def _plural(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith("is"):
        return ""  # "crisis" is in the table; other -is words are rarely nouns with a plain plural
    if word.endswith("man") and word not in _NOT_MAN:
        return word[:-3] + "men"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _dedupe(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


# ---------------------------------------------------------------- codes and synsets


def parse_code(text: str) -> Code:
    """``[040]``, ``[042:043]``, ``[:110]``, ``[---]`` -> Code; anything else is malformed."""
    match = _CODE.match(text.strip())
    if not match or not (match["none"] or match["code"] or match["reverse"]):
        raise _UnrepresentableError("malformed code")
    if match["none"]:
        return Code("", None, True)
    return Code(match["code"] or "", match["reverse"], False)


def synset_words(name: str, synsets: Synsets, *, inflect: bool) -> tuple[str, ...]:
    """A synset's words; as heads also their singular/plural counterparts, unless the label or word ends in _."""
    if name not in synsets:
        raise _UnrepresentableError("undefined synset")
    words = [word for word, _ in synsets[name]]
    if inflect and not name.endswith("_"):
        words += [form for word, fixed in synsets[name] if not fixed for form in counterparts(word)]
    return _dedupe(words)


# ---------------------------------------------------------------- patterns


@dataclass(slots=True)
class _Slots:
    """Where ``$`` and ``+`` stood."""

    source: str | None = None
    target: str | None = None

    def put(self, slot: str, where: str) -> None:
        if (self.source if slot == "$" else self.target) is not None:
            raise _UnrepresentableError("slot used twice")
        if slot == "$":
            self.source = where
        else:
            self.target = where


def parse_pattern(text: str, line: int, synsets: Synsets) -> Pattern:
    """One ``- before * after [code] # comment`` line -> Pattern, or _UnrepresentableError with the reason."""
    body, _, comment = text.strip()[1:].partition("#")
    match = re.search(r"\[([^\]]*)\]\s*$", body)
    if not match:
        raise _UnrepresentableError("malformed code")
    code = parse_code(match[1])
    tokens = _TOKEN.findall(body[: match.start()])
    if tokens.count("*") != 1:
        raise _UnrepresentableError("no single verb marker *")
    if re.search(r"\*_|_\*", body):
        raise _UnrepresentableError("malformed word")
    star = tokens.index("*")
    slots = _Slots()
    before = _before(tokens[:star], synsets, slots)
    obj, preps = _after(tokens[star + 1 :], synsets, slots)
    source = slots.source or (None if slots.target == "before" else "subject")
    target = slots.target or ("object" if obj is not None else None)
    return Pattern(code, before, obj, preps, source, target, line, comment.strip())


def _units(tokens: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    """Group tokens: ("prep", inner tokens), ("phrase", words of {..}), ("word", [token])."""
    position = 0
    while position < len(tokens):
        item = tokens[position]
        if item in ("(", "{"):
            closing = ")" if item == "(" else "}"
            end = _closing(tokens, position, closing)
            yield ("prep" if item == "(" else "phrase"), list(tokens[position + 1 : end])
            position = end + 1
        elif item in (")", "}"):
            raise _UnrepresentableError("unbalanced brackets")
        else:
            yield "word", [item]
            position += 1


def _closing(tokens: Sequence[str], start: int, closing: str) -> int:
    depth = 0
    for position in range(start, len(tokens)):
        if tokens[position] in ("(", "{"):
            depth += 1
        elif tokens[position] in (")", "}"):
            depth -= 1
            if depth == 0:
                if tokens[position] != closing:
                    raise _UnrepresentableError("unbalanced brackets")
                return position
    raise _UnrepresentableError("unbalanced brackets")


def _before(tokens: Sequence[str], synsets: Synsets, slots: _Slots) -> tuple[tuple[str, ...], ...]:
    """Words before the verb, each a tuple of acceptable words; ``$``/``+`` here mean "before"."""
    items: list[tuple[str, ...]] = []
    for kind, inner in _units(tokens):
        if kind == "prep":
            raise _UnrepresentableError("prepositional phrase before the verb")
        if kind == "word" and inner[0] in _SLOTS:
            slots.put(inner[0], "before")
            continue
        if kind == "word" and inner[0].rstrip("_") in PREPOSITIONS:
            raise _UnrepresentableError("preposition outside parentheses")
        phrase = _phrase(inner if kind == "phrase" else _split_joined(inner[0]), synsets)
        items += [*phrase.words, phrase.head or ()]
    return tuple(items)


def _after(tokens: Sequence[str], synsets: Synsets, slots: _Slots) -> tuple[Phrase | None, tuple[Prep, ...]]:
    """The object phrase and the prepositional phrases after the verb, with the slots they hold."""
    units = list(_units(tokens))
    _check_bare_words(units)
    obj: Phrase | None = None
    preps: list[Prep] = []
    last = "verb"  # what the previous unit was: verb, slot, object or prep:<p>
    for kind, inner in units:
        if kind == "word" and inner[0] in _SLOTS:
            if last in ("object", "slot"):
                raise _UnrepresentableError("slot after the object or another slot")
            slots.put(inner[0], "object" if last == "verb" else last)
            last = "slot"
        elif kind == "prep":
            prep = _prep(inner, synsets, slots)
            preps.append(prep)
            last = "prep:" + "/".join(prep.preps)
        elif inner == ["^"]:
            raise _UnrepresentableError("^ outside a prepositional phrase")
        else:
            if obj is not None and kind == "word" and inner[0] in PARTICLES:
                raise _UnrepresentableError("particle after the verb or its object")
            if obj is not None or last.startswith("prep:"):
                raise _UnrepresentableError("several phrases after the verb")
            if last == "slot":
                raise _UnrepresentableError("slot and object both after the verb")
            obj = _phrase(inner if kind == "phrase" else _split_joined(inner[0]), synsets)
            last = "object"
    return obj, tuple(preps)


def _check_bare_words(units: Sequence[tuple[str, list[str]]]) -> None:
    """Particles and unparenthesised prepositions are TABARI word sequences our format cannot hold."""
    bare = [inner[0].rstrip("_") for kind, inner in units if kind == "word"]
    if any(word in PREPOSITIONS for word in bare):
        raise _UnrepresentableError("preposition outside parentheses")
    if units and units[0][0] == "word" and bare[0] in PARTICLES:
        raise _UnrepresentableError("particle after the verb or its object")


def _prep(inner: Sequence[str], synsets: Synsets, slots: _Slots) -> Prep:
    """``(PREP)``, ``(PREP X)``, ``(PREP {A B})``, ``(PREP &SET)``, ``(PREP ^)``, ``(PREP + X)``."""
    if not inner or not re.fullmatch(r"[A-Z]+(?:/[A-Z]+)*", inner[0]):
        raise _UnrepresentableError("malformed prepositional phrase")
    preps = tuple(p.lower() for p in inner[0].split("/"))
    phrases: list[Phrase] = []
    for kind, rest in _units(inner[1:]):
        if kind == "prep":
            raise _UnrepresentableError("nested prepositional phrase")
        if kind == "word" and rest[0] in _SLOTS:
            slots.put(rest[0], "prep:" + "/".join(preps))
        elif kind == "word" and rest[0] in PREPOSITIONS:
            raise _UnrepresentableError("two prepositions in one prepositional phrase")
        elif rest != ["^"]:
            phrases.append(_phrase(rest if kind == "phrase" else _split_joined(rest[0]), synsets))
    if len(phrases) > 1:
        raise _UnrepresentableError("several phrases in a prepositional phrase")
    return Prep(preps, phrases[0] if phrases else Phrase(None))


def _split_joined(item: str) -> list[str]:
    """``AIR_STRIKE`` is a phrase like ``{AIR STRIKE}`` (as PETRARCH-2 reads synset phrases); a trailing _ stays."""
    if item.startswith("&"):  # a synset name, "&FIGHT_OF_WORDS"
        return [item]
    fixed = item.endswith("_")
    parts = item.rstrip("_").split("_")
    if len(parts) > 1 and any(part in _FUNCTION_WORDS for part in parts):
        raise _UnrepresentableError("underscore-joined words that are no noun phrase")
    return [*parts[:-1], parts[-1] + ("_" if fixed else "")]


def _phrase(words: Sequence[str], synsets: Synsets) -> Phrase:
    """The last word is the head (with its counterparts), the others are modifiers."""
    words = [part for word in words for part in _split_joined(word)]
    if not words:
        raise _UnrepresentableError("empty phrase")
    *modifiers, head = words
    return Phrase(_alternatives(head, synsets, head=True), tuple(_alternatives(m, synsets) for m in modifiers))


def _alternatives(item: str, synsets: Synsets, *, head: bool = False) -> tuple[str, ...]:
    """A word (``A/B`` alternatives) or a synset -> acceptable words; heads get singular and plural."""
    if _SYNSET.match(item):
        return synset_words(item, synsets, inflect=head)
    bare = item.rstrip("_")
    if not _WORD.match(bare):
        raise _UnrepresentableError("unknown token " + item if item in ("%", "^", "$", "+") else "malformed word")
    words = [normalise(word) for word in bare.split("/")]
    if not head or item.endswith("_"):
        return _dedupe(words)
    forms = [sorted((word, *counterparts(word)), key=_looks_plural) for word in words]
    return _dedupe(form for pair in forms for form in pair)


# ---------------------------------------------------------------- verbs


def parse_verb(text: str) -> Verb:
    """``MEET {MEETS MET MEETING}``, ``+MEET_WITH {+MET_WITH ...} [040]`` -> Verb."""
    match = _VERB_LINE.match(re.split(r"[#;]", text, maxsplit=1)[0].strip())
    if not match:
        raise _UnrepresentableError("malformed verb line")
    lemma, particle = _verb_words(match["verb"])
    forms: list[str] = []
    for form in (match["forms"] or "").replace(",", " ").split():
        word, form_particle = _verb_words(form)
        if form_particle != particle:
            raise _UnrepresentableError("form whose other words differ from the verb's")
        forms.append(word)
    code = parse_code(match["code"]) if match["code"] is not None else None
    return Verb(lemma, particle, [f for f in _dedupe(forms) if f != lemma], code)


def _verb_words(text: str) -> tuple[str, str | None]:
    """``+MEET_WITH`` -> ("meet", "with"): the ``+`` word is the verb; words before it are not allowed."""
    parts = text.split("_")
    marked = [i for i, part in enumerate(parts) if part.startswith("+")]
    if len(parts) > 1 and marked != [0]:
        raise _UnrepresentableError("multi-word verb not starting with its verb")
    words = [normalise(part.lstrip("+")) for part in parts]
    return words[0], " ".join(words[1:]) or None


# ---------------------------------------------------------------- the file


def read_dictionary(lines: Iterable[str]) -> Dictionary:
    """Read the whole file: synsets, then verb blocks and patterns, then transformations."""
    book = Dictionary()
    section = "synsets"
    synset: str | None = None
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if text.startswith(_SYNSET_SECTION):
            section = "verbs"
        elif text.startswith(_TRANSFORMATION_SECTION):
            section = "transformations"
        if not text or text.startswith("#"):
            continue
        if text.startswith("~"):
            book.transformations.append({"pattern": text, "line": number})
        elif section == "synsets":
            synset = _read_synset_line(book, synset, text)
        elif section == "verbs":
            _read_verb_section_line(book, text, number)
    return book


def _read_synset_line(book: Dictionary, synset: str | None, text: str) -> str | None:
    text = text.split("#", 1)[0].strip()
    if text.startswith("&"):
        book.synsets.setdefault(text, [])
        return text
    if text.startswith("+") and synset is not None:
        word = text[1:]
        book.synsets[synset].append((normalise(word), word.endswith("_")))
    return synset


def _block(text: str) -> Block:
    """``---  MEET_PEOPLE   [040]  ---`` (a few headers have ``[110]---``: the code is all we read)."""
    match = _BLOCK.match(text)
    if not match:
        raise _UnrepresentableError("malformed block header")
    return Block(match["name"], parse_code(match["code"]))


def _read_verb_section_line(book: Dictionary, text: str, number: int) -> None:
    if text.startswith("---"):
        try:
            book.current = _block(text)
            book.blocks.append(book.current)
        except _UnrepresentableError as error:  # its verbs and patterns then count as outside a block
            book.current = None
            book.skip("block: " + str(error), number)
        return
    block = book.current
    if block is None:
        book.skip("line outside a block", number)
        return
    if text.startswith("-"):
        book.pattern_lines += 1
        try:
            block.patterns.append(parse_pattern(text, number, book.synsets))
        except _UnrepresentableError as error:
            book.skip(str(error), number)
        return
    book.verb_lines += 1
    try:
        block.verbs.append(parse_verb(text))
    except _UnrepresentableError as error:
        book.skip("verb: " + str(error), number)


# ---------------------------------------------------------------- output


def pattern_rows(pattern: Pattern) -> list[Json]:
    """One JSON object per pattern; a synset used as a modifier expands to one object per word (as PETRARCH-2)."""
    phrases = ([pattern.obj] if pattern.obj else []) + [prep.phrase for prep in pattern.preps]
    choices = [itertools.product(*phrase.words) for phrase in phrases]
    rows = []
    for picked in itertools.product(*choices):
        words = iter(picked)
        obj = _phrase_json(pattern.obj, next(words)) if pattern.obj else None
        preps = [{"prep": list(p.preps), **_phrase_json(p.phrase, next(words))} for p in pattern.preps]
        rows.append(_pattern_json(pattern, obj, preps))
    return rows


def _phrase_json(phrase: Phrase, words: Sequence[str]) -> Json:
    return {"head": list(phrase.head) if phrase.head is not None else None, "words": list(words)}


def _pattern_json(pattern: Pattern, obj: Json | None, preps: list[Json]) -> Json:
    row: Json = {"code": pattern.code.code, "reverse": pattern.code.reverse}
    if pattern.code.no_event:
        row["no_event"] = True
    row |= {"before": [list(item) for item in pattern.before], "object": obj, "preps": preps}
    row |= {"source": pattern.source, "target": pattern.target, "line": pattern.line, "comment": pattern.comment}
    return row


def verb_rows(book: Dictionary) -> list[Json]:
    """One row per block, in file order: its verbs (a verb listed twice is merged) and its patterns once.

    A row per verb would repeat the block's patterns for every verb of it (21 MB instead of 2 MB).
    """
    rows: list[Json] = []
    for block in book.blocks:
        verbs: dict[tuple[str, str], Json] = {}
        for verb in block.verbs:
            key = (verb.lemma, verb.particle or "")
            if key in verbs:
                verbs[key]["forms"] = list(_dedupe([*verbs[key]["forms"], *verb.forms]))
                continue
            code = verb.code or block.code
            verbs[key] = {"lemma": verb.lemma, "particle": verb.particle, "forms": verb.forms}
            verbs[key] |= {"code": code.code, "reverse": code.reverse}
        row: Json = {"block": block.name, "code": block.code.code, "reverse": block.code.reverse}
        row |= {"verbs": [verbs[key] for key in sorted(verbs)]}
        row |= {"patterns": [item for pattern in block.patterns for item in pattern_rows(pattern)]}
        rows.append(row)
    return rows


def synsets_json(book: Dictionary) -> dict[str, list[str]]:
    """The synsets as written (normalised, no generated plurals), for reference."""
    return {name: [word for word, _ in words] for name, words in book.synsets.items()}


def root(code: str) -> str:
    """The CAMEO root of a code ("0231" -> "02")."""
    return code[:2] if code else "--"


def summary(book: Dictionary, rows: Sequence[Json]) -> list[str]:
    """The counts a reviewer checks against the source header (398 blocks, ~1,820 verbs, ~4,670 patterns)."""
    kept = [p for block in book.blocks for p in block.patterns]
    verb_skips = {r: n for r, n in book.skipped.items() if r.startswith("verb: ")}
    pattern_skips = {r: n for r, n in book.skipped.items() if r not in verb_skips}
    verbs = [verb for row in rows for verb in row["verbs"]]
    merged = book.verb_lines - sum(verb_skips.values()) - len(verbs)
    lines = [
        f"blocks: {len(book.blocks)}",
        f"verb lines: {book.verb_lines}; skipped: {sum(verb_skips.values())}; listed twice in a block: {merged}; "
        f"verbs (verb, particle, block): {len(verbs)}; lemmas: {len({verb['lemma'] for verb in verbs})}",
        *(f"  skipped {count:4d}  {reason}" for reason, count in sorted(verb_skips.items())),
        f"pattern lines: {book.pattern_lines}; kept: {len(kept)}; skipped: {sum(pattern_skips.values())}; "
        f"pattern objects per block after expanding synset modifiers: {sum(len(pattern_rows(p)) for p in kept)}",
        *(f"  skipped {count:4d}  {reason}" for reason, count in sorted(pattern_skips.items())),
        f"kept patterns with words before the verb: {sum(1 for p in kept if p.before)}; source not the subject: "
        f"{sum(1 for p in kept if p.source != 'subject')}; target before the verb: "
        f"{sum(1 for p in kept if p.target == 'before')}; target in a prepositional phrase: "
        f"{sum(1 for p in kept if (p.target or '').startswith('prep:'))}",
        f"synsets: {len(book.synsets)}; transformations: {len(book.transformations)}",
        "per CAMEO root: verbs by their default code / kept patterns by code (reverse when no code; -- no event):",
    ]
    row_roots = Counter(root(verb["code"] or (verb["reverse"] or "")) for verb in verbs)
    pattern_roots = Counter(root(p.code.code or (p.code.reverse or "")) for p in kept)
    for key in sorted(row_roots.keys() | pattern_roots.keys()):
        lines.append(f"  {key}: verbs {row_roots[key]:4d}  patterns {pattern_roots[key]:4d}")
    return lines


def write_outputs(book: Dictionary, rows: Sequence[Json], out_dir: Path) -> None:
    """Write the three generated files; sorted and key-ordered, so a rebuild gives the same bytes."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (out_dir / VERBS_FILE).write_text(text, encoding="utf-8")
    synsets = json.dumps(synsets_json(book), indent=1, ensure_ascii=False) + "\n"
    (out_dir / SYNSETS_FILE).write_text(synsets, encoding="utf-8")
    transformations = json.dumps(book.transformations, indent=1, ensure_ascii=False) + "\n"
    (out_dir / TRANSFORMATIONS_FILE).write_text(transformations, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the dictionary and print the counts; exit 2 when the source is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="CAMEO.2.0.txt of PETRARCH-2")
    parser.add_argument("--out", type=Path, default=PATTERNS_DIR, help="output folder (default: data/patterns)")
    args = parser.parse_args(argv)
    if args.source is None or not args.source.is_file():
        sys.stderr.write(f"build_verbs: source not found: {args.source} (pass --source PATH)\n")
        return 2
    book = read_dictionary(args.source.read_text(encoding="utf-8", errors="replace").splitlines())
    rows = verb_rows(book)
    write_outputs(book, rows, args.out)
    sys.stdout.write("\n".join(summary(book, rows)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
