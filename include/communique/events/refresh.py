"""``communique actors refresh``: office holders from Wikidata, as a dated snapshot the extractor reads.

The bundled people tables (``data/actors/``) thin out after late 2025. A user with internet can
ask Wikidata's SPARQL endpoint (``Settings.wikidata_sparql_url``) for the terms of heads of state
and government, ministers and heads of intergovernmental organisations (P39 *position held*, with
P580/P582 *start/end* qualifiers and English aliases). The answer becomes
``<home>/actors/wikidata-YYYY-MM-DD.tsv``, in the format of ``people.tsv``, and
:func:`communique.events.people.load_people` adds the newest snapshot to the bundled tables. The
pipeline never needs it: without a snapshot the bundled tables are used as before.

Wikidata to CAMEO: a country's position gives ``<ISO alpha-3>GOV`` (the state's P298); a body's
gives the body's code in our gazetteer (``IGOUNO``), and a body we do not know is skipped. The
office (head of state, foreign minister ...) is read from the position's English label and the
labels of what it is a subclass of (P279): "United States Secretary of State" is a subclass of
"foreign minister". Deputy, shadow and junior positions are left out.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from communique.errors import ParseError
from communique.events.gazetteer import Gazetteer, load_gazetteer
from communique.events.people import SNAPSHOT_GLOB, newest_snapshot, read_people
from communique.settings import HttpSettings, Settings

LOGGER = logging.getLogger(__name__)

#: Terms that ended before this day are not asked for (the bundled tables cover the older past).
EARLIEST_END = "2000-01-01"
#: The endpoint may take up to a minute to answer (its own query limit): wait for it.
SPARQL_READ_TIMEOUT = 75.0
SPARQL_TOTAL_TIMEOUT = 150.0
COLUMNS = ("code", "name", "aliases", "title", "office", "start", "end", "source", "note")

#: Heads of state and government (the offices a state names with P1906 / P1313), ministers
#: (positions under Q83307 "minister" that apply to a state: P1001, else P17) and heads of
#: intergovernmental organisations (P2388 of an instance of Q245065). One row per term (a P39
#: statement with a start), aliases and superclass labels folded into ``|``-separated lists.
SPARQL_QUERY = """\
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?person ?personLabel ?position ?positionLabel ?kind ?iso3 ?org ?orgLabel ?start ?end
       (GROUP_CONCAT(DISTINCT ?alias; separator="|") AS ?aliases)
       (GROUP_CONCAT(DISTINCT ?classLabel; separator="|") AS ?classes)
WHERE {
  {
    ?state wdt:P298 ?iso3 ; wdt:P1906 ?position .
    BIND("head_of_state" AS ?kind)
  } UNION {
    ?state wdt:P298 ?iso3 ; wdt:P1313 ?position .
    BIND("head_of_government" AS ?kind)
  } UNION {
    ?position wdt:P279+ wd:Q83307 ; wdt:P1001|wdt:P17 ?state .
    ?state wdt:P298 ?iso3 .
    BIND("minister" AS ?kind)
  } UNION {
    ?org wdt:P31/wdt:P279* wd:Q245065 ; wdt:P2388 ?position .
    ?org rdfs:label ?orgLabel . FILTER(LANG(?orgLabel) = "en")
    BIND("igo_head" AS ?kind)
  }
  ?person p:P39 ?held .
  ?held ps:P39 ?position ; pq:P580 ?start .
  OPTIONAL { ?held pq:P582 ?end }
  FILTER NOT EXISTS { ?held wikibase:rank wikibase:DeprecatedRank }
  FILTER(!BOUND(?end) || ?end >= "@EARLIEST@T00:00:00Z"^^xsd:dateTime)
  ?person wdt:P31 wd:Q5 ; rdfs:label ?personLabel . FILTER(LANG(?personLabel) = "en")
  ?position rdfs:label ?positionLabel . FILTER(LANG(?positionLabel) = "en")
  OPTIONAL { ?person skos:altLabel ?alias . FILTER(LANG(?alias) = "en") }
  OPTIONAL { ?position wdt:P279 ?class . ?class rdfs:label ?classLabel . FILTER(LANG(?classLabel) = "en") }
}
GROUP BY ?person ?personLabel ?position ?positionLabel ?kind ?iso3 ?org ?orgLabel ?start ?end
""".replace("@EARLIEST@", EARLIEST_END)

#: Offices read from the words of a minister's position label (or its superclasses'), first match wins.
_MINISTRIES = (
    ("foreign_minister", "Foreign Minister", ("foreign", "external affairs")),
    ("defence_minister", "Defence Minister", ("defence", "defense", "armed forces", "war")),
    ("interior_minister", "Interior Minister", ("interior", "home affairs", "home secretary", "internal affairs")),
    ("finance_minister", "Finance Minister", ("finance", "treasury", "exchequer")),
)
#: Positions that are not the office itself: deputies, juniors, shadows, ministers without a ministry.
_NOT_THE_OFFICE = re.compile(
    r"\b(deputy|vice|assistant|shadow|junior|under|parliamentary|acting|former|state secretary|minister of state|"
    r"ministers?-designate)\b",
    re.IGNORECASE,
)
_QID = re.compile(r"Q\d+$")


@dataclass(frozen=True, slots=True)
class Term:
    """One person in one office, as a row of a snapshot."""

    code: str
    name: str
    aliases: tuple[str, ...]
    title: str
    office: str
    start: str
    end: str
    source: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Who, for whom, in what office, from when: a term's identity between two snapshots."""
        return (self.source, self.code, self.office, self.start)

    def row(self) -> str:
        values = (self.code, self.name, "|".join(self.aliases), self.title, self.office, self.start, self.end,
                  self.source, self.note)  # fmt: skip
        return "\t".join(_clean(v) for v in values)

    def describe(self) -> str:
        until = f" until {self.end}" if self.end else ""
        return f"{self.code:<9} {self.name} ({self.title}, {self.office}) from {self.start}{until}"


