"""Score `communique extract --jsonl` against the event gold files, and time the extractor.

Usage (from the project root)::

    .venv/bin/python bench/event_accuracy.py              # all gold files + speed
    .venv/bin/python bench/event_accuracy.py --no-speed   # accuracy only

Accuracy: for each file in ../shared/benchmarks/event_gold/, the `communique extract --jsonl`
command runs as a subprocess and its JSON lines are scored at (PLOVER category, source country,
target country) for the PLOVER file and (CAMEO root, source country, target country) for the
CAMEO files, over the diplomatic scope, international dyads only (two different 3-letter roots;
IGO and NGO count as roots of their own). Older PLOVER names are mapped (DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE). A stricter level scores full codes and full actor codes. Records marked
fictional are reported apart.

Speed: in the same run, over the text of the English article pages of ../shared/corpora/articles
(cleaned with communique.articles.htmlprocessing.main_text), the extractor against the full spaCy pipeline
run on every sentence; medians of several rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD_DIR = SHARED / "benchmarks" / "event_gold"
ARTICLES_DIR = SHARED / "corpora" / "articles"
OUT_DIR = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "include"))

from communique.events.coding import DIPLOMATIC_PLOVER, diplomatic_roots, normalise_plover  # noqa: E402

Tuple = tuple[str, str, str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_category: dict[str, Counter[str]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, gold: list[Tuple], predicted: list[Tuple]) -> None:
        remaining = list(predicted)
        unmatched_gold = []
        for item in gold:
            if item in remaining:
                remaining.remove(item)
                self.tp += 1
                self._count(item[0], "tp")
                self.confusion[(item[0], item[0])] += 1
            else:
                unmatched_gold.append(item)
        for item in unmatched_gold:
            self.fn += 1
            self._count(item[0], "fn")
            same_dyad = next((p for p in remaining if p[1:] == item[1:]), None)
            if same_dyad is not None:
                remaining.remove(same_dyad)
                self.fp += 1
                self._count(same_dyad[0], "fp")
                self.confusion[(item[0], same_dyad[0])] += 1
            else:
                self.confusion[(item[0], "(none)")] += 1
        for item in remaining:
            self.fp += 1
            self._count(item[0], "fp")
            self.confusion[("(none)", item[0])] += 1

    def _count(self, category: str, kind: str) -> None:
        self.per_category.setdefault(category, Counter())[kind] += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _root3(code: str | None) -> str:
    return (code or "").strip()[:3].upper()


def _international(source: str, target: str) -> bool:
    return len(source) == 3 and len(target) == 3 and source != target and "-" not in source + target


def gold_tuples(record: dict[str, object], strict: bool) -> list[Tuple]:
    """In-scope international gold events of one record."""
    out = []
    for event in record["events"]:  # type: ignore[attr-defined]
        code = str(event["code"])
        source, target = event.get("source") or "", event.get("target") or ""
        if record["code_scheme"] == "PLOVER":
            category = normalise_plover(code)
            if category not in DIPLOMATIC_PLOVER:
                continue
        else:
            if code[:2] not in diplomatic_roots():
                continue
            category = code if strict else code[:2]
        if not _international(_root3(source), _root3(target)):
            continue
        out.append((category, source if strict else _root3(source), target if strict else _root3(target)))
    return out


def predicted_tuples(events: Iterable[dict[str, object]], scheme: str, strict: bool) -> list[Tuple]:
    out = []
    for event in events:
        source, target = event["source"]["cameo"], event["target"]["cameo"]  # type: ignore[index]
        if scheme == "PLOVER":
            category = str(event["plover_type"])
            if category not in DIPLOMATIC_PLOVER:
                continue
        else:
            category = str(event["cameo_code"]) if strict else str(event["cameo_root"])
            if category[:2] not in diplomatic_roots():
                continue
        if not _international(_root3(source), _root3(target)):
            continue
        out.append((category, source if strict else _root3(source), target if strict else _root3(target)))
    return out


def run_cli(gold_file: Path) -> tuple[dict[str, list[dict[str, object]]], float]:
    """Run `communique extract --jsonl` on a gold file; events grouped by record id, and wall time."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_file = OUT_DIR / f"{gold_file.stem}.events.jsonl"
    command = [str(Path(sys.executable).parent / "communique"), "extract", "--jsonl", str(gold_file)]
    started = time.perf_counter()
    with out_file.open("w", encoding="utf-8") as handle:
        subprocess.run(command, check=True, stdout=handle, cwd=ROOT)
    elapsed = time.perf_counter() - started
    grouped: dict[str, list[dict[str, object]]] = {}
    for line in out_file.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        grouped.setdefault(str(event["doc_id"]), []).append(event)
    return grouped, elapsed


def score_file(gold_file: Path, strict: bool, predictions: dict[str, list[dict[str, object]]]) -> dict[str, Score]:
    scores = {"real": Score(), "fictional": Score()}
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bucket = "fictional" if record.get("fictional") else "real"
        predicted = predicted_tuples(predictions.get(str(record["id"]), []), record["code_scheme"], strict)
        scores[bucket].add(gold_tuples(record, strict), predicted)
    return scores


