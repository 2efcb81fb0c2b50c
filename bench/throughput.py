"""End-to-end throughput: raw pages in the store -> facts in the warehouse, against the naive baseline.

    .venv/bin/python bench/throughput.py                      # 20,000 documents, the configured workers
    .venv/bin/python bench/throughput.py --docs 2000 --workers 1
    .venv/bin/python bench/throughput.py --json               # ends with one JSON line
    .venv/bin/python bench/throughput.py --profile prof.html  # pyinstrument profile of the pipeline

The documents are the English pages of ``../shared/corpora/articles`` (or of ``--corpus``: the tests
pass the copy in ``tests/data``), replicated to ``--docs`` documents with distinct URLs. Each copy
keeps its page's real HTML (navigation, boilerplate, metadata) and has its body paragraphs swapped
for paragraphs drawn at random from all the English pages, so every copy is a distinct story
(deduplication keeps it) written in real news prose. They are landed in the raw store of a throwaway
database (timed apart), spread over ``--hours`` hourly intervals, and processed interval by interval
exactly as the processing DAG does: clean, deduplicate, extract, load, check.

The baseline is what a user would write instead, run in the same process on the first
``--baseline-docs`` of the same documents: trafilatura for the text, the full spaCy pipeline on
every sentence (our event rules on its parse, so it finds the same kind of events), and one
INSERT per event into the fact table. Its rate is compared with ours.

Memory: peak RSS of this process and of the largest worker process (sampled twice a second,
plus ``getrusage``). CPU: user+system seconds of this process, its workers and the PostgreSQL
server over wall time (2.0 = both cores busy).
"""

from __future__ import annotations

import argparse
import html as htmllib
import itertools
import json
import os
import random
import re
import resource
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "include"), str(ROOT)]

from bench.warehouse import drop_database, fresh_database  # noqa: E402
from communique import parallel, pipeline  # noqa: E402
from communique.models import Interval  # noqa: E402
from communique.settings import Settings, load_settings  # noqa: E402
from communique.warehouse import database, raw_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "articles"
START = datetime(2026, 3, 2, tzinfo=UTC)
#: A body paragraph: a <p> whose text (tags stripped) is at least this long.
MIN_PARAGRAPH_CHARS = 80
_P = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
#: The original page's own URL claims (rel=canonical, og:url) would make every copy one story.
_URL_CLAIM = re.compile(r"<(?:link[^>]*\bcanonical\b|meta[^>]*og:url)[^>]*>", re.IGNORECASE)


# --- the documents ------------------------------------------------------------------------------


def english_pages(corpus: Path = CORPUS) -> list[tuple[str, str, str]]:
    """(file name, outlet, html) of the corpus pages whose language is English."""
    pages = []
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        if not row.get("language", "").lower().startswith("en"):
            continue
        path = corpus / row["file"]
        if path.is_file():
            pages.append((row["file"], row.get("outlet") or "example.com", path.read_text("utf-8", "replace")))
    return pages


class Template:
    """A page split around its body paragraphs: literal chunks with a slot between each two."""

    def __init__(self, name: str, outlet: str, page: str) -> None:
        self.name, self.outlet = name, outlet
        self.chunks: list[str] = []
        self.paragraphs: list[str] = []
        last = 0
        page = _URL_CLAIM.sub("", page)
        for match in _P.finditer(page):
            text = " ".join(htmllib.unescape(_TAG.sub(" ", match.group(2))).split())
            if len(text) < MIN_PARAGRAPH_CHARS:
                continue
            self.chunks.append(page[last : match.start(2)])
            self.paragraphs.append(text)
            last = match.end(2)
        self.chunks.append(page[last:])

    def render(self, paragraphs: list[str]) -> str:
        parts = [self.chunks[0]]
        for paragraph, chunk in zip(paragraphs, self.chunks[1:], strict=True):
            parts.append(htmllib.escape(paragraph, quote=False))
            parts.append(chunk)
        return "".join(parts)


def usable_templates(rng: random.Random, corpus: Path = CORPUS) -> list[Template]:
    """Pages whose cleaned text is their body paragraphs: two copies with other paragraphs read differently.

    A page whose text lives elsewhere (scripts, divs) would give identical copies, which
    deduplication rightly merges; it is left out, as are pages the cleaner finds unusable.
    """
    from communique.articles.htmlprocessing import clean_article
    from communique.pipeline import skip_reason

    templates = [t for t in (Template(*page) for page in english_pages(corpus)) if len(t.paragraphs) >= 3]
    pool = [p for t in templates for p in t.paragraphs]
    kept = []
    for template in templates:
        first, second = (clean_article(template.render(rng.sample(pool, len(template.paragraphs))), "") for _ in "ab")
        if first.text != second.text and not skip_reason(first) and not skip_reason(second):
            kept.append(template)
    return kept


