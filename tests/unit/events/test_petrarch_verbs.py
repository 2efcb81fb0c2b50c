"""The PETRARCH-2 verb converter (data/build_verbs.py) on small inline snippets, and the committed output.

The snippets follow CAMEO.2.0.txt's format; the committed output is rebuilt from the copy of the source in
tests/data/knowledge/petrarch2 (MIT, with its LICENSE).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from communique.data import build_verbs
from communique.data.build_verbs import PATTERNS_DIR, counterparts, read_dictionary, verb_rows
from tests.support.paths import DATA

#: The PETRARCH-2 verb dictionary, byte for byte (tests/data/SOURCES.md).
PETRARCH_SOURCE = DATA / "knowledge" / "petrarch2" / "CAMEO.2.0.txt"
CODE = re.compile(r"^\d{3,4}$")
SLOT = re.compile(r"^(subject|object|before|prep:[a-z]+(/[a-z]+)*)$")
SYNSETS = """\
&MILITARY
+TROOPS
+ARMED_FORCES
+NAVY_

&AUXVERB_
+WILL
"""
#: The line number of the first line after the synsets in a converted snippet (its block header).
FIRST = SYNSETS.count("\n") + 3


def per_verb(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The block rows as one row per (verb, block), sorted by lemma, block and particle: easier to check."""
    rows = [
        {**verb, "block": block["block"], "patterns": block["patterns"]} for block in blocks for verb in block["verbs"]
    ]
    return sorted(rows, key=lambda r: (r["lemma"], r["block"], r["particle"] or ""))


def _convert(verbs: str, synsets: str = SYNSETS) -> tuple[build_verbs.Dictionary, list[dict[str, Any]]]:
    text = synsets + "\n####### VERB PATTERNS #######\n" + verbs
    book = read_dictionary(text.splitlines())
    return book, per_verb(verb_rows(book))


def _pattern(line: str, verb: str = "MEET") -> dict[str, Any]:
    """The single pattern object one pattern line converts to."""
    book, rows = _convert(f"--- TEST [040] ---\n{verb}\n{line}\n")
    assert not book.skipped, book.skipped
    (pattern,) = rows[0]["patterns"]
    return pattern


def _skip_reason(line: str) -> str:
    book, rows = _convert(f"--- TEST [040] ---\nMEET\n{line}\n")
    assert rows[0]["patterns"] == []
    (reason,) = book.skipped
    return reason


# ---------------------------------------------------------------- words and synsets


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("talks", ["talk"]),
        ("talk", ["talks"]),
        ("ally", ["allies"]),
        ("allies", ["ally"]),
        ("convoy", ["convoys"]),
        ("marches", ["march"]),
        ("crisis", ["crises"]),
        ("gunmen", ["gunman"]),
        ("armed forces", ["armed force"]),
        ("prime minister", ["prime ministers"]),
        ("gas", []),
        ("strongly", []),
        ("rally", ["rallies"]),
        ("pessimistic", []),
        ("unacceptable", []),
        ("table", ["tables"]),
        ("not", []),
    ],
)
def test_counterparts_give_the_other_number(word: str, expected: list[str]) -> None:
    assert counterparts(word) == expected


def test_a_synset_expands_inline_with_both_numbers_except_fixed_words() -> None:
    pattern = _pattern("- * &MILITARY [150]")
    head = pattern["object"]["head"]
    assert head[:3] == ["troops", "armed forces", "navy"]  # as written first, trailing _ dropped
    assert set(head[3:]) == {"troop", "armed force"}  # no "navies": NAVY_ has a trailing _


def test_a_synset_label_ending_in_underscore_gets_no_plurals() -> None:
    book, _ = _convert("")
    assert build_verbs.synset_words("&AUXVERB_", book.synsets, inflect=True) == ("will",)
    assert build_verbs.synsets_json(book) == {"&MILITARY": ["troops", "armed forces", "navy"], "&AUXVERB_": ["will"]}


def test_an_undefined_synset_skips_the_pattern() -> None:
    assert _skip_reason("- * &WEATHER [150]") == "undefined synset"


