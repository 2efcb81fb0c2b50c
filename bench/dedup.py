"""Near-duplicate benchmark: pairwise quality on the test set, and fingerprint + lookup throughput.

Quality. The test set of ``bench/dedup_set.py`` (real corpus articles, their generated copies and
same-topic non-copies) goes through the pipeline's own deduplication stage,
:func:`communique.pipeline.deduplicate_articles`, in a throwaway warehouse database: the documents
land in a seeded random order spread over three hourly intervals, processed in order (so copies are
also recognised across runs), and the story clusters are scored pairwise against the set's stories
(a pair is positive when both documents belong to one story). Reported as well: the verifier alone on
every pair (:meth:`Similarity.is_copy`, no LSH, no clustering) and the share of positive pairs that
LSH makes candidates.

Throughput. With the set's originals stored and clustered, and N synthetic signatures stored besides
them in the real ``article_signature`` and ``article_band`` tables (N = 100k and 1M; shingle counts
drawn from the set, 2 % of shingles from a Zipf pool of common phrases, bulk-loaded; see
:func:`load_background`), every copy of the set is fingerprinted (:func:`text_signature`) and looked up
(:func:`communique.warehouse.article_store.near_index`: one indexed query per batch, then the verification per
article), in batches of 1 (an article at a time) and 100 (as the stage does with an interval's
articles). The median of ``--rounds`` rounds is reported, with the fingerprint and lookup shares
measured in the same rounds, and the load average of the machine::

    .venv/bin/python bench/dedup.py                            # quality, then 100k and 1M (~35 min, ~2.5 GB)
    .venv/bin/python bench/dedup.py --sizes 100000 --rounds 3
    .venv/bin/python bench/dedup.py --quality-only --json bench/out/dedup.json

The database (``communique_bench_dedup`` on the embedded server, or ``--admin-dsn``'s server) is
dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "include")]

from bench.dedup_set import CORPUS, Doc, build_test_set, missed_and_merged, pairwise_scores  # noqa: E402

BENCH_DB = "communique_bench_dedup"
T0 = datetime(2019, 11, 20, 6, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


# --- Quality -------------------------------------------------------------------------------------


def land_documents(dsn: str, docs: Sequence[Doc], *, seed: int = 0, hours: int = 3) -> list[str]:
    """Store ``docs`` as cleaned articles landing in a seeded random order over ``hours`` intervals; their ids."""
    from communique.dedup.fingerprints import text_fingerprint
    from communique.models import Article
    from communique.warehouse import article_store, database, raw_store

    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    step = hours * HOUR / max(len(docs), 1)
    ids = [""] * len(docs)
    with database.connect(dsn) as conn:
        for rank, index in enumerate(order):
            doc, landed = docs[index], T0 + rank * step
            url = f"https://{doc.outlet}/{hashlib.sha256(doc.doc_id.encode()).hexdigest()[:16]}"
            page = raw_store.RawArticle(url=url, final_url=url, html="<p></p>", source="file", outlet=doc.outlet,
                                        fetched_at=landed, landed_at=landed)  # fmt: skip
            article = Article(url, page.canonical_url, doc.title, doc.text, published_at=landed, language=doc.language)
            raw_store.land(conn, [page])
            article_store.upsert(conn, [article_store.CleanedRow(page.article_id, doc.outlet, landed, article,
                                                                 text_fingerprint(doc.text))])  # fmt: skip
            ids[index] = page.article_id
    return ids


def intervals(hours: int = 3) -> list[Any]:
    from communique.models import Interval

    return [Interval(T0 + h * HOUR, T0 + (h + 1) * HOUR) for h in range(hours)]


def cluster_in_warehouse(dsn: str, docs: Sequence[Doc], *, seed: int = 0, hours: int = 3) -> list[str]:
    """The story cluster the deduplication stage gives each of ``docs`` (in the order of ``docs``)."""
    from communique.pipeline import deduplicate_articles
    from communique.settings import Settings
    from communique.warehouse import database

    ids = land_documents(dsn, docs, seed=seed, hours=hours)
    for interval in intervals(hours):
        deduplicate_articles(Settings(), dsn, interval)
    with database.connect(dsn) as conn:
        clusters = dict(conn.execute("SELECT article_id, cluster_id FROM article").fetchall())
    return [str(clusters[i]) for i in ids]


def verifier_scores(docs: Sequence[Doc]) -> dict[str, Any]:
    """Every pair through the verifier alone, and how many positive pairs share an LSH band."""
    from communique.dedup.fingerprints import similarity, text_signature

    signatures = [text_signature(d.text) for d in docs]
    keys = [set(s.band_keys()) if s else set() for s in signatures]
    truth: list[bool] = []
    said: list[bool] = []
    candidates = 0
    for i, a in enumerate(signatures):
        for j in range(i + 1, len(docs)):
            b = signatures[j]
            same = docs[i].story == docs[j].story
            truth.append(same)
            said.append(bool(a and b and similarity(a, b).is_copy()))
            candidates += same and bool(keys[i] & keys[j])
    hits = sum(t and s for t, s in zip(truth, said, strict=True))
    return {
        "precision": round(hits / max(sum(said), 1), 4),
        "recall": round(hits / max(sum(truth), 1), 4),
        "false_positives": sum(said) - hits,
        "lsh_candidate_recall": round(candidates / max(sum(truth), 1), 4),
        "unsigned_documents": sum(s is None for s in signatures),
    }


def run_quality(dsn: str, docs: Sequence[Doc], seeds: Sequence[int]) -> dict[str, Any]:
    runs = []
    for seed in seeds:
        reset_database(dsn)
        predicted = cluster_in_warehouse(dsn, docs, seed=seed)
        scores = pairwise_scores([d.story for d in docs], predicted)
        missed, merged = missed_and_merged(docs, predicted)
        runs.append({"seed": seed, **scores.to_json(), "missed_by_kind": dict(missed), "wrongly_merged": merged[:10]})
        print(f"  pipeline, landing order {seed}: precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
              f"(false merges {scores.false_positives}, missed pairs {scores.false_negatives})")  # fmt: skip
    return {
        "documents": len(docs),
        "stories": len({d.story for d in docs}),
        "kinds": dict(sorted(_count(d.kind for d in docs).items())),
        "pipeline": runs,
        "pipeline_min_precision": min(r["precision"] for r in runs),
        "pipeline_min_recall": min(r["recall"] for r in runs),
        "verifier_all_pairs": verifier_scores(docs),
    }


def _count(items: Iterator[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


# --- Throughput ----------------------------------------------------------------------------------


def synthetic_signatures(count: int, sizes: Sequence[int], seed: int) -> Iterator[tuple[int, bytes, list[int]]]:
    """(shingles, minhash, band keys) of ``count`` synthetic texts: random shingles, a few common ones."""
    import numpy as np

    from communique.dedup.fingerprints import NUM_PERM, Signature, minhash_values

    rng = np.random.default_rng(seed)
    common = rng.integers(0, 2**32, size=20_000, dtype=np.uint32)
    batch = 200
    for start in range(0, count, batch):
        lengths = rng.choice(np.asarray(sizes), size=min(batch, count - start))
        hashes = rng.integers(0, 2**32, size=int(lengths.sum()), dtype=np.uint32)
        shared = rng.random(len(hashes)) < 0.02
        hashes[shared] = common[np.minimum(rng.zipf(1.3, int(shared.sum())) - 1, len(common) - 1)]
        for part, length in zip(np.split(hashes, np.cumsum(lengths)[:-1]), lengths, strict=True):
            row = minhash_values(part).astype("<u4")
            assert len(row) == NUM_PERM
            signature = Signature(row.tobytes(), int(length))
            yield int(length), signature.minhash, signature.band_keys()


def load_background(dsn: str, count: int, first: int, sizes: Sequence[int]) -> float:
    """Store ``count`` synthetic signatures (ids from ``first``) as a bulk load would.

    Stub article rows and the signatures go in with COPY, with triggers off (``session_replication_role
    = replica``: no foreign-key checks on the stubs, no per-row band trigger); the band rows are then
    derived from the signatures in one statement, as the trigger would, with the band table's primary
    key rebuilt after.
    """
    from communique.dedup.fingerprints import SIGNATURE_SCHEME
    from communique.warehouse import database

    started = time.perf_counter()
    landed = T0 - 400 * 24 * HOUR
    with database.connect(dsn) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("ALTER TABLE article_band DROP CONSTRAINT article_band_pkey")
        with conn.cursor() as cur:
            with cur.copy("COPY article (article_id, canonical_url, url, outlet, status, landed_at, cluster_id) "
                          "FROM STDIN") as copy:  # fmt: skip
                for n in range(first, first + count):
                    aid = f"bg{n:030d}"
                    copy.write_row((aid, f"https://bg.example/{n}", f"https://bg.example/{n}", "bg.example", "ok",
                                    landed, aid))  # fmt: skip
            with cur.copy("COPY article_signature (article_id, scheme, body_sha256, shingles, minhash, band_keys) "
                          "FROM STDIN") as copy:  # fmt: skip
                for n, (shingles, minhash, keys) in enumerate(synthetic_signatures(count, sizes, first), first):
                    copy.write_row((f"bg{n:030d}", SIGNATURE_SCHEME, "-", shingles, minhash, keys))
        conn.execute(
            """INSERT INTO article_band (band_key, signature_id)
               SELECT DISTINCT key, s.signature_id FROM article_signature AS s, unnest(s.band_keys) AS key
                WHERE s.article_id >= %s AND s.article_id < %s""",
            (f"bg{first:030d}", f"bg{first + count:030d}"),
        )
        conn.execute("ALTER TABLE article_band ADD PRIMARY KEY (band_key, signature_id)")
    with database.connect(dsn, autocommit=True) as conn:
        for table in ("article_band", "article_signature", "article"):
            conn.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def measure_lookups(dsn: str, docs: Sequence[Doc], rounds: int, batch: int) -> dict[str, Any]:
    """Fingerprint and look up every document, ``batch`` at a time as the stage does; median over ``rounds``."""
    from communique.dedup.fingerprints import text_signature
    from communique.warehouse import article_store, database

    results = []
    with database.connect(dsn) as conn:
        for _ in range(rounds):
            fingerprint = lookup = 0.0
            found = 0
            for start in range(0, len(docs), batch):
                t0 = time.perf_counter()
                signatures = [s for d in docs[start : start + batch] if (s := text_signature(d.text))]
                t1 = time.perf_counter()
                index = article_store.near_index(conn, signatures)
                found += sum(index.copy_of(f"probe{n}", s) is not None for n, s in enumerate(signatures))
                t2 = time.perf_counter()
                fingerprint, lookup = fingerprint + t1 - t0, lookup + t2 - t1
            results.append((len(docs) / (fingerprint + lookup), fingerprint, lookup, found))
    best = sorted(results)[len(results) // 2]
    return {
        "batch": batch,
        "articles_per_s": round(best[0], 1),
        "all_rounds_articles_per_s": [round(r[0], 1) for r in results],
        "fingerprint_ms": round(best[1] / len(docs) * 1000, 3),
        "lookup_ms": round(best[2] / len(docs) * 1000, 3),
        "copies_found": best[3],
        "probes": len(docs),
    }


def run_throughput(
    dsn: str, docs: Sequence[Doc], sizes: Sequence[int], rounds: int, batches: Sequence[int]
) -> dict[str, Any]:
    from communique.dedup.fingerprints import text_signature
    from communique.warehouse import database

    reset_database(dsn)
    originals = [d for d in docs if d.kind == "original"]
    cluster_in_warehouse(dsn, originals)
    probes = [d for d in docs if d.kind not in ("original", "corpus_copy")]
    shingle_counts = [s.shingles for d in originals if (s := text_signature(d.text))]
    report: dict[str, Any] = {"probes": len(probes), "cpus": os.cpu_count(), "sizes": {}}
    stored = 0
    for size in sorted(sizes):
        load_seconds = load_background(dsn, size - stored, stored, shingle_counts)
        stored = size
        with database.connect(dsn) as conn:
            table = conn.execute(
                """SELECT pg_size_pretty(pg_total_relation_size('article_signature')
                                         + pg_total_relation_size('article_band'))"""
            ).fetchone()
        entry: dict[str, Any] = {"load_s": round(load_seconds, 1), "table_size": table[0] if table else ""}
        for batch in batches:
            measured = measure_lookups(dsn, probes, rounds, batch)
            measured["load_average"] = round(os.getloadavg()[0], 2)
            entry[f"batch_{batch}"] = measured
            print(
                f"  {size:>9,} stored, batches of {batch:>4}: {measured['articles_per_s']:>7.1f} articles/s  "
                f"(fingerprint {measured['fingerprint_ms']:.2f} ms + lookup {measured['lookup_ms']:.2f} ms per "
                f"article; {measured['copies_found']}/{len(probes)} copies found; signatures and bands "
                f"{entry['table_size']}; load average {measured['load_average']} on {os.cpu_count()} CPUs)"
            )
        report["sizes"][str(size)] = entry
    return report


# --- Database ------------------------------------------------------------------------------------


def bench_dsn(admin_dsn: str | None) -> tuple[str, str]:
    """(admin DSN, DSN of the benchmark database) on the given server or the embedded one."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    if admin_dsn is None:
        from communique.settings import load_settings
        from communique.warehouse import embedded

        admin_dsn = embedded.server_url(load_settings().pgdata)
    params = conninfo_to_dict(admin_dsn)
    params["dbname"] = BENCH_DB
    return admin_dsn, make_conninfo(**params)