def print_score(title: str, score: Score, details: bool) -> None:
    print(f"\n### {title}")
    counts = f"tp {score.tp}  fp {score.fp}  fn {score.fn}"
    print(f"gold {score.tp + score.fn}  predicted {score.tp + score.fp}  {counts}")
    print(f"precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")
    if not details:
        return
    print("\n| category | gold | predicted | tp | fp | fn | P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for category in sorted(score.per_category):
        c = score.per_category[category]
        gold, pred = c["tp"] + c["fn"], c["tp"] + c["fp"]
        p = c["tp"] / pred if pred else 0.0
        r = c["tp"] / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        counts = f"{c['tp']} | {c['fp']} | {c['fn']}"
        print(f"| {category} | {gold} | {pred} | {counts} | {p:.2f} | {r:.2f} | {f:.2f} |")
    labels = sorted({g for g, _ in score.confusion} | {p for _, p in score.confusion}, key=lambda x: (x == "(none)", x))
    print("\nconfusion (rows gold, columns predicted; same dyad or none):\n")
    print("| gold \\ predicted | " + " | ".join(labels) + " |")
    print("|---" * (len(labels) + 1) + "|")
    for gold in labels:
        cells = [str(score.confusion.get((gold, pred), "")) or "." for pred in labels]
        print(f"| {gold} | " + " | ".join(cells) + " |")


def accuracy() -> None:
    for gold_file in sorted(GOLD_DIR.glob("*.jsonl")):
        predictions, elapsed = run_cli(gold_file)
        records = sum(1 for _ in gold_file.open(encoding="utf-8"))
        print(f"\n## {gold_file.name}: {records} records, `communique extract --jsonl` in {elapsed:.1f} s")
        is_plover = gold_file.name.startswith("plover")
        if not any(gold_tuples(json.loads(line), False) for line in gold_file.read_text(encoding="utf-8").splitlines()):
            print("no gold event of this file is in the diplomatic scope (international dyads, roots in scope)")
        level = "(PLOVER category, source country, target country)" if is_plover else "(CAMEO root, source, target)"
        for bucket, score in score_file(gold_file, strict=False, predictions=predictions).items():
            if score.tp + score.fn + score.fp:
                print_score(f"{gold_file.stem} [{bucket}] at {level}", score, details=is_plover or bucket == "real")
        for bucket, score in score_file(gold_file, strict=True, predictions=predictions).items():
            if score.tp + score.fn + score.fp:
                print_score(f"{gold_file.stem} [{bucket}] strict: full codes and full actor codes", score, False)


def article_texts() -> list[str]:
    """Cleaned text of the English pages listed in the corpus manifest."""
    from communique.articles.htmlprocessing import main_text

    texts = []
    lines = (ARTICLES_DIR / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        if row.get("language") != "en":
            continue
        path = ARTICLES_DIR / row["file"]
        raw = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            raw = gzip.decompress(raw)
        text = main_text(raw.decode("utf-8", errors="replace"))
        if text.strip():
            texts.append(text)
    return texts


def speed(rounds: int) -> None:
    from communique.events.extractor import EventExtractor, split_sentences

    texts = article_texts()
    extractor = EventExtractor()
    nlp = extractor.nlp
    sentencizer = extractor._sentencizer
    sentences = [s.text for t in texts for s in split_sentences(sentencizer(nlp.make_doc(t)))]
    docs = [(f"a{i}", t, None) for i, t in enumerate(texts)]
    ours, full = [], []
    list(extractor.extract_many(docs[:2]))  # warm up
    for _ in range(rounds):
        started = time.perf_counter()
        events = sum(len(e) for _, e in extractor.extract_many(docs))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with nlp.select_pipes(disable=["communique_gazetteer", "communique_frames"]):
            for _doc in nlp.pipe(sentences, batch_size=64):
                pass
        full.append(time.perf_counter() - started)
    ours_t, full_t = statistics.median(ours), statistics.median(full)
    chars = sum(len(t) for t in texts)
    parsed = extractor.stats["parsed"] / max(1, extractor.stats["sentences"])
    print(
        f"\n## Speed: {len(texts)} English article texts from ../shared/corpora/articles "
        f"({len(sentences)} sentences, {chars / 1000:.0f}k characters), "
        f"median of {rounds} rounds, 1 process\n"
    )
    print("| pipeline | seconds | articles/s | sentences/s |\n|---|---|---|---|")
    print(
        "| communique extractor (prefilter + parse of candidates) "
        f"| {ours_t:.2f} | {len(texts) / ours_t:.1f} "
        f"| {len(sentences) / ours_t:.0f} |"
    )
    print(
        f"| full spaCy pipeline ({', '.join(p for p in nlp.pipe_names if not p.startswith('communique'))}) "
        f"on every sentence | {full_t:.2f} | {len(texts) / full_t:.1f} "
        f"| {len(sentences) / full_t:.0f} |"
    )
    print(f"\nspeed-up {full_t / ours_t:.1f}x; sentences sent to the parser: {parsed:.1%}; events: {events}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.no_accuracy:
        accuracy()
    if not args.no_speed:
        speed(args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