def test_a_synset_modifier_expands_to_one_pattern_per_word() -> None:
    _, rows = _convert("--- TEST [040] ---\nSEND\n- * {&MILITARY AID} [0232]  # SEND\n")
    patterns = rows[0]["patterns"]
    assert [p["object"]["words"] for p in patterns] == [["troops"], ["armed forces"], ["navy"]]
    assert {p["line"] for p in patterns} == {FIRST + 2}
    assert all(p["object"]["head"] == ["aid", "aids"] for p in patterns)


# ---------------------------------------------------------------- verbs


def test_irregular_forms_and_a_verb_without_them() -> None:
    _, rows = _convert("--- MEET_PEOPLE [040] ---\nMEET {MEETS MET MEETING}\nCONTACT\n")
    assert [(r["lemma"], r["particle"], r["forms"], r["code"]) for r in rows] == [
        ("contact", None, [], "040"),
        ("meet", None, ["meets", "met", "meeting"], "040"),
    ]


def test_a_multi_word_verb_keeps_its_particle_and_the_verb_word_forms() -> None:
    _, rows = _convert("--- MEET_PEOPLE [040] ---\n+MEET_WITH {+MET_WITH +MEETS_WITH +MEETING_WITH }\n")
    assert rows[0] | {"patterns": []} == {
        "lemma": "meet",
        "particle": "with",
        "forms": ["met", "meets", "meeting"],
        "block": "MEET_PEOPLE",
        "code": "040",
        "reverse": None,
        "patterns": [],
    }


def test_commas_between_forms_and_comments_after_a_semicolon_are_ignored() -> None:
    _, rows = _convert(
        "--- T [030] ---\n+IS_DETERMINED {+WAS_DETERMINED , +ARE_DETERMINED} [030]\nSCRAP {SCRAPS };shan 8/30/93\n"
    )
    assert [(r["lemma"], r["particle"], r["forms"]) for r in rows] == [
        ("is", "determined", ["was", "are"]),
        ("scrap", None, ["scraps"]),
    ]


def test_a_verb_whose_forms_inflect_another_word_is_skipped() -> None:
    book, rows = _convert("--- T [---] ---\n+WIRE_TAP {+WIRE_TAPS +WIRE_TAPPED}\n")
    assert rows == []
    assert book.skipped == {"verb: form whose other words differ from the verb's": 1}


def test_a_verb_code_overrides_the_block_code_and_block_reverse_codes_are_kept() -> None:
    _, rows = _convert("--- ASK [---] ---\nASK [020]\nWONDER\n--- VISIT [042:043] ---\nVISIT\n")
    assert [(r["lemma"], r["code"], r["reverse"]) for r in rows] == [
        ("ask", "020", None),
        ("visit", "042", "043"),
        ("wonder", "", None),
    ]


def test_one_row_per_verb_and_block_sorted_and_duplicates_merged() -> None:
    verbs = "--- B2 [010] ---\nSAY\n--- B1 [020] ---\nSAY\nBRING\nBRING {BRINGS BROUGHT}\n+ASK_FOR\nASK\n"
    _, rows = _convert(verbs)
    assert [(r["lemma"], r["block"], r["particle"]) for r in rows] == [
        ("ask", "B1", None),
        ("ask", "B1", "for"),
        ("bring", "B1", None),
        ("say", "B1", None),
        ("say", "B2", None),
    ]
    assert rows[2]["forms"] == ["brings", "brought"]


def test_every_verb_of_a_block_shares_its_patterns() -> None:
    _, rows = _convert("--- B [040] ---\nMEET\nCONTACT\n- * PAYMENT [061]  # MEET\n")
    assert rows[0]["patterns"] == rows[1]["patterns"]
    assert len(rows[0]["patterns"]) == 1


# ---------------------------------------------------------------- pattern elements


def test_the_example_of_the_brief() -> None:
    assert _pattern("- * PAYMENT                                           [061]         # MEET") == {
        "code": "061",
        "reverse": None,
        "before": [],
        "object": {"head": ["payment", "payments"], "words": []},
        "preps": [],
        "source": "subject",
        "target": "object",
        "line": FIRST + 2,
        "comment": "MEET",
    }