def create_database(admin_dsn: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


def reset_database(dsn: str) -> None:
    """Empty the benchmark database's article tables (migrating it first)."""
    from communique.warehouse import database

    database.migrate(dsn)
    with database.connect(dsn) as conn:
        conn.execute("TRUNCATE raw_article, article, story_cluster, article_signature, article_band CASCADE")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="signatures stored")
    parser.add_argument("--rounds", type=int, default=3, help="lookup rounds per size (median reported)")
    parser.add_argument("--batches", type=int, nargs="*", default=[1, 100], help="articles per lookup query")
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2], help="landing orders for quality")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--admin-dsn", help="a server where the benchmark may create a database")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(f"dedup: no article corpus at {CORPUS.resolve()} (read from ../shared)", file=sys.stderr)
        return 2

    admin, dsn = bench_dsn(args.admin_dsn)
    create_database(admin)
    try:
        started = time.perf_counter()
        docs = build_test_set()
        print(f"test set: {len(docs)} documents, {len({d.story for d in docs})} stories "
              f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        report: dict[str, Any] = {"quality": run_quality(dsn, docs, args.seeds)}
        verifier = report["quality"]["verifier_all_pairs"]
        print(f"  verifier alone, all pairs: precision {verifier['precision']:.4f}  recall {verifier['recall']:.4f}"
              f"  (LSH makes {verifier['lsh_candidate_recall']:.2%} of positive pairs candidates)")  # fmt: skip
        if not args.quality_only and args.sizes:
            report["throughput"] = run_throughput(dsn, docs, args.sizes, args.rounds, args.batches)
    finally:
        if not args.keep:
            import psycopg
            from psycopg import sql

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    quality = report["quality"]
    ok = quality["pipeline_min_precision"] >= 0.98 and quality["pipeline_min_recall"] >= 0.95
    print(f"quality bar (precision >= 0.98, recall >= 0.95): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
