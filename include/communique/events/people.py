"""Who is who, and when: named people and the country and role they stood for on a given day.

The tables are ``data/actors/*.tsv`` (the team's office holders since 2014 and the Phoenix
dictionaries' people, converted by ``data/build_actors.py``) and, when a user has run ``communique
actors refresh``, the newest Wikidata snapshot under ``COMMUNIQUE_HOME/actors/``. A row is one
office term: a CAMEO actor code (``EGYGOV``, ``IGOUNO``), the names news uses for the person, and
the dates the code held. "Sisi" is EGYMIL before 2012 and EGYGOV from 2014; "Obama" is USAGOV from
2009 to 2017 and nobody the tables know after.

Resolution takes the article's date: of the terms valid that day, the most senior office wins
(head of state or government, then foreign and defence ministers and heads of international
bodies, then other ministers ...); the team's table wins over the older dictionaries; a name that
then still points at people of two countries resolves to nobody rather than to a guess. Rows
without dates (the dictionaries' general affiliations) are not used: without a term, a name says
nothing about whom a person speaks for.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from communique.settings import DATA_DIR

LOGGER = logging.getLogger(__name__)

ACTORS_DIR = DATA_DIR / "actors"
PEOPLE_FILES = ("people.tsv", "people_2000s.tsv", "phoenix_people.tsv")
#: CAMEO role blocks of people who speak for a state or an organised party; business, media,
#: civil-society and other private roles are left out (their acts are not diplomacy).
PUBLIC_ROLES = frozenset(
    {"GOV", "MIL", "LEG", "JUD", "OPP", "REB", "ELI", "SPY", "COP", "PTY", "INS", "SEP", "MOD", "RAD", "UAF"}
)
TRANSNATIONAL = ("IGO", "NGO", "IMG")
#: Seniority of an office: lower wins when one name fits several people on the same day.
OFFICE_RANK = {
    "head_of_state": 0,
    "head_of_government": 0,
    "foreign_minister": 1,
    "defence_minister": 1,
    "igo_head": 1,
    "armed_group_leader": 1,
    "interior_minister": 2,
    "finance_minister": 2,
    "other_minister": 2,
    "igo_official": 2,
    "military_chief": 2,
    "ambassador": 2,
    "party_leader": 2,
    "speaker": 2,
    "other": 3,
    "": 3,
}
#: Elites and opposition figures rank below office holders of any kind.
_OUTSIDE_ROLES = frozenset({"ELI", "OPP"})
#: Rows of these sources win over the others on the same day and rank.
_TRUSTED_SOURCES = ("team:", "wikidata:")


@dataclass(frozen=True, slots=True)
class Holding:
    """One person in one office term: the actor code they stood for and when."""

    code: str
    name: str
    title: str
    office: str
    start: date | None
    end: date | None
    source: str
    common_word: bool = False

    @property
    def country(self) -> str | None:
        """The ISO alpha-3 country, or None for an international body or transnational group."""
        return None if self.code.startswith(TRANSNATIONAL) else self.code[:3]

    @property
    def role(self) -> str | None:
        return None if self.code.startswith(TRANSNATIONAL) else (self.code[3:6] or None)

    @property
    def rank(self) -> tuple[int, int]:
        outside = 1 if self.role in _OUTSIDE_ROLES else 0
        trusted = 0 if self.source.startswith(_TRUSTED_SOURCES) else 1
        return (outside * 10 + OFFICE_RANK.get(self.office, 3), trusted)

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(slots=True)
class PeopleKB:
    """Holdings indexed by normalised name form, and the surface forms a matcher should look for.

    ``states`` are the countries the team's table covers (the UN members and a few more): a
    person of a territory the table does not cover ranks below a namesake of a state.
    """

    by_name: dict[str, list[tuple[Holding, bool]]] = field(default_factory=dict)
    surface_forms: set[str] = field(default_factory=set)
    states: set[str] = field(default_factory=set)
    digest: str = ""

    def add(self, holding: Holding, forms: Iterable[str], derived: Iterable[str] = ()) -> None:
        """Index ``holding`` under the names a table gives (``forms``) and those we derive (``derived``)."""
        for form, given in [*((f, True) for f in forms), *((f, False) for f in derived)]:
            key = normalise_name(form)
            if len(key) < 2:
                continue
            self.by_name.setdefault(key, []).append((holding, given))
            self.surface_forms.add(form)

    def knows(self, text: str) -> bool:
        return normalise_name(text) in self.by_name

    def holdings(self, text: str) -> list[Holding]:
        return [holding for holding, _ in self.by_name.get(normalise_name(text), [])]

    def resolve(self, text: str, day: date | None) -> Holding | None:
        """The person a name stands for on ``day``; None when nobody, or people of several countries, fit.

        A name a table gives for a person beats a surname we derived for another; then the most
        senior office, then a state over a territory. Without a day, a name resolves only when
        every dated term it has belongs to one party.
        """
        entries = self.by_name.get(normalise_name(text), [])
        if day is None:
            codes = {h.country or h.code for h, _ in entries}
            return max((h for h, _ in entries), key=lambda h: h.start or date.min) if len(codes) == 1 else None
        valid = [(h, given) for h, given in entries if h.valid_on(day)]
        if not valid:
            return None
        best = min(self._rank(h, given) for h, given in valid)
        top = [h for h, given in valid if self._rank(h, given) == best]
        if len({h.country or h.code for h in top}) > 1:
            return None  # two people of different countries: no guess
        return max(top, key=lambda h: h.start or date.min)

    def _rank(self, holding: Holding, given: bool) -> tuple[int, int, int, int]:
        territory = int(bool(self.states) and holding.country is not None and holding.country not in self.states)
        return (0 if given else 1, holding.rank[0], territory, holding.rank[1])


def normalise_name(text: str) -> str:
    """A name as a lookup key: accents dropped, lower case, hyphens and dots as spaces, one space apart."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("-", " ").replace(".", " ").replace("'", "")
    return " ".join(plain.lower().split())