@pytest.mark.parametrize(
    ("line", "obj"),
    [
        ("- * CALLS [:020]", {"head": ["call", "calls"], "words": []}),
        ("- * {SHARP JAB} [110]", {"head": ["jab", "jabs"], "words": ["sharp"]}),
        ("- * AIR_STRIKE [138]", {"head": ["strike", "strikes"], "words": ["air"]}),
        ("- * NEWS_ [010]", {"head": ["news"], "words": []}),
        ("- * CEASE-FIRE [0356]", {"head": ["cease-fire", "cease-fires"], "words": []}),
        ("- * (IN FAVOUR/FAVOR) [053]", None),
    ],
)
def test_the_object_phrase(line: str, obj: dict[str, Any] | None) -> None:
    assert _pattern(line)["object"] == obj


@pytest.mark.parametrize(
    ("line", "preps"),
    [
        ("- * (AT) [036]", [{"prep": ["at"], "head": None, "words": []}]),
        ("- * (WITH LEADERS) [036:036]", [{"prep": ["with"], "head": ["leader", "leaders"], "words": []}]),
        ("- * (OF {BANNED PARTIES}) [1722]", [{"prep": ["of"], "head": ["party", "parties"], "words": ["banned"]}]),
        ("- * (OF ^) [111]", [{"prep": ["of"], "head": None, "words": []}]),
        ("- * (BY/WITH GRENADE) [193]", [{"prep": ["by", "with"], "head": ["grenade", "grenades"], "words": []}]),
        (
            "- * (IN FAVOUR/FAVOR) [053]",
            [{"prep": ["in"], "head": ["favour", "favours", "favor", "favors"], "words": []}],
        ),
        ("- * (TO )  [036]", [{"prep": ["to"], "head": None, "words": []}]),
        (
            "- * (ON STATE) (OF ALERT) [152]",
            [
                {"prep": ["on"], "head": ["state", "states"], "words": []},
                {"prep": ["of"], "head": ["alert", "alerts"], "words": []},
            ],
        ),
    ],
)
def test_prepositional_phrases(line: str, preps: list[dict[str, Any]]) -> None:
    assert _pattern(line)["preps"] == preps


def test_words_before_the_verb() -> None:
    pattern = _pattern("- &MILITARY {AIR STRIKE} STRONGLY * [195]")
    assert pattern["before"] == [
        ["troops", "armed forces", "navy", "troop", "armed force"],
        ["air"],
        ["strike", "strikes"],
        ["strongly"],
    ]
    assert (pattern["object"], pattern["source"], pattern["target"]) == (None, "subject", None)


@pytest.mark.parametrize(
    ("line", "source", "target"),
    [
        ("- * PAYMENT [061]", "subject", "object"),
        ("- * (FOR TALKS) [036]", "subject", None),  # no slot and no object: the matcher decides
        ("- * + [111]", "subject", "object"),
        ("- * + (FOR HELP) [020]", "subject", "object"),
        ("- * $ [111]", "object", None),
        ("- * {PASSENGER CARS} (TO +) [061]", "subject", "prep:to"),
        ("- * CLAIM (AGAINST) + [115]", "subject", "prep:against"),
        ("- * (TO {BANNED PARTIES}) $ [1722]", "prep:to", None),
        ("- * WITHDRAWAL (OF $) (FROM +) [0874]", "prep:of", "prep:from"),
        ("- * PROTESTS (FROM $) [110]", "prep:from", "object"),
        ("- + * {DEATH THREAT} [:138]", None, "before"),
        ("- + INSPECTOR * (INTO $) [0862]", "prep:into", "before"),
        ("- $ TROOP * (TOWARD RETREAT) [0874]", "before", None),
        ("- $ * (AS &MILITARY) (WITH +) [045]", "before", "prep:with"),
    ],
)
def test_source_and_target_slots(line: str, source: str | None, target: str | None) -> None:
    pattern = _pattern(line)
    assert (pattern["source"], pattern["target"]) == (source, target)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("[040]", {"code": "040", "reverse": None}),
        ("[0231]", {"code": "0231", "reverse": None}),
        ("[042:043]", {"code": "042", "reverse": "043"}),
        ("[:110]", {"code": "", "reverse": "110"}),
        ("[---]", {"code": "", "reverse": None, "no_event": True}),
    ],
)
def test_codes(code: str, expected: dict[str, Any]) -> None:
    pattern = _pattern(f"- * PAYMENT {code}  # MEET")
    assert {key: pattern[key] for key in ("code", "reverse", "no_event") if key in pattern} == expected


