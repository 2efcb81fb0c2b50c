"""CAMEO codes: the table, composition of governing predicates, QuadClass and PLOVER mapping."""

from __future__ import annotations

import pytest

from communique.events.coding import (
    DIPLOMATIC_PLOVER,
    cameo_table,
    compose,
    describe,
    diplomatic_roots,
    family_codes,
    normalise_plover,
    quad_class,
)
from communique.events.triggers import load_triggers


def test_every_code_is_in_scope_and_consistent() -> None:
    for code, row in cameo_table().items():
        assert code == row.code and row.scope == "diplomatic"
        assert row.plover_type in DIPLOMATIC_PLOVER
        assert -10.0 <= row.goldstein <= 10.0
        assert row.event_type


def test_the_scope_columns_hold_the_codebook_facts() -> None:
    assert diplomatic_roots() == {"02", "03", "04", "05", "06", "07", "08", "10", "11", "12", "13", "16"}
    assert describe("040").mutual and describe("057").mutual and describe("062").mutual
    assert not describe("042").mutual and not describe("043").mutual and not describe("036").mutual
    assert describe("046").topics and describe("070").topics and not describe("163").topics


def test_every_code_a_rule_can_emit_is_described() -> None:
    """Our own rows name only codes we describe (the dictionary's verbs are filtered by in_scope as they code)."""
    emitted: set[str] = set()
    for trigger in load_triggers(petrarch=False).by_lemma.values():
        emitted |= {trigger.code, *trigger.modifiers.values(), *trigger.object_codes.values()}
        emitted |= {c for c in trigger.verbs.values() if c and c != "flip"}
        emitted |= {trigger.phone_code or "", trigger.actor_object_code or ""}
    for family in family_codes():
        emitted |= {compose(family, code) for code in cameo_table()} | {compose(family, None)}
    for code in emitted - {""}:
        assert describe(code).code == code, code


@pytest.mark.parametrize(
    ("family", "embedded", "expected"),
    [
        ("intent", "070", "033"),
        ("intent", "073", "033"),
        ("intent", "040", "036"),
        ("intent", "045", "039"),
        ("intent", "0871", "0356"),
        ("intent", "163", "1312"),
        ("intent", "111", "111"),
        ("intent", None, "030"),
        ("threaten", "163", "1312"),
        ("threaten", "161", "1311"),
        ("threaten", None, "130"),
        ("reject", "046", "125"),
        ("reject", "073", "122"),
        ("appeal", "0841", "025"),
        ("appeal", "040", "026"),
        ("demand", "084", "105"),
        ("demand", None, "100"),
    ],
)
def test_compose(family: str, embedded: str | None, expected: str) -> None:
    assert compose(family, embedded) == expected


@pytest.mark.parametrize(
    ("code", "plover", "event_type", "quad"),
    [
        ("040", "CONSULT", "meeting", 1),
        ("041", "CONSULT", "phone_call", 1),
        ("046", "CONSULT", "negotiation", 1),
        ("057", "AGREE", "agreement", 1),
        ("036", "AGREE", "agreement", 1),
        ("051", "SUPPORT", "praise", 1),
        ("062", "COOPERATE", "cooperation", 2),
        ("073", "AID", "aid", 2),
        ("085", "CONCEDE", "concession", 2),
        ("0871", "RETREAT", "concession", 2),
        ("020", "REQUEST", "appeal", 1),
        ("100", "REQUEST", "demand", 3),
        ("111", "ACCUSE", "criticism", 3),
        ("125", "REJECT", "rejection", 3),
        ("1312", "THREATEN", "threat", 3),
        ("163", "SANCTION", "sanction", 4),
    ],
)
def test_describe(code: str, plover: str, event_type: str, quad: int) -> None:
    row = describe(code)
    assert (row.plover_type, row.event_type, row.quad_class) == (plover, event_type, quad)


def test_unknown_subcode_falls_back_to_its_parent() -> None:
    assert describe("0739").code == "073"
    with pytest.raises(KeyError):
        describe("999")


def test_quad_class_and_old_plover_names() -> None:
    assert [quad_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert normalise_plover("demand") == "REQUEST"
    assert normalise_plover("DISAPPROVE") == "ACCUSE"
    assert normalise_plover("Agree") == "AGREE"