@dataclass(slots=True)
class Changes:
    """What a new snapshot changes against the previous one."""

    added: list[Term] = field(default_factory=list)
    removed: list[Term] = field(default_factory=list)
    ended: list[tuple[Term, Term]] = field(default_factory=list)
    changed: list[tuple[Term, Term]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.ended or self.changed)


@dataclass(slots=True)
class RefreshReport:
    """The outcome of one refresh: the snapshot written, the one it replaces, and the changes."""

    path: Path
    previous: Path | None
    terms: int
    people: int
    skipped: Counter[str]
    changes: Changes


def sparql_url(endpoint: str, query: str = SPARQL_QUERY) -> str:
    """The GET URL of a SPARQL query with JSON results (the SPARQL 1.1 protocol, plus WDQS's ``format``)."""
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode({"query": query, "format": "json"})


def fetch_results(endpoint: str, http: HttpSettings) -> dict[str, Any]:
    """Ask ``endpoint`` the query with our HTTP client (User-Agent, guard, size cap), longer timeouts.

    robots.txt is not consulted: this is an API call the user asked for, not crawling; Wikimedia's
    policy for such calls asks for a descriptive User-Agent, which the client sends.

    :raises communique.errors.FetchError: the endpoint could not be reached or refused.
    :raises communique.errors.ParseError: the answer is not a SPARQL JSON result set.
    """
    from communique.fetch.downloads import HttpClient  # httpx and friends load only for this command

    patient = replace(
        http,
        read_timeout=max(http.read_timeout, SPARQL_READ_TIMEOUT),
        total_timeout=max(http.total_timeout, SPARQL_TOTAL_TIMEOUT),
        respect_robots_txt=False,
    )
    with HttpClient(patient, max_workers=1) as client:
        response = client.fetch(sparql_url(endpoint), kind="data")
    try:
        payload = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{endpoint}: the answer is not JSON ({exc})", reason="not_json") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("results", {}).get("bindings"), list):
        raise ParseError(f"{endpoint}: the answer is not a SPARQL result set", reason="not_sparql_results")
    return payload