def test_a_block_without_event_has_an_empty_code() -> None:
    _, rows = _convert("--- ACCELERATE [---] ---\nHASTEN\n")
    assert (rows[0]["code"], rows[0]["reverse"]) == ("", None)


def test_a_pattern_without_a_comment_gets_an_empty_one() -> None:
    assert _pattern("- * PAYMENT [061]")["comment"] == ""


# ---------------------------------------------------------------- what is skipped, and why


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("- * DOWN (FROM) [080!]  # BACK", "malformed code"),
        ("- * PAYMENT  # no code", "malformed code"),
        ("- * VENTURE (WITH VISIT)   VISIT)[042:043]  # MAKE", "unbalanced brackets"),
        ("- *_LAWS [---]", "malformed word"),
        ("- * UP RESISTANCE [110]", "particle after the verb or its object"),
        ("- * OFF [160]", "particle after the verb or its object"),
        ("- * MINISTER OUT [161]", "particle after the verb or its object"),
        ("- * TROOP TOWARD + [154]", "preposition outside parentheses"),
        ("- * ON [020]", "preposition outside parentheses"),
        ("- * COURT MARTIAL [:093]", "several phrases after the verb"),
        ("- * (TO A VOTE) [014]", "several phrases in a prepositional phrase"),
        ("- * (OUT OF) [201]", "two prepositions in one prepositional phrase"),
        ("- * + MISSION [050]", "slot and object both after the verb"),
        ("- * HELP + [033]", "slot after the object or another slot"),
        ("- DELIVERY (OF &MILITARY) * $ [073]", "prepositional phrase before the verb"),
        ("- % &MILITARY * [062:062]", "unknown token %"),
        ("- * IDEA_OF [014]", "underscore-joined words that are no noun phrase"),
        ("- * + (TO +) [042]", "slot used twice"),
        ("- PAYMENT [061]", "no single verb marker *"),
    ],
)
def test_unrepresentable_patterns_are_skipped_with_a_reason(line: str, reason: str) -> None:
    assert _skip_reason(line) == reason


def test_skipped_lines_are_recorded_and_the_rest_of_the_block_kept() -> None:
    book, rows = _convert("--- B [040] ---\nMEET\n- * UP RESISTANCE [110]\n- * PAYMENT [061]\n")
    first = FIRST + 2
    assert book.skipped_lines == {"particle after the verb or its object": [first]}
    assert [p["line"] for p in rows[0]["patterns"]] == [first + 1]


def test_a_header_with_junk_after_the_code_still_opens_a_block() -> None:
    _, rows = _convert("---  DISGRACE   [110]---  ---\nDISGRACE\n")
    assert (rows[0]["block"], rows[0]["code"]) == ("DISGRACE", "110")


def test_transformations_are_listed_and_commented_ones_left_out() -> None:
    text = "--- SAY [010] ---\nSAY\n######## TRANSFORMATIONS ##########\n~ a (a b ATTACK) SAY = a b 015\n#~ a b\n"
    book, _ = _convert(text)
    assert book.transformations == [{"pattern": "~ a (a b ATTACK) SAY = a b 015", "line": FIRST + 3}]


# ---------------------------------------------------------------- the command


