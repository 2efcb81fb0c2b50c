"""Article-body benchmark: our cleaner against plain trafilatura, side by side, in one process.

Runs ``../shared/benchmarks/article_extraction/evaluate.py`` (181 pages with their true article bodies)
on two extractors:

- ``trafilatura``: ``trafilatura.extract(html, include_comments=False)``, the best configuration in the
  benchmark's README (F1 0.960);
- ``communique``: :func:`communique.articles.htmlprocessing.clean_article` with the page URL, i.e. the whole
  cleaning stage of the pipeline (parse, metadata, text, language, quality), scored on ``Article.text``.

Both go through the harness's own functions (``load_pages``, ``run_extractor``: per-call
``perf_counter``, ``score``: the benchmark's metric). Quality (F1, precision, recall) is deterministic.
Throughput is noisy on a shared machine, so the extractors take turns every ``--chunk`` pages (both
see the same load), each of ``--rounds`` passes gives a docs/s for each and a ratio, and the script
reports the medians::

    .venv/bin/python bench/article_extraction.py              # 3 rounds
    .venv/bin/python bench/article_extraction.py --rounds 5 --json bench/out/article_extraction.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / ".." / "shared" / "benchmarks" / "article_extraction"
OURS = "communique"
THEIRS = "trafilatura"


def plain_trafilatura(html: str) -> str:
    """The benchmark README's best trafilatura configuration."""
    import trafilatura

    text: str | None = trafilatura.extract(html, include_comments=False)
    return text or ""


def communique_cleaner(html: str, url: str) -> str:
    """The pipeline's cleaning stage, scored on the article text."""
    from communique.articles.htmlprocessing import clean_article

    return clean_article(html, url).text


def _load_evaluate() -> ModuleType:
    path = BENCH_DIR / "evaluate.py"
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_round(evaluate: ModuleType, pages: list[Any], number: int, args: argparse.Namespace) -> dict[str, Any]:
    """Both extractors over all pages, alternating every ``--chunk`` pages so both see the same load."""
    extractors = {THEIRS: plain_trafilatura, OURS: communique_cleaner}
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    seconds: dict[str, float] = dict.fromkeys(extractors, 0.0)
    errors: dict[str, int] = dict.fromkeys(extractors, 0)
    for start in range(0, len(pages), args.chunk):
        chunk = pages[start : start + args.chunk]
        order = list(extractors) if (start // args.chunk + number) % 2 == 0 else list(reversed(extractors))
        for name in order:
            run = evaluate.run_extractor(extractors[name], chunk, 0, False)
            outputs[name].update(run["outputs"])
            seconds[name] += sum(run["seconds"].values())
            errors[name] += len(run["errors"])
    return {
        name: {"outputs": outputs[name], "docs_per_s": len(pages) / seconds[name], "errors": errors[name]}
        for name in extractors
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over all pages")
    parser.add_argument("--chunk", type=int, default=10, help="pages per turn when alternating the extractors")
    parser.add_argument("--n-bootstrap", type=int, default=1000, help="bootstrap rounds for the ± columns")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls before timing (imports, models)")
    parser.add_argument("--limit", type=int, help="only the first N pages (smoke test)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not (BENCH_DIR / "evaluate.py").is_file():
        where = BENCH_DIR.resolve()
        print(f"article_extraction: {where} is missing (the benchmark is read from ../shared)", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT / "include"))
    evaluate = _load_evaluate()
    pages = evaluate.load_pages(BENCH_DIR, args.limit)
    for page in pages[: args.warmup]:
        plain_trafilatura(page.html)
        communique_cleaner(page.html, page.url)
    rounds = []
    for number in range(args.rounds):
        rounds.append(_run_round(evaluate, pages, number, args))
        print(f"round {number + 1}: " + ", ".join(f"{n} {r['docs_per_s']:.1f} docs/s" for n, r in rounds[-1].items()))
    summary = _summarise(evaluate, pages, rounds, args)
    _print_table(summary, len(rounds))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


def _summarise(
    evaluate: ModuleType, pages: list[Any], rounds: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    summary: dict[str, Any] = {"rounds": len(rounds), "n_docs": len(pages), "extractors": {}}
    for name, fn in ((THEIRS, plain_trafilatura), (OURS, communique_cleaner)):
        metrics, _ = evaluate.score(pages, rounds[-1][name]["outputs"], args.n_bootstrap, 0)
        summary["extractors"][name] = {
            "version": evaluate.guess_version(fn, fn.__module__) if name == OURS else _version("trafilatura"),
            "metrics": metrics,
            "errors": rounds[-1][name]["errors"],
            "docs_per_s_rounds": [r[name]["docs_per_s"] for r in rounds],
            "docs_per_s_median": statistics.median(r[name]["docs_per_s"] for r in rounds),
        }
    ratios = [r[OURS]["docs_per_s"] / r[THEIRS]["docs_per_s"] for r in rounds]
    summary["throughput_ratio_rounds"] = ratios
    summary["throughput_ratio_median"] = statistics.median(ratios)
    return summary


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return f"{distribution} {version(distribution)}"


def _print_table(summary: dict[str, Any], rounds: int) -> None:
    columns = ("F1", 14), ("precision", 14), ("recall", 14), ("accuracy", 9), ("docs/s", 8), ("errors", 6)
    head = f"{'extractor':<12} " + " ".join(f"{title:>{width}}" for title, width in columns)
    print(f"\n{summary['n_docs']} pages; docs/s = median of {rounds} rounds")
    print(head)
    print("-" * len(head))
    for name, row in summary["extractors"].items():
        m = row["metrics"]

        def cell(key: str, m: dict[str, float] = m) -> str:
            std = m.get(f"{key}_std")
            return f"{m[key]:.3f}" + (f" ± {std:.3f}" if std is not None else "")

        print(
            f"{name:<12} {cell('f1'):>14} {cell('precision'):>14} {cell('recall'):>14} "
            f"{m['accuracy']:>9.3f} {row['docs_per_s_median']:>8.1f} {row['errors']:>6}"
        )
    ratio = summary["throughput_ratio_median"]
    print(f"\nthroughput ratio communique / trafilatura (median of per-round ratios): {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