def documents(count: int, hours: int, seed: int = 20, corpus: Path = CORPUS) -> Iterator[raw_store.RawArticle]:
    """``count`` distinct pages over ``hours`` hours: real page HTML, body paragraphs drawn from the corpus."""
    rng = random.Random(seed)
    templates = usable_templates(rng, corpus)
    pool = [p for t in templates for p in t.paragraphs]
    step = timedelta(hours=hours) / count
    for n in range(count):
        template = templates[n % len(templates)]
        html = template.render(rng.sample(pool, len(template.paragraphs)))
        url = f"https://{template.outlet}/bench/{n}/{Path(template.name).stem}"
        landed = START + step * n
        yield raw_store.RawArticle(
            url=url, final_url=url, html=html, source="file", outlet=template.outlet, fetched_at=landed,
            landed_at=landed, http_status=200, content_type="text/html; charset=utf-8", encoding="utf-8",
        )  # fmt: skip


# --- the warehouse ------------------------------------------------------------------------------


def land(dsn: str, docs: Iterator[raw_store.RawArticle]) -> float:
    """Land the documents in batches (never all in memory); the seconds it took."""
    started = time.perf_counter()
    with database.connect(dsn) as conn:
        while batch := list(itertools.islice(docs, 500)):
            with conn.transaction():
                raw_store.land(conn, batch)
        conn.execute("ANALYZE raw_article")
    return time.perf_counter() - started


def server_cpu_seconds(dsn: str) -> float:
    """User+system CPU of the PostgreSQL server's processes (postmaster and children), from /proc."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'").fetchone()
    try:
        pid = int(Path(str(row[0]), "postmaster.pid").read_text().split()[0]) if row else 0
    except (OSError, ValueError, IndexError):
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid):  # with the backends that have exited (cutime, cstime)
            total += sum(int(f) for f in fields[11:15]) / tick
        elif int(fields[1]) == pid:  # a live backend (fields[1] is the parent pid)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


# --- measuring ----------------------------------------------------------------------------------


class MemorySampler(threading.Thread):
    """Peak RSS of this process and of its largest child, sampled from /proc."""

    def __init__(self, period: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.period = period
        self.peak_self_mb = 0.0
        self.peak_child_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._done.wait(self.period):
            try:
                self.peak_self_mb = max(self.peak_self_mb, me.memory_info().rss / 2**20)
                for child in me.children(recursive=True):
                    self.peak_child_mb = max(self.peak_child_mb, child.memory_info().rss / 2**20)
            except psutil.Error:
                continue

    def stop(self) -> None:
        self._done.set()
        self.join()


def cpu_seconds() -> float:
    """CPU seconds of this process and all its children, live (the workers) or ended."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:4])  # user, system, children_user, children_system
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            continue
    return total


def run_pipeline(settings: Settings, dsn: str, hours: int) -> dict[str, Any]:
    """Process every hourly interval as the DAG does; seconds per stage and the summed counts."""
    seconds: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for hour in range(hours):
        interval = Interval(START + timedelta(hours=hour), START + timedelta(hours=hour + 1))
        for stage in pipeline.PROCESS_STAGES:
            started = time.perf_counter()
            report = stage(settings, dsn, interval)
            seconds[stage.__name__] += time.perf_counter() - started
            for key, value in report.counts.items():
                counts[f"{stage.__name__}.{key}"] += value
    return {"seconds": dict(seconds), "counts": dict(counts)}


def run_baseline(settings: Settings, dsn: str, docs: list[raw_store.RawArticle]) -> dict[str, Any]:
    """trafilatura, the full spaCy pipeline on every sentence, one INSERT per event."""
    import trafilatura

    from communique.events.extractor import EventExtractor

    extractor = EventExtractor(settings.spacy_model, prefilter=False)
    seconds: Counter[str] = Counter()
    started = time.perf_counter()
    texts = [(d.article_id, trafilatura.extract(d.html, url=d.url) or "", d.landed_at) for d in docs]
    seconds["trafilatura"] = time.perf_counter() - started
    started = time.perf_counter()
    found = [(doc_id, events) for doc_id, events in extractor.extract_many(texts)]
    seconds["spacy_every_sentence"] = time.perf_counter() - started
    started = time.perf_counter()
    inserted = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS baseline_event (event_id text PRIMARY KEY, doc_id text, body jsonb)")
        for doc_id, events in found:
            for event in events:
                conn.execute(
                    "INSERT INTO baseline_event VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    (event.event_id, doc_id, json.dumps(event.to_json())),
                )
                inserted += 1
    seconds["insert_per_event"] = time.perf_counter() - started
    return {"seconds": dict(seconds), "events": inserted, "docs": len(docs)}


