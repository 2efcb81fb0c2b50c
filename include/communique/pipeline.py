"""One function per DAG task. Each takes settings, a warehouse DSN and (for processing)
the data interval, does its work in the warehouse, and returns a :class:`StageReport`.

These are the only functions the DAGs and the CLI call. Data moves between stages through
warehouse tables; what a stage returns is its counts, fit for XCom and for a log line
(the caller logs :meth:`StageReport.summary` once, with the stage's duration).

A processing stage holds its interval's lock while it works (:mod:`communique.warehouse.locks`),
so two runs of one interval never interleave inside a stage, and ``run`` names the run whose
staged events the extract and load stages write and consume: a load finds only what its own
run staged, and changes nothing when that is already loaded.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from communique.dedup.fingerprints import text_fingerprint
from communique.dedup.matching import match_copy
from communique.dedup.urls import resolve_canonical
from communique.models import FeedSpec, Interval, RangeReport, StageReport
from communique.settings import Settings
from communique.warehouse import article_store, database, feed_store, loading, locks, raw_store

if TYPE_CHECKING:
    from communique.events.extractor import EventExtractor
    from communique.feeds.polling import PollResult
    from communique.fetch.downloads import FetchOutcome

LOGGER = logging.getLogger(__name__)
_REGISTRY_LOCK = 0x66656564  # "feed": advisory lock while a poll task mirrors the registry


def migrate_warehouse(settings: Settings, dsn: str) -> StageReport:
    """Apply pending schema migrations (cheap when there are none)."""
    applied = database.migrate(dsn)
    return StageReport("migrate", {"applied": len(applied)})


def poll_feeds(settings: Settings, dsn: str, *, force: bool = False, shard: int = 0, shards: int = 1) -> StageReport:
    """Poll the due feeds of the registry (all enabled ones when ``force``); store entries, state, health.

    With ``shards`` > 1 only the feeds of ``shard`` (by host) are polled, so that several
    tasks can poll in parallel without ever sharing a host.
    """
    return poll_once(settings, dsn, force=force, shard=shard, shards=shards)[0]


def poll_once(
    settings: Settings, dsn: str, *, force: bool = False, shard: int = 0, shards: int = 1, log_each: bool = True
) -> tuple[StageReport, list[tuple[FeedSpec, PollResult]]]:
    """:func:`poll_feeds`, also returning each feed's result (``communique poll`` prints them).

    ``log_each=False`` logs the feeds' lines at debug level only, for a caller that prints them itself.
    """
    from communique.feeds.polling import poll_feeds as poll
    from communique.feeds.registry import load_feeds
    from communique.fetch.downloads import HttpClient

    specs = load_feeds(settings.feed_list)
    mine = [spec for spec in specs if feed_store.shard_of(spec.url, shards) == shard]
    with database.connect(dsn) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_REGISTRY_LOCK,))  # shards sync the registry in turn
        feed_store.sync_registry(conn, specs)
        due = feed_store.due_feeds(conn, mine, force=force)
        states = feed_store.load_states(conn)
    stats = StageReport("poll", {"feeds": 0, "entries": 0, "new_entries": 0})
    if not_due := len([s for s in mine if s.enabled]) - len(due):
        stats.skip("not_due", not_due)
    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        results = poll(client, [(spec, states.get(spec.url)) for spec in due])
    with database.connect(dsn) as conn:
        now = feed_store.database_now(conn)
        for spec, result in zip(due, results, strict=True):
            with conn.transaction():
                new = feed_store.store_entries(conn, result, result.fetched_at or now)
                feed_store.record_poll(conn, spec, result, now)
            LOGGER.log(logging.INFO if log_each else logging.DEBUG, "feed %s", result.summary())
            stats.add("feeds")
            stats.add(f"status_{result.status}")
            stats.add("entries", len(result.entries))
            stats.add("new_entries", new)
            stats.add("bytes", result.bytes_received)
    return stats, list(zip(due, results, strict=True))


def fetch_articles(settings: Settings, dsn: str, *, shard: int = 0, shards: int = 1) -> StageReport:
    """Fetch the pages of entries not fetched yet (of ``shard``, by host) and land them in the raw store.

    The result carries ``landed_range`` (first and last landing time) for the asset event
    that starts processing.
    """
    from communique.fetch.downloads import FetchRequest, HttpClient

    with database.connect(dsn) as conn:
        pending, repeats = feed_store.pending_entries(conn, settings.max_articles_per_run, shard, shards)
    stats = StageReport("fetch", {"candidates": len(pending), "landed": 0, "duplicate_urls": repeats})
    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        outcomes = client.fetch_many([FetchRequest(entry.url, kind="page") for entry in pending])
    with database.connect(dsn) as conn:
        now = feed_store.database_now(conn)
        for entry, outcome in zip(pending, outcomes, strict=True):
            with conn.transaction():
                page, reason, status = _page_from(entry, outcome)
                if page is None:
                    gave_up = feed_store.record_fetch_failure(conn, entry, reason, status, now)
                    LOGGER.warning("fetch failed (%s%s): %s", reason, ", giving up" if gave_up else "", entry.url)
                    stats.skip(reason)
                    continue
                if raw_store.land(conn, [page]):
                    stats.add("landed")
                    stats.landed(page.landed_at)
                else:
                    stats.add("known")  # redirected to a page stored before
                feed_store.link_entries(conn, entry.canonical_url, page.article_id)
    return stats


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _page_from(entry: feed_store.PendingEntry, outcome: FetchOutcome) -> tuple[Any, str, int | None]:
    """A RawArticle from a fetch outcome, or (None, reason, status) when it is not a usable page."""
    from communique.dedup.urls import canonical_url
    from communique.fetch.encodings import decode

    if outcome.response is None:
        error = outcome.error
        return None, error.reason if error else "unknown", error.status if error else None
    response = outcome.response
    kind = (response.content_type or "text/html").split(";")[0].strip().lower()
    if kind not in _HTML_TYPES:
        return None, "not_html", response.status
    decoded = decode(response.body, response.content_type)
    page = raw_store.RawArticle(
        url=entry.url,
        final_url=response.final_url,
        html=decoded.text,
        source="feed",
        outlet=entry.outlet,
        fetched_at=response.fetched_at,
        landed_at=response.fetched_at,
        feed_url=entry.feed_url,
        http_status=response.status,
        content_type=response.content_type,
        encoding=decoded.encoding,
        encoding_source=decoded.source,
        feed_title=entry.title or None,
        feed_published_at=entry.published_at,
        canonical_url=canonical_url(response.final_url),
    )
    return page, "", response.status


@contextmanager
def _holding(dsn: str, interval: Interval, stage: str, run: str | None) -> Iterator[None]:
    """The interval's lock for one stage of ``run`` (a no-op inside a run that holds it already)."""
    with locks.interval_lock(dsn, interval, holder=f"{run or loading.DEFAULT_RUN} {stage}"):
        yield