def test_a_missing_source_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_verbs.main(["--source", str(tmp_path / "none.txt"), "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "source not found" in error
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_three_files_and_prints_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "CAMEO.txt"
    source.write_text(SYNSETS + "####### VERB PATTERNS\n--- MEET [040] ---\nMEET\n- * UP X [010]\n- * Y [036]\n")
    assert build_verbs.main(["--source", str(source), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "blocks: 1" in out and "skipped    1  particle after the verb or its object" in out
    assert "03: verbs    0  patterns    1" in out and "04: verbs    1  patterns    0" in out
    rows = per_verb([json.loads(line) for line in (tmp_path / "petrarch_verbs.jsonl").read_text().splitlines()])
    assert [r["lemma"] for r in rows] == ["meet"]
    assert json.loads((tmp_path / "petrarch_transformations.json").read_text()) == []
    assert "&MILITARY" in json.loads((tmp_path / "petrarch_synsets.json").read_text())


# ---------------------------------------------------------------- the committed files


@pytest.fixture(scope="module")
def committed_rows() -> list[dict[str, Any]]:
    lines = (PATTERNS_DIR / build_verbs.VERBS_FILE).read_text(encoding="utf-8").splitlines()
    return per_verb([json.loads(line) for line in lines])


def _valid_code(code: str | None, *, empty: bool) -> bool:
    return code is None or bool(CODE.match(code)) or (empty and code == "")


def test_every_committed_row_is_a_verb_row(committed_rows: list[dict[str, Any]]) -> None:
    assert len(committed_rows) > 1700
    keys = ["lemma", "particle", "forms", "block", "code", "reverse", "patterns"]
    for row in committed_rows:
        assert sorted(row) == sorted(keys), row.get("lemma")
        assert row["lemma"] and row["lemma"] == row["lemma"].lower()
        assert row["particle"] is None or row["particle"] == row["particle"].lower()
        assert all(form == form.lower() for form in row["forms"])
        assert _valid_code(row["code"], empty=True) and row["code"] is not None
        assert _valid_code(row["reverse"], empty=False)


def test_committed_rows_are_sorted_and_unique(committed_rows: list[dict[str, Any]]) -> None:
    keys = [(r["lemma"], r["block"], r["particle"] or "") for r in committed_rows]
    assert keys == sorted(set(keys))


def test_every_committed_pattern_is_well_formed(committed_rows: list[dict[str, Any]]) -> None:
    blocks = {row["block"]: row["patterns"] for row in committed_rows}
    for patterns in blocks.values():
        for pattern in patterns:
            assert _valid_code(pattern["code"], empty=True) and pattern["code"] is not None
            assert _valid_code(pattern["reverse"], empty=False)
            assert pattern.get("no_event", True) is True
            assert pattern["code"] or pattern["reverse"] or pattern.get("no_event")
            assert all(word == word.lower() for item in pattern["before"] for word in item)
            for phrase in [pattern["object"], *pattern["preps"]]:
                if phrase is not None:
                    words = [*(phrase["head"] or []), *phrase["words"]]
                    assert all(word and word == word.lower() and "_" not in word for word in words)
            assert all(p["prep"] and all(re.fullmatch("[a-z]+", x) for x in p["prep"]) for p in pattern["preps"])
            for slot in (pattern["source"], pattern["target"]):
                assert slot is None or SLOT.match(slot)
            assert isinstance(pattern["line"], int) and pattern["line"] > 0


def test_the_verbs_the_extractor_needs_most_are_there(committed_rows: list[dict[str, Any]]) -> None:
    codes = {(r["lemma"], r["particle"]): r["code"] for r in committed_rows}
    assert codes[("meet", None)] == "040"
    assert codes[("meet", "with")] == "040"
    assert codes[("visit", None)] == "042"
    assert codes[("condemn", None)] == "111"


def test_the_reference_files_parse() -> None:
    synsets = json.loads((PATTERNS_DIR / build_verbs.SYNSETS_FILE).read_text(encoding="utf-8"))
    assert len(synsets) == 40 and all(name.startswith("&") for name in synsets)
    transformations = json.loads((PATTERNS_DIR / build_verbs.TRANSFORMATIONS_FILE).read_text(encoding="utf-8"))
    assert all(set(t) == {"pattern", "line"} and t["pattern"].startswith("~") for t in transformations)
    assert "676801cd9cb2924bbbad09f86d15c9323e7097bf" in (PATTERNS_DIR / "PETRARCH_NOTICE.md").read_text()


def test_the_committed_files_are_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rebuild from the copy of CAMEO.2.0.txt in tests/data: run the command and commit its output when this fails."""
    source = PETRARCH_SOURCE
    assert build_verbs.main(["--source", str(source), "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    for name in (build_verbs.VERBS_FILE, build_verbs.SYNSETS_FILE, build_verbs.TRANSFORMATIONS_FILE):
        assert (tmp_path / name).read_bytes() == (PATTERNS_DIR / name).read_bytes(), name