def profile(settings: Settings, dsn: str, hours: int, out: Path) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    run_pipeline(settings, dsn, hours)
    profiler.stop()
    out.write_text(profiler.output_html() if out.suffix == ".html" else profiler.output_text(unicode=True))
    print(profiler.output_text(unicode=True, show_all=False)[:6000])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--hours", type=int, default=24, help="hourly intervals the documents land in")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: settings)")
    parser.add_argument("--baseline-docs", type=int, default=1_000, help="0 skips the baseline")
    parser.add_argument("--dsn", help="an admin DSN (default: the configured warehouse server)")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the pipeline here")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the article corpus (folder with MANIFEST.tsv)")
    args = parser.parse_args()
    if not (args.corpus / "MANIFEST.tsv").is_file():
        where = args.corpus.resolve()
        print(
            f"throughput: no article corpus at {where} (../shared beside the repository, or --corpus)", file=sys.stderr
        )
        return 2

    settings = load_settings()
    if args.workers is not None:
        settings = settings.with_overrides(workers=args.workers)
    admin_dsn = args.dsn or database.resolve_url(settings.with_overrides(warehouse_db="postgres"))
    print(f"{args.docs:,} documents over {args.hours} hourly intervals; workers: {settings.worker_count}")

    name, dsn = fresh_database(admin_dsn)
    try:
        land_s = land(dsn, documents(args.docs, args.hours, corpus=args.corpus))
        print(f"landed in the raw store in {land_s:.1f} s (not part of the processing rate)")
        if args.profile:
            profile(settings, dsn, args.hours, args.profile)
            return 0
        sampler = MemorySampler()
        sampler.start()
        cpu0, server0, wall0 = cpu_seconds(), server_cpu_seconds(dsn), time.perf_counter()
        ours = run_pipeline(settings, dsn, args.hours)
        wall = time.perf_counter() - wall0
        cpu, server_cpu = cpu_seconds() - cpu0, server_cpu_seconds(dsn) - server0
        sampler.stop()
        parallel.shutdown()
        peak_self = sampler.peak_self_mb  # getrusage's peak would include landing the documents
        peak_child = max(sampler.peak_child_mb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        with psycopg.connect(dsn) as conn:
            facts = conn.execute("SELECT count(*) FROM fct_diplomatic_event").fetchone()[0]  # type: ignore[index]

        baseline: dict[str, Any] = {}
        if args.baseline_docs:
            first = list(itertools.islice(documents(args.docs, args.hours, corpus=args.corpus), args.baseline_docs))
            baseline = run_baseline(settings, dsn, first)
    finally:
        if not args.keep:
            drop_database(admin_dsn, name)

    rate = args.docs / wall
    stages = {
        stage.removesuffix("_articles").removesuffix("_events").removesuffix("_quality"): {
            "seconds": round(s, 2), "articles_per_s": round(args.docs / s, 1) if s else None,
        }
        for stage, s in ours["seconds"].items()
    }  # fmt: skip
    counts = ours["counts"]
    print("\n| stage | seconds | articles/s |\n|---|---:|---:|")
    for stage, figures in stages.items():
        print(f"| {stage} | {figures['seconds']:.1f} | {figures['articles_per_s']} |")
    print(f"| **end to end** | {wall:.1f} | **{rate:.1f}** |")
    print(
        f"\nclean: {counts.get('clean_articles.usable', 0):,} usable; deduplicate: "
        f"{counts.get('deduplicate_articles.new_stories', 0):,} stories, "
        f"{counts.get('deduplicate_articles.duplicates', 0):,} duplicates; extract: "
        f"{counts.get('extract_events.events', 0):,} events; facts in the warehouse: {facts:,}"
    )
    print(
        f"CPU: {cpu / wall:.2f} cores for this process and its workers, {server_cpu / wall:.2f} for PostgreSQL; "
        f"peak RSS {peak_self:.0f} MB (this process), {peak_child:.0f} MB (largest worker)"
    )
    result: dict[str, Any] = {
        "docs": args.docs,
        "articles_per_s": round(rate, 2),
        "seconds": round(wall, 1),
        "workers": settings.worker_count,
        "peak_rss_mb": round(max(peak_self, peak_child), 1),
        "peak_rss_main_mb": round(peak_self, 1),
        "peak_rss_worker_mb": round(peak_child, 1),
        "cpu_cores": round(cpu / wall, 2),
        "postgres_cpu_cores": round(server_cpu / wall, 2),
        "stages": stages,
        "events": counts.get("extract_events.events", 0),
        "facts": facts,
        "cpus": os.cpu_count(),
    }
    if baseline:
        base_s = sum(baseline["seconds"].values())
        base_rate = baseline["docs"] / base_s
        result.update(baseline_articles_per_s=round(base_rate, 2), speedup=round(rate / base_rate, 2),
                      baseline={k: round(v, 1) for k, v in baseline["seconds"].items()} | {
                          "docs": baseline["docs"], "events": baseline["events"]})  # fmt: skip
        print(
            f"\nbaseline on the first {baseline['docs']:,} documents: {base_rate:.1f} articles/s "
            f"({', '.join(f'{k} {v:.1f} s' for k, v in baseline['seconds'].items())}; "
            f"{baseline['events']:,} events); ours is {rate / base_rate:.1f}x"
        )
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