def parse_results(payload: Mapping[str, Any], gazetteer: Gazetteer | None = None) -> tuple[list[Term], Counter[str]]:
    """The terms of a SPARQL JSON result set, sorted, and why the other rows were skipped."""
    gazetteer = gazetteer or load_gazetteer()
    terms: dict[tuple[str, str, str, str], Term] = {}
    skipped: Counter[str] = Counter()
    for binding in payload.get("results", {}).get("bindings", []):
        values = {name: str(cell.get("value", "")) for name, cell in binding.items() if isinstance(cell, dict)}
        term, reason = _term(values, gazetteer)
        if term is None:
            skipped[reason] += 1
            continue
        known = terms.get(term.key)
        if known is None or (known.end and (not term.end or term.end > known.end)):
            terms[term.key] = term  # the same term twice (two end qualifiers): the later end
    return sorted(terms.values(), key=lambda t: (t.code, t.name, t.start, t.office)), skipped


def _term(values: Mapping[str, str], gazetteer: Gazetteer) -> tuple[Term | None, str]:
    qid = values.get("person", "").rsplit("/", 1)[-1]
    name = values.get("personLabel", "").strip()
    if not _QID.match(qid) or not name or _QID.match(name):
        return None, "no English name"
    start, end = _day(values.get("start", "")), _day(values.get("end", ""))
    if start is None:
        return None, "no start date"
    label = values.get("positionLabel", "")
    office, title = _office(values.get("kind", ""), label, values.get("classes", ""))
    if office is None:
        return None, "not the office itself"
    code = _code(values, gazetteer)
    if code is None:
        return None, "body not in the gazetteer" if values.get("kind") == "igo_head" else "no country code"
    aliases = tuple(a for a in dict.fromkeys(values.get("aliases", "").split("|")) if _usable_alias(a, name))
    position = values.get("position", "").rsplit("/", 1)[-1]
    return Term(code, name, aliases, title, office, start, end or "", f"wikidata:{qid}", f"{position} {label}"), ""


