"""CAMEO codes and what they mean: root, QuadClass, Goldstein weight, PLOVER type and mode, event type.

The tables are data files under ``data/patterns/`` (``cameo_codes.tsv``, ``composition.json``);
this module only reads them and answers questions about codes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from communique.settings import DATA_DIR

PATTERNS_DIR = DATA_DIR / "patterns"

#: Older PLOVER category names (2016 GSR) and the current ones they became.
PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE"}

#: The PLOVER categories inside the diplomatic scope of DOMAIN.md.
DIPLOMATIC_PLOVER = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "COOPERATE",
        "AID",
        "CONCEDE",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "SANCTION",
    }
)


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code with everything a fact row derives from it."""

    code: str
    name: str
    event_type: str
    plover_type: str
    plover_mode: str | None
    goldstein: float
    #: Both parties perform it together (a meeting, a call, a signing): coded in both directions.
    mutual: bool = False
    #: Its events carry topics (what the talks, the deal, the aid are about).
    topics: bool = False
    #: ``diplomatic`` when inside the scope the benches score.
    scope: str = "diplomatic"

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        return quad_class(self.root)


def quad_class(root: str) -> int:
    """GDELT's QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal and 4 material conflict."""
    number = int(root)
    if number <= 5:
        return 1
    if number <= 8:
        return 2
    return 3 if number <= 13 else 4


@cache
def cameo_table() -> dict[str, CameoCode]:
    """All codes Communiqué can emit, keyed by code."""
    table: dict[str, CameoCode] = {}
    lines = (PATTERNS_DIR / "cameo_codes.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        code, goldstein, event_type, plover, mode, name, mutual, topics, scope = line.split("\t")
        table[code] = CameoCode(
            code, name, event_type, plover, mode or None, float(goldstein), mutual == "yes", topics == "yes", scope
        )
    return table


def in_scope(code: str) -> bool:
    """Whether ``code`` (or its parent) is a code Communiqué emits."""
    try:
        describe(code)
    except KeyError:
        return False
    return True


@cache
def diplomatic_roots() -> frozenset[str]:
    """The CAMEO roots inside the diplomatic scope (what the benches score on CAMEO-coded gold)."""
    return frozenset(row.root for row in cameo_table().values() if row.scope == "diplomatic")


def describe(code: str) -> CameoCode:
    """The table row of ``code``; an unknown sub-code falls back to its parent (``0356`` -> ``035``)."""
    table = cameo_table()
    for length in range(len(code), 2, -1):
        row = table.get(code[:length])
        if row is not None:
            return row
    raise KeyError(f"unknown CAMEO code {code!r}")


@cache
def _composition() -> dict[str, dict[str, str]]:
    raw = json.loads((PATTERNS_DIR / "composition.json").read_text(encoding="utf-8"))
    return {family: rules for family, rules in raw.items() if not family.startswith("_")}


def compose(family: str, embedded: str | None) -> str:
    """The code of a governing predicate of ``family`` over an embedded action coded ``embedded``.

    "agreed to provide aid" is ``compose("intent", "070") == "033"``; "threatened to impose
    sanctions" is ``compose("threaten", "163") == "1312"``.
    """
    rules = _composition()[family]
    if embedded:
        for length in range(len(embedded), 1, -1):
            result = rules.get(embedded[:length])
            if result is not None:
                return embedded if result == "=" else result
    return rules["default"]


def normalise_plover(category: str) -> str:
    """Map an older PLOVER name to the current one (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE)."""
    upper = category.strip().upper()
    return PLOVER_RENAMES.get(upper, upper)


def family_codes() -> frozenset[str]:
    """The families that :func:`compose` knows (intent, threaten, reject, appeal, demand)."""
    return frozenset(_composition())
