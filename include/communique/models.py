"""Plain data passed between the stages. No I/O and no behaviour beyond (de)serialising."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open time range ``[start, end)`` in UTC: the unit of idempotent processing."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _aware(self.start, "interval start"))
        object.__setattr__(self, "end", _aware(self.end, "interval end"))
        if self.end < self.start:
            raise ValueError(f"interval ends before it starts: {self.start} > {self.end}")

    @classmethod
    def parse(cls, start: str, end: str) -> Interval:
        """Parse two ISO 8601 strings; a naive time is taken as UTC."""
        return cls(_parse_iso(start), _parse_iso(end))

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def key(self) -> str:
        """Stable text key, e.g. ``2026-01-01T00:00:00+00:00/2026-01-01T01:00:00+00:00``."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"

    def piece_count(self, step: timedelta | None) -> int:
        """How many pieces of ``step`` (from the start; the last may be shorter) cover it; 1 without a step."""
        if step is None:
            return 1
        return -(-(self.end - self.start) // step)

    def piece(self, step: timedelta | None, index: int) -> Interval:
        """The ``index``-th piece of ``step`` from the start, cut at the end; the whole interval without a step."""
        if step is None:
            return self
        start = self.start + index * step
        return Interval(start, min(start + step, self.end))


def _parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed of the registry (``feeds.toml``)."""

    url: str
    outlet: str
    name: str = ""
    language: str = "en"
    country: str | None = None
    poll_interval_minutes: int = 60
    enabled: bool = True
    #: How to read it: ``rss`` (RSS, Atom or RDF) or ``jsonfeed``; see :data:`communique.feeds.parsing.FORMATS`.
    format: str = "rss"


@dataclass(slots=True)
class FeedEntry:
    """One item of a parsed feed, reduced to what the pipeline needs."""

    feed_url: str
    entry_key: str
    url: str
    title: str = ""
    summary: str = ""
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()


@dataclass(slots=True)
class Article:
    """A cleaned article: main text and metadata with provenance."""

    url: str
    canonical_url: str
    title: str
    text: str
    published_at: datetime | None = None
    #: Where ``published_at`` came from: feed, json-ld, meta, time, url, text (a date found in the
    #: page text by htmldate), fetch.
    published_source: str | None = None
    modified_at: datetime | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    site_name: str | None = None
    #: ``ok``, or why the text is not a whole article: teaser, paywall, script_only, empty.
    quality: str = "ok"


@dataclass(slots=True)
class Actor:
    """One party of an event, as written and as coded."""

    text: str
    name: str
    title: str | None = None
    country: str | None = None
    role: str | None = None
    cameo: str = "---"
    start: int | None = None
    end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("text", "name", "title", "country", "role", "cameo")}


@dataclass(slots=True)
class Location:
    text: str
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Evidence:
    """The sentence that states the event, with character offsets in the document text."""

    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Event:
    """One diplomatic event: who did what to whom, when and where, with its evidence."""

    doc_id: str
    event_type: str
    cameo_code: str
    cameo_root: str
    quad_class: int
    plover_type: str
    plover_mode: str | None
    goldstein: float
    source: Actor
    target: Actor
    event_date: date
    date_precision: str
    evidence: Evidence
    confidence: float
    extractor_version: str
    participants: list[Actor] = field(default_factory=list)
    location: Location | None = None
    topics: list[str] = field(default_factory=list)
    #: Which rule made the event ("verb:accuse", "noun:talk>visit"): for debugging and measuring rules.
    rule: str = ""

    @property
    def event_id(self) -> str:
        """Deterministic id of the event itself (not of the report).

        Two reports of the same act (same code, same coded parties, same day, same
        country of location) get the same id, which is how the warehouse merges them.
        """
        location_country = self.location.country if self.location and self.location.country else ""
        key = "|".join(
            (
                self.cameo_code,
                self.source.cameo,
                self.target.cameo,
                self.event_date.isoformat(),
                location_country,
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``communique extract``, keys in a fixed order."""
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "event_date": self.event_date.isoformat(),
            "date_precision": self.date_precision,
            "event_type": self.event_type,
            "cameo_code": self.cameo_code,
            "cameo_root": self.cameo_root,
            "quad_class": self.quad_class,
            "plover_type": self.plover_type,
            "plover_mode": self.plover_mode,
            "goldstein": self.goldstein,
            "source": self.source.to_json(),
            "target": self.target.to_json(),
            "participants": [p.to_json() for p in self.participants],
            "location": asdict(self.location) if self.location else None,
            "topics": list(self.topics),
            "evidence": asdict(self.evidence),
            "confidence": self.confidence,
            "extractor_version": self.extractor_version,
        }