#: Surnames that are also dates: "in May" is a month, not Theresa May (the full name still resolves).
CALENDAR_WORDS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                            "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                            "friday", "saturday", "sunday"})  # fmt: skip
#: Name particles that news drops when it names a person by surname alone ("Sisi" for "el-Sisi").
_PARTICLES = ("al-", "el-", "ad-", "as-", "ash-", "at-", "az-")
_SEPARATE_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "da", "di", "van", "von", "der", "du", "la", "le"})


def short_forms(name: str) -> list[str]:
    """How news names a person after the first mention: the surname alone, without its particle.

    A wrong guess costs nothing (nobody writes "Jintao" for Hu Jintao); a name that fits people of
    two countries on the same day resolves to nobody (:meth:`PeopleKB.resolve`).
    """
    words = [w for w in name.replace(",", " ").split() if w]
    if len(words) < 2:
        return []
    last = words[-1]
    forms = [last]
    for particle in _PARTICLES:
        if last.lower().startswith(particle):
            forms.append(last[len(particle) :])
    if len(words) >= 3 and words[-2].lower() in _SEPARATE_PARTICLES:
        forms.append(f"{words[-2]} {last}")
    if len(words) >= 3 and words[1].endswith("."):
        forms.append(f"{words[0]} {last}")  # "George W. Bush" -> "George Bush"
    return [f for f in forms if len(f) >= 3 and f[0].isupper() and f.lower() not in CALENDAR_WORDS]


def _day(text: str, *, end: bool) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; a partial end date means the last day of its month or year."""
    text = text.strip()
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        if not end:
            return date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def read_people(path: Path) -> Iterator[tuple[Holding, list[str]]]:
    """The dated, public-role rows of one people table, with the name forms of each."""
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        row = dict(zip(header, fields, strict=False))
        code = row.get("code", "")
        try:
            start, end = _day(row.get("start", ""), end=False), _day(row.get("end", ""), end=True)
        except ValueError:
            LOGGER.warning("%s:%d: unreadable dates; row skipped", path.name, number)
            continue
        if start is None and end is None:
            continue  # an undated affiliation: see the module docstring
        if not code.startswith(TRANSNATIONAL) and code[3:6] not in PUBLIC_ROLES:
            continue
        note = row.get("note", "")
        holding = Holding(
            code, row["name"], row.get("title", ""), row.get("office", ""), start, end, row.get("source", path.stem),
            common_word="common-word alias" in note,
        )  # fmt: skip
        forms = [row["name"], *(a for a in row.get("aliases", "").split("|") if a.strip())]
        yield holding, forms


#: File names of the snapshots ``communique actors refresh`` writes: ``wikidata-YYYY-MM-DD.tsv``.
SNAPSHOT_GLOB = "wikidata-*.tsv"


def newest_snapshot(snapshot_dir: Path | None) -> Path | None:
    """The newest refreshed snapshot in ``snapshot_dir`` (the names sort by date), if there is one."""
    if snapshot_dir is None or not snapshot_dir.is_dir():
        return None
    snapshots = sorted(snapshot_dir.glob(SNAPSHOT_GLOB))
    return snapshots[-1] if snapshots else None


def people_files(snapshot_dir: Path | None = None) -> list[Path]:
    """The tables in use: the bundled ones, then the newest refreshed snapshot if there is one."""
    files = [ACTORS_DIR / name for name in PEOPLE_FILES if (ACTORS_DIR / name).is_file()]
    snapshot = newest_snapshot(snapshot_dir)
    return [*files, snapshot] if snapshot else files


def load_people(snapshot_dir: Path | None = None) -> PeopleKB:
    """Read the people tables once per process (and per snapshot file: a refresh is seen by the next load)."""
    return _load_people(tuple((path, path.stat().st_mtime_ns) for path in people_files(snapshot_dir)))


@cache
def _load_people(files: tuple[tuple[Path, int], ...]) -> PeopleKB:
    kb = PeopleKB()
    digest = hashlib.sha256()
    for path, _ in files:
        digest.update(path.name.encode() + path.read_bytes())
        for holding, forms in read_people(path):
            kb.add(holding, forms, short_forms(holding.name))
            if holding.source.startswith("team:") and holding.country:
                kb.states.add(holding.country)
    kb.digest = digest.hexdigest()[:10]
    return kb