def _day(value: str) -> str | None:
    """``2014-05-26T00:00:00Z`` -> ``2014-05-26``; None for anything else (BCE, unknown values)."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat() if value else None
    except ValueError:
        return None


def _office(kind: str, label: str, classes: str) -> tuple[str | None, str]:
    """The office and the title news writes before the name, or (None, "") for positions we leave out."""
    if _NOT_THE_OFFICE.search(label):
        return None, ""
    if kind in ("head_of_state", "head_of_government", "igo_head"):
        return kind, _title_of(label)
    if kind != "minister":
        return None, ""
    words = f"{label}|{classes}".lower()
    if "prime minister" in label.lower():
        return None, ""  # a head of government reached through "minister": counted as such above
    for office, title, cues in _MINISTRIES:
        if any(re.search(rf"\b{cue}\b", words) for cue in cues):
            return office, title
    return "other_minister", "Minister"


def _title_of(label: str) -> str:
    """'President of the United States' -> 'President'; 'Secretary-General of the United Nations' likewise."""
    head = re.split(r"\s+of\s+", label, maxsplit=1)[0].strip()
    return head[:1].upper() + head[1:] if head else label


def _code(values: Mapping[str, str], gazetteer: Gazetteer) -> str | None:
    if values.get("kind") == "igo_head":
        entry = gazetteer.lookup(values.get("orgLabel", ""))
        return entry.code if entry is not None and entry.code.startswith("IGO") else None
    iso3 = values.get("iso3", "").strip().upper()
    return f"{iso3}GOV" if re.fullmatch(r"[A-Z]{3}", iso3) else None


def _usable_alias(alias: str, name: str) -> bool:
    """An alias news could write: Latin letters, capitalised, not the name itself, not a bare initial."""
    alias = alias.strip()
    return (
        len(alias) >= 3 and alias != name and alias[0].isupper() and not any(c.isdigit() for c in alias)
        and all(c.isascii() or c.isalpha() for c in alias)
    )  # fmt: skip


def _clean(value: str) -> str:
    return " ".join(value.replace("\t", " ").split())


def snapshot_path(folder: Path, day: date) -> Path:
    """Where the snapshot of ``day`` goes (a name :data:`~communique.events.people.SNAPSHOT_GLOB` matches)."""
    return folder / SNAPSHOT_GLOB.replace("*", day.isoformat())


def write_snapshot(terms: Iterable[Term], path: Path, endpoint: str, fetched: datetime) -> None:
    """Write the snapshot atomically (a temporary file renamed), with a header saying where it comes from."""
    rows = list(terms)
    header = [
        f"# {path.name}: office holders (heads of state and government, ministers, heads of international",
        "# organisations) from Wikidata's SPARQL endpoint, written by `communique actors refresh`.",
        f"# Endpoint: {endpoint}; fetched {fetched.isoformat(timespec='seconds')}; {len(rows)} terms.",
        "# Data: Wikidata (CC0). Columns as in data/actors/people.tsv; source = wikidata:<person QID>;",
        "# note = the position's QID and English label. Do not edit: the next refresh replaces it.",
        "\t".join(COLUMNS),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tsv.partial")
    partial.write_text("\n".join([*header, *(t.row() for t in rows)]) + "\n", encoding="utf-8")
    partial.replace(path)


def read_snapshot(path: Path) -> list[Term]:
    """The terms of a snapshot written by :func:`write_snapshot` (through the people-table reader)."""
    terms = []
    for holding, forms in read_people(path):
        start = holding.start.isoformat() if holding.start else ""
        end = holding.end.isoformat() if holding.end else ""
        terms.append(Term(holding.code, holding.name, tuple(forms[1:]), holding.title, holding.office, start, end,
                          holding.source))  # fmt: skip
    return terms


def compare(old: Iterable[Term], new: Iterable[Term]) -> Changes:
    """Terms added, gone, ended (an end date appeared) and otherwise changed (name, title, end)."""
    before = {t.key: t for t in old}
    after = {t.key: t for t in new}
    changes = Changes()
    for key, term in after.items():
        previous = before.get(key)
        if previous is None:
            changes.added.append(term)
        elif term.end and not previous.end:
            changes.ended.append((previous, term))
        elif (previous.name, previous.title, previous.end) != (term.name, term.title, term.end):
            changes.changed.append((previous, term))
    changes.removed = [term for key, term in before.items() if key not in after]
    return changes


def format_changes(report: RefreshReport, limit: int | None = 200) -> list[str]:
    """The lines ``communique actors refresh`` prints: the summary, then each change (``limit`` per kind)."""
    changes = report.changes
    against = report.previous.name if report.previous else "no earlier snapshot"
    lines = [
        f"wrote {report.path} ({report.terms} office terms of {report.people} people)",
        f"against {against}: {len(changes.added)} new, {len(changes.ended)} ended, "
        f"{len(changes.changed)} changed, {len(changes.removed)} no longer listed",
    ]
    if report.skipped:
        lines.append("rows skipped: " + ", ".join(f"{reason} {n}" for reason, n in sorted(report.skipped.items())))
    sections: list[tuple[str, list[str]]] = [
        ("+", [t.describe() for t in changes.added]),
        ("x", [f"{new.describe()} (ended)" for _, new in changes.ended]),
        ("~", [f"{new.describe()} (was: {old.name}, {old.title}, until {old.end or '-'})" for old, new in
               changes.changed]),
        ("-", [t.describe() for t in changes.removed]),
    ]  # fmt: skip
    for mark, items in sections:
        shown = items if limit is None else items[:limit]
        lines.extend(f"{mark} {item}" for item in shown)
        if len(items) > len(shown):
            lines.append(f"{mark} ... and {len(items) - len(shown)} more")
    return lines


def refresh_actors(settings: Settings, fetched: datetime) -> RefreshReport:
    """Fetch office holders, write today's snapshot under ``settings.actors_dir`` and compare it with the last.

    :param fetched: when the answer was fetched (aware); names the snapshot's day.
    :raises communique.errors.FetchError: the endpoint could not be reached.
    :raises communique.errors.ParseError: the answer is not usable (not SPARQL JSON, or no term at all:
        an empty answer never replaces a snapshot).
    """
    payload = fetch_results(settings.wikidata_sparql_url, settings.http)
    terms, skipped = parse_results(payload)
    if not terms:
        raise ParseError(f"{settings.wikidata_sparql_url}: no office term in the answer; nothing written",
                         reason="empty")  # fmt: skip
    folder = settings.actors_dir
    previous = newest_snapshot(folder)
    old = read_snapshot(previous) if previous else []
    path = snapshot_path(folder, fetched.date())
    write_snapshot(terms, path, settings.wikidata_sparql_url, fetched)  # a second run on one day replaces it
    LOGGER.info("actors snapshot %s: %d terms (%s)", path, len(terms), dict(skipped))
    return RefreshReport(path, previous, len(terms), len({t.source for t in terms}), skipped, compare(old, terms))