@dataclass(slots=True)
class StageReport:
    """What one run of a stage did: counts and skip reasons, small enough for XCom and a log line.

    Every stage function returns one; the Airflow glue and the CLI turn it into JSON
    (:meth:`to_json`), metrics, an ops row and a human summary (:meth:`summary`).
    """

    stage: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: Fetch: first and last landing time of the pages it landed (the asset event that starts processing).
    landed_from: datetime | None = None
    landed_to: datetime | None = None
    #: History imports: the publication range that was asked for.
    span: Interval | None = None

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def skip(self, reason: str, amount: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + amount

    def landed(self, moment: datetime) -> None:
        """Widen the landed range to include ``moment``."""
        self.landed_from = moment if self.landed_from is None else min(self.landed_from, moment)
        self.landed_to = moment if self.landed_to is None else max(self.landed_to, moment)

    def merge(self, other: StageReport) -> None:
        """Add ``other``'s counts, skips and landed range to this report (shards, several sources)."""
        for name, value in other.counts.items():
            self.add(name, value)
        for reason, value in other.skipped.items():
            self.skip(reason, value)
        for moment in (other.landed_from, other.landed_to):
            if moment is not None:
                self.landed(moment)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"stage": self.stage, "counts": dict(self.counts), "skipped": dict(self.skipped)}
        if self.landed_from and self.landed_to:
            landed = {"landed_from": self.landed_from.isoformat(), "landed_to": self.landed_to.isoformat()}
            result["landed_range"] = landed
        if self.span:
            result["range"] = {"start": self.span.start.isoformat(), "end": self.span.end.isoformat()}
        return result

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StageReport:
        """The report :meth:`to_json` wrote (as it comes back from XCom)."""
        report = cls(str(data["stage"]), dict(data.get("counts", {})), dict(data.get("skipped", {})))
        if landed := data.get("landed_range"):
            report.landed_from = datetime.fromisoformat(landed["landed_from"])
            report.landed_to = datetime.fromisoformat(landed["landed_to"])
        if span := data.get("range"):
            report.span = Interval(datetime.fromisoformat(span["start"]), datetime.fromisoformat(span["end"]))
        return report

    def summary(self) -> str:
        """One line for a human: ``clean: 240 pages, 231 cleaned, 6 not English, 3 teasers``.

        Counts come in the order the stage counted them, then the skip reasons, most frequent
        first; names without a label in :data:`SUMMARY_LABELS` are shown with spaces for underscores.
        """
        counts = [_counted(self.stage, name, value) for name, value in self.counts.items()]
        skips = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
        parts = counts + [_counted(self.stage, reason, value) for reason, value in skips]
        return f"{self.stage}: {', '.join(parts) or 'nothing'}"


#: How :meth:`StageReport.summary` words a count or skip reason: by ``(stage, name)``, else by name.
SUMMARY_LABELS: dict[tuple[str, str] | str, str] = {
    ("poll", "feeds"): "feeds polled",
    ("poll", "new_entries"): "new",
    ("poll", "not_due"): "not due",
    "status_ok": "ok",
    "status_not_modified": "not modified",
    "status_unchanged": "unchanged",
    "status_gone": "gone",
    "status_error": "failed",
    ("fetch", "candidates"): "to fetch",
    ("fetch", "known"): "already stored",
    ("fetch", "duplicate_urls"): "URLs listed twice",
    ("clean", "usable"): "cleaned",
    "non_english": "not English",
    "teaser": "teasers",
    "paywall": "paywalled",
    "script_only": "script-only",
    "clean_error": "unreadable",
    ("deduplicate", "signed"): "signed",
    ("deduplicate", "known"): "clustered before",
    "new_stories": "new stories",
    "duplicates": "copies",
    "duplicates_canonical": "same URL",
    "duplicates_exact": "same text",
    "duplicates_near": "near copies",
    "extract_error": "stories the rules could not read",
    "mentions_loaded": "mentions loaded",
    "mentions_removed": "mentions removed",
    "facts_upserted": "facts new or changed",
    "facts_deleted": "facts deleted",
    ("check", "failed"): "failed",
    ("migrate", "applied"): "migrations applied",
    "no_interval": "runs without an interval",
}


def _counted(stage: str, name: str, value: int) -> str:
    """``'231 cleaned'``; byte counts in kB/MB."""
    if name == "bytes":
        return f"{value / 1e6:,.1f} MB received" if value >= 1e6 else f"{value / 1e3:,.1f} kB received"
    label = SUMMARY_LABELS.get((stage.partition("#")[0], name)) or SUMMARY_LABELS.get(name) or name.replace("_", " ")
    return f"{value:,} {label}"


@dataclass(slots=True)
class RangeReport:
    """What processing a range piece by piece did: the pieces that held landed pages, and their stages' counts.

    Pieces in which nothing landed are not processed (a run of them would change nothing);
    ``pieces`` says how many the range has, ``processed`` which ones were run.
    """

    interval: Interval
    step: timedelta | None
    pieces: int = 0
    processed: list[Interval] = field(default_factory=list)
    stages: dict[str, StageReport] = field(default_factory=dict)
    seconds: float = 0.0
    #: The piece that failed (processing stops there), and why.
    failed: Interval | None = None
    error: str = ""

    def add(self, piece: Interval, reports: list[StageReport], seconds: float) -> None:
        """Count one processed piece: its stage reports are summed by stage."""
        self.processed.append(piece)
        self.seconds += seconds
        for report in reports:
            self.stages.setdefault(report.stage, StageReport(report.stage)).merge(report)

    def count(self, stage: str, *names: str) -> int:
        """The sum of some counts of one stage over the processed pieces."""
        report = self.stages.get(stage)
        return sum(report.counts.get(name, 0) for name in names) if report else 0

    @property
    def hours(self) -> float:
        return (self.interval.end - self.interval.start) / timedelta(hours=1)

    def figures(self) -> dict[str, int]:
        """The totals the summary shows: articles cleaned, stories extracted, events found, facts changed."""
        return {
            "articles": self.count("clean", "pages"),
            "stories": self.count("extract", "stories"),
            "events": self.count("extract", "events"),
            "facts changed": self.count("load", "facts_upserted", "facts_deleted"),
        }