def clean_articles(settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport:
    """Raw pages of the interval -> cleaned articles (text, title, published time, language).

    Pages are cleaned in ``settings.worker_count`` processes (:mod:`communique.parallel`) while
    this one reads the pages and writes the results, in landing order.
    """
    from communique import parallel

    stats = StageReport("clean")
    with _holding(dsn, interval, "clean", run), database.connect(dsn) as conn:
        pages = raw_store.pages_in(conn, interval)
        expected = raw_store.count_in(conn, interval)
        cleaned = parallel.map_chunks(
            clean_pages, pages, workers=settings.worker_count, chunk_size=CLEAN_CHUNK, expected=expected
        )
        for rows in parallel.chunks(cleaned, 200):
            for row in rows:
                stats.add("pages")
                if row.skip_reason:
                    stats.skip(row.skip_reason)
                else:
                    stats.add("usable")
            article_store.upsert(conn, rows)
    return stats


#: Pages per chunk sent to a worker process. Small, so that at the end of
#: an interval no worker is left alone with a long chunk while the others wait.
CLEAN_CHUNK = 8


def clean_pages(pages: list[raw_store.StoredPage]) -> list[article_store.CleanedRow]:
    """Clean raw pages (in a worker process or here): one row per page, a reason when it is unusable."""
    return [clean_page(page) for page in pages]


def clean_page(page: raw_store.StoredPage) -> article_store.CleanedRow:
    """Main text, metadata, canonical URL and fingerprint of one raw page; never raises."""
    from communique.articles.htmlprocessing import clean_article

    reason: str | None
    try:
        article = clean_article(
            page.html,
            page.final_url or page.url,
            feed_published=page.feed_published_at,
            feed_title=page.feed_title,
            fetched_at=page.fetched_at,
        )
    except Exception as exc:  # one bad page never sinks the batch
        LOGGER.warning("cannot clean %s: %s", page.url, exc)
        article, reason = _unusable_article(page), "clean_error"
    else:
        reason = skip_reason(article)
    declared = None if article.canonical_url == article.url else article.canonical_url
    article.canonical_url = resolve_canonical(page.canonical_url, declared)
    return article_store.CleanedRow(
        page.article_id, page.outlet, page.landed_at, article, text_fingerprint(article.text), reason
    )


def _unusable_article(page: raw_store.StoredPage) -> Any:
    from communique.models import Article

    return Article(url=page.url, canonical_url=page.canonical_url, title=page.feed_title or "", text="")


def skip_reason(article: Any) -> str | None:
    """Why an article is not extracted, or ``None`` when it is usable."""
    if article.quality != "ok":
        return str(article.quality)
    if not article.text.strip():
        return "empty"
    if article.language and article.language != "en":
        return "non_english"
    return None


def deduplicate_articles(settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport:
    """Put each usable article of the interval into a story cluster (an existing one if it is a copy).

    Articles are taken in landing order. One that already has a cluster keeps it (a re-run
    never moves a known copy); else it joins the story of an article with the same canonical
    URL, the same text or a similar text (near duplicate), or founds a story of its own.
    """
    stats = StageReport("deduplicate")
    with _holding(dsn, interval, "deduplicate", run), database.connect(dsn) as conn:
        article_store.lock_clusters(conn)
        stats.add("signed", article_store.refresh_signatures(conn, interval))
        signatures = article_store.signatures_in(conn, interval)
        candidates = article_store.dedup_candidates(conn, interval)
        new = [signatures[c.article_id] for c in candidates if not c.cluster_id and c.article_id in signatures]
        near = article_store.near_index(conn, new)
        copies = article_store.StoredCopies(conn)
        # Writes are queued and go with the next look-up: one round trip per article, not three.
        with conn.pipeline():
            for candidate in candidates:
                stats.add("articles")
                if candidate.cluster_id:
                    stats.add("known")
                    if candidate.cluster_id != candidate.article_id:
                        stats.add("duplicates")
                        stats.add(f"duplicates_{candidate.duplicate_kind}")
                    continue
                match = match_copy(copies, candidate, signatures.get(candidate.article_id), near)
                if match:
                    article_store.join_cluster(
                        conn, candidate.article_id, match.cluster_id, match.kind, match.similarity, match.article_id
                    )
                    stats.add("duplicates")
                    stats.add(f"duplicates_{match.kind}")
                else:
                    article_store.found_cluster(conn, candidate)
                    stats.add("new_stories")
                near.assign(candidate.article_id, match.cluster_id if match else candidate.article_id)
    return stats


@lru_cache(maxsize=2)
def _extractor(
    model_name: str | None, batch_size: int, without: tuple[str, ...] | None = None, people_dir: Path | None = None
) -> EventExtractor:
    from communique.events.extractor import EventExtractor

    return EventExtractor(model_name=model_name, batch_size=batch_size, without=without, people_dir=people_dir)


#: Stories per chunk sent to a worker process (one nlp.pipe batch of candidate sentences). Small
#: for the same reason as CLEAN_CHUNK: a story costs about 27 ms, so a chunk of 32 left one core
#: idle for up to a second at the end of each interval; 8 costs the same CPU and gives the same rows.
EXTRACT_CHUNK = 8


def extract_events(settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport:
    """Run the event extractor once per story that landed in the interval; stage the events as ``run``'s batch.

    Stories are extracted in ``settings.worker_count`` processes; the staged rows come back in
    landing order, so the result does not depend on the number of workers.
    """
    from communique import parallel

    stats = StageReport("extract")
    with _holding(dsn, interval, "extract", run), database.connect(dsn) as conn:
        stories = article_store.representatives(conn, interval)
        stats.add("stories", len(stories))
        extract = partial(
            extract_stories, settings.spacy_model, settings.nlp_batch_size, settings.extractor_without,
            people_dir=settings.actors_dir,
        )  # fmt: skip
        results = parallel.map_chunks(
            extract, stories, workers=settings.worker_count, chunk_size=EXTRACT_CHUNK, expected=len(stories)
        )
        rows: list[tuple[Any, ...]] = []
        for result in results:
            rows.extend(result.rows)
            stats.add("events", len(result.rows))
            if result.failed:
                stats.skip("extract_error")
        stats.add("staged", loading.stage_events(conn, interval, rows, run=run or loading.DEFAULT_RUN))
    return stats


class StoryEvents(NamedTuple):
    """The staged rows of one story's events; ``failed`` when the rules could not read it."""

    article_id: str
    rows: list[tuple[Any, ...]]
    failed: bool


def extract_stories(
    model_name: str | None,
    batch_size: int,
    without: tuple[str, ...] | None,
    stories: list[article_store.Representative],
    *,
    people_dir: Path | None = None,
) -> list[StoryEvents]:
    """Events of some stories as fct_event_mention rows (in a worker process or here), in input order.

    ``people_dir`` holds the ``communique actors refresh`` snapshots (none is fine: bundled tables).
    """
    extractor = _extractor(model_name, batch_size, without, people_dir)
    results = extractor.extract_results((s.article_id, s.body, s.published) for s in stories)
    return [
        StoryEvents(story.article_id, [loading.mention_row(e, story.article_id, story.cluster_id) for e in r.events],
                    r.failed)
        for story, r in zip(stories, results, strict=True)
    ]  # fmt: skip


def load_events(settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport:
    """Merge the events ``run`` staged for the interval into mentions and facts, in one transaction.

    A load that finds nothing staged for its run (a retry after the commit) changes nothing and
    says so (``skipped: nothing_staged``).
    """
    with _holding(dsn, interval, "load", run), database.connect(dsn) as conn:
        result = loading.load_interval(conn, interval, run=run or loading.DEFAULT_RUN)
    stats = StageReport("load", result.counts)
    if result.skipped:
        stats.skip(result.skipped)
    return stats


def check_quality(settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport:
    """Verify the warehouse's promises on what the interval loaded; raise DataQualityError if any is broken."""
    from communique.errors import DataQualityError
    from communique.warehouse.checks import run_checks

    with _holding(dsn, interval, "check", run), database.connect(dsn) as conn:
        results = run_checks(conn, interval)
    stats = StageReport("check", {"checks": len(results), "failed": sum(not r.ok for r in results)})
    for result in results:  # the stage's line counts them, and DataQualityError names each broken one
        LOGGER.debug(
            "check %s: %s (%s)", result.name, "ok" if result.ok else f"{result.failures} FAILED", result.promise
        )
    if stats.counts["failed"]:
        raise DataQualityError(interval, [r for r in results if not r.ok])
    return stats


class Stage(Protocol):
    """A processing stage: one interval, on behalf of one run."""

    __name__: str

    def __call__(self, settings: Settings, dsn: str, interval: Interval, *, run: str | None = None) -> StageReport: ...


#: The processing stages of one interval, in order (what the processing DAG runs).
PROCESS_STAGES: tuple[Stage, ...] = (
    clean_articles,
    deduplicate_articles,
    extract_events,
    load_events,
    check_quality,
)


def process_interval(
    settings: Settings,
    dsn: str,
    interval: Interval,
    *,
    run: str | None = None,
    on_stage: Callable[[StageReport, float], None] | None = None,
) -> list[StageReport]:
    """All processing stages for one interval, in order (what the processing DAG runs), as one run.

    The interval stays locked from the first stage to the last: a second run of it waits.
    ``on_stage`` hears each report and its duration in seconds as the stage ends.
    """
    run = run or f"process-{uuid.uuid4().hex[:12]}"
    reports = []
    with locks.interval_lock(dsn, interval, holder=run):
        for stage in PROCESS_STAGES:
            began = time.monotonic()
            reports.append(stage(settings, dsn, interval, run=run))
            if on_stage:
                on_stage(reports[-1], time.monotonic() - began)
    return reports


def landed_pieces(dsn: str, interval: Interval, step: timedelta | None) -> list[Interval]:
    """The pieces of ``interval`` (``step`` long, from its start) in which raw pages landed: one query."""
    with database.connect(dsn) as conn:
        indexes = raw_store.landed_pieces(conn, interval, step)
    return [interval.piece(step, index) for index in indexes]


def piece_run(run: str, piece: Interval) -> str:
    """The run id of one piece of a range that :func:`process_range` processes as ``run``."""
    return f"{run}__{piece.start.isoformat()}"


def process_range(
    settings: Settings,
    dsn: str,
    interval: Interval,
    step: timedelta | None,
    *,
    run: str,
    pieces: list[Interval] | None = None,
    on_stage: Callable[[Interval, StageReport, float], None] | None = None,
    on_piece: Callable[[Interval], None] | None = None,
) -> RangeReport:
    """Process the pieces of a range in which pages landed, in order, each as its own run (``run__START``).

    A piece where nothing landed is skipped: its run would find no page, story or staged
    event, and the raw store never loses pages, so it holds no facts to replace either.
    ``pieces`` are the landed pieces when the caller found them already (:func:`landed_pieces`);
    ``on_stage`` hears each stage's report as it ends, ``on_piece`` each piece when done. The
    first piece that fails (a broken promise, the warehouse gone) stops the range: the report
    names it (``failed``, ``error``) beside what the pieces before it did.
    """
    from communique.errors import CommuniqueError

    report = RangeReport(interval, step, pieces=interval.piece_count(step))
    for piece in landed_pieces(dsn, interval, step) if pieces is None else pieces:
        began = time.monotonic()
        hear = partial(on_stage, piece) if on_stage else None
        try:
            reports = process_interval(settings, dsn, piece, run=piece_run(run, piece), on_stage=hear)
        except CommuniqueError as exc:
            report.failed, report.error = piece, str(exc)
            break
        report.add(piece, reports, time.monotonic() - began)
        if on_piece:
            on_piece(piece)
    return report
