"""Score `communique extract --jsonl` on every gold set we have, beside a naive baseline, and time the extractor.

Usage (from the project root)::

    .venv/bin/python bench/event_accuracy.py                     # every set, the baseline, speed
    .venv/bin/python bench/event_accuracy.py --no-speed          # accuracy only
    .venv/bin/python bench/event_accuracy.py --ablations         # also each knowledge source switched off
    .venv/bin/python bench/event_accuracy.py --errors agnews_dev # the misses and false alarms of a set
    .venv/bin/python bench/event_accuracy.py --agreement         # the two coders of the team dev set

Sets (records read from ../shared; the team's annotations from bench/data/agnews_world):

- ``plover``: ../shared/benchmarks/event_gold/plover_gsr_cameo_examples.jsonl (CAMEO manual examples,
  PLOVER-coded), scored at (PLOVER category, source country, target country);
- ``petrarch2_pytest``, ``petrarch2_unittest``: PETRARCH-2's full-sentence tests and the non-fictional
  unit-test records (coded with toy dictionaries: read those figures with care), at (CAMEO root,
  source, target);
- ``agnews_dev``, ``agnews_heldout``: the team's dev set of real 2004 wire items (texts in
  ../shared/corpora/agnews_world, gold in bench/data/agnews_world), split once by a hash of the id:
  rules are developed against ``agnews_dev``; ``agnews_heldout`` is only ever scored, never read
  (``--errors`` refuses it). Items carry no date; they are read as published on 2004-10-01.

Scope: the diplomatic roots (cameo_codes.tsv ``scope``), international dyads only (two different
3-letter roots; IGO, NGO and IMG are roots of their own). The naive baseline codes, in every
sentence with a trigger word and two different countries, the first trigger word's root from the
first country to the second (the floor DOMAIN.md names).

Speed: the extractor against the full spaCy pipeline on every sentence of the English corpus
pages, medians of several rounds, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD_DIR = SHARED / "benchmarks" / "event_gold"
AGNEWS_TEXTS = SHARED / "corpora" / "agnews_world" / "dev_pool.jsonl"
AGNEWS_GOLD = ROOT / "bench" / "data" / "agnews_world"
ARTICLES_GOLD = ROOT / "bench" / "data" / "corpus_articles"
ARTICLES_DIR = SHARED / "corpora" / "articles"
OUT_DIR = ROOT / "bench" / "out"
AGNEWS_DATE = "2004-10-01"
sys.path.insert(0, str(ROOT / "include"))

from communique.events.coding import DIPLOMATIC_PLOVER, describe, diplomatic_roots, normalise_plover  # noqa: E402

Triple = tuple[str, str, str]


@dataclass
class Score:
    """tp/fp/fn of a set, per category, and a confusion table (a miss paired with a wrong code on its dyad)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_category: dict[str, Counter[str]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, gold: list[Triple], predicted: list[Triple]) -> None:
        remaining = list(predicted)
        missed = []
        for item in gold:
            if item in remaining:
                remaining.remove(item)
                self._count(item[0], "tp")
                self.confusion[(item[0], item[0])] += 1
            else:
                missed.append(item)
        for item in missed:
            self._count(item[0], "fn")
            same_dyad = next((p for p in remaining if p[1:] == item[1:]), None)
            if same_dyad is not None:
                remaining.remove(same_dyad)
                self._count(same_dyad[0], "fp")
                self.confusion[(item[0], same_dyad[0])] += 1
            else:
                self.confusion[(item[0], "(none)")] += 1
        for item in remaining:
            self._count(item[0], "fp")
            self.confusion[("(none)", item[0])] += 1

    def _count(self, category: str, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
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

    def row(self) -> str:
        return f"{self.precision:.3f} | {self.recall:.3f} | **{self.f1:.3f}** | {self.tp} | {self.fp} | {self.fn}"


@dataclass
class Record:
    id: str
    text: str
    date: str | None
    gold: list[Triple]
    gold_strict: list[Triple]


@dataclass
class GoldSet:
    """One gold set: its records, its scheme (PLOVER or CAMEO), and whether each item counts once."""

    name: str
    scheme: str
    records: list[Record]
    #: Score (category, source, target) as sets per record (the team set), or as multisets (the public files).
    as_sets: bool = False


# --- reading the sets ------------------------------------------------------------------------


def _root3(code: str | None) -> str:
    return (code or "").strip()[:3].upper()


def _international(source: str, target: str) -> bool:
    return len(source) == 3 and len(target) == 3 and source != target and "-" not in source + target


def _category(code: str, scheme: str, strict: bool) -> str | None:
    if scheme == "PLOVER":
        category = normalise_plover(code)
        return category if category in DIPLOMATIC_PLOVER else None
    if code[:2] not in diplomatic_roots():
        return None
    return code if strict else code[:2]


def gold_triples(events: Iterable[dict[str, Any]], scheme: str, strict: bool) -> list[Triple]:
    """In-scope international gold events (full actor codes when ``strict``)."""
    out = []
    for event in events:
        category = _category(str(event["code"]), scheme, strict)
        source, target = event.get("source") or "", event.get("target") or ""
        if category and _international(_root3(source), _root3(target)):
            out.append((category, source if strict else _root3(source), target if strict else _root3(target)))
    return out


def predicted_triples(events: Iterable[dict[str, Any]], scheme: str, strict: bool) -> list[Triple]:
    out = []
    for event in events:
        source, target = event["source"]["cameo"], event["target"]["cameo"]
        if scheme == "PLOVER":
            category = str(event["plover_type"]) if event["plover_type"] in DIPLOMATIC_PLOVER else None
        else:
            category = _category(str(event["cameo_code"]), scheme, strict)
        if category and _international(_root3(source), _root3(target)):
            out.append((category, source if strict else _root3(source), target if strict else _root3(target)))
    return out


def _gold_file(name: str, path: Path, keep: Callable[[dict[str, Any]], bool] = lambda r: True) -> GoldSet | None:
    if not path.is_file():
        return None
    records, scheme = [], "CAMEO"
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        if not keep(raw):
            continue
        scheme = raw["code_scheme"]
        gold = gold_triples(raw["events"], scheme, strict=False)
        records.append(Record(raw["id"], raw["text"], raw.get("date"), gold, gold_triples(raw["events"], scheme, True)))
    return GoldSet(name, scheme, records)


def _agnews(part: str) -> GoldSet | None:
    if not AGNEWS_TEXTS.is_file():
        return None
    texts = {r["id"]: r["text"] for r in map(json.loads, AGNEWS_TEXTS.read_text(encoding="utf-8").splitlines())}
    split = dict(
        line.split("\t")[:2]
        for line in (AGNEWS_GOLD / "split.tsv").read_text().splitlines()
        if not line.startswith("#")
    )
    records = []
    for line in (AGNEWS_GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        if split.get(raw["id"]) == part:
            gold = sorted(set(gold_triples(raw["events"], "CAMEO", False)))
            strict = sorted(set(gold_triples(raw["events"], "CAMEO", True)))
            records.append(Record(raw["id"], texts[raw["id"]], AGNEWS_DATE, gold, strict))
    return GoldSet(f"agnews_{part}", "CAMEO", records, as_sets=True)


def _split(folder: Path) -> dict[str, str]:
    lines = (folder / "split.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t")[:2] for line in lines if not line.startswith("#"))


def _articles(part: str) -> GoldSet | None:
    """The English corpus pages as the pipeline cleans them, with the team's gold (``corpus_articles``)."""
    if not (ARTICLES_DIR / "MANIFEST.tsv").is_file():
        return None
    from communique.articles.htmlprocessing import clean_article

    files = {}
    lines = (ARTICLES_DIR / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        files[row["file"].rsplit(".", 1)[0]] = row
    split = _split(ARTICLES_GOLD)
    records = []
    for line in (ARTICLES_GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        if split.get(raw["id"]) != part:
            continue
        row = files[raw["id"]]
        data = (ARTICLES_DIR / row["file"]).read_bytes()
        article = clean_article(data.decode("utf-8", errors="replace"), f"https://{row['outlet']}/x")
        day = article.published_at.date().isoformat() if article.published_at else None
        gold = sorted(set(gold_triples(raw["events"], "CAMEO", False)))
        strict = sorted(set(gold_triples(raw["events"], "CAMEO", True)))
        records.append(Record(raw["id"], article.text, day, gold, strict))
    return GoldSet(f"articles_{part}", "CAMEO", records, as_sets=True)


def load_sets(names: list[str] | None) -> list[GoldSet]:
    """Every available set (a missing one is reported and skipped)."""
    makers: dict[str, Callable[[], GoldSet | None]] = {
        "plover": lambda: _gold_file("plover", GOLD_DIR / "plover_gsr_cameo_examples.jsonl"),
        "petrarch2_pytest": lambda: _gold_file("petrarch2_pytest", GOLD_DIR / "petrarch2_pytest_sentences.jsonl"),
        "petrarch2_unittest": lambda: _gold_file(
            "petrarch2_unittest", GOLD_DIR / "petrarch2_unittest.jsonl", lambda r: not r.get("fictional")
        ),
        "agnews_dev": lambda: _agnews("dev"),
        "agnews_heldout": lambda: _agnews("heldout"),
        "articles_dev": lambda: _articles("dev"),
        "articles_heldout": lambda: _articles("heldout"),
    }
    sets = []
    for name in names or list(makers):
        found = makers[name]()
        if found is None:
            print(f"{name}: its data is not in ../shared next to the repository; skipped", file=sys.stderr)
        else:
            sets.append(found)
    return sets


# --- running the extractor --------------------------------------------------------------------


def run_cli(sets: list[GoldSet], disable: str | None = None) -> tuple[dict[str, list[dict[str, Any]]], float]:
    """One `communique extract --jsonl` over every record of every set; events by record id, and wall time."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    source = OUT_DIR / "gold_records.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for gold_set in sets:
            for record in gold_set.records:
                row = {"id": f"{gold_set.name}/{record.id}", "text": record.text, "date": record.date}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    label = "" if disable is None else "-without-" + (disable.replace(",", "-") or "nothing")
    out_file = OUT_DIR / f"gold_events{label}.jsonl"
    command = [str(Path(sys.executable).parent / "communique"), "extract", "--jsonl", str(source)]
    env = dict(os.environ)
    env.pop("COMMUNIQUE_EXTRACTOR_DISABLE", None)
    if disable is not None:
        env["COMMUNIQUE_EXTRACTOR_DISABLE"] = disable
    started = time.perf_counter()
    with out_file.open("w", encoding="utf-8") as handle:
        subprocess.run(command, check=True, stdout=handle, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - started
    grouped: dict[str, list[dict[str, Any]]] = {}
    for line in out_file.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        grouped.setdefault(str(event["doc_id"]), []).append(event)
    return grouped, elapsed


def score(gold_set: GoldSet, predictions: dict[str, list[dict[str, Any]]], strict: bool = False) -> Score:
    result = Score()
    for record in gold_set.records:
        predicted = predicted_triples(predictions.get(f"{gold_set.name}/{record.id}", []), gold_set.scheme, strict)
        if gold_set.as_sets:
            predicted = sorted(set(predicted))
        result.add(record.gold_strict if strict else record.gold, predicted)
    return result


class NaiveCoder:
    """The floor: a trigger word and two different countries in a sentence give (its root, first, second)."""

    def __init__(self) -> None:
        from communique.events.extractor import EventExtractor, split_sentences
        from communique.events.triggers import load_triggers

        self._extractor = EventExtractor()
        self._split = split_sentences
        triggers = load_triggers(petrarch=False)
        self._roots: dict[str, str] = {}
        for trigger in triggers.by_lemma.values():
            if trigger.code:
                for form in trigger.word_forms():
                    self._roots.setdefault(form, trigger.code)

    def code(self, text: str, scheme: str) -> list[Triple]:
        from communique.events.spans import ACTOR_SPANS

        extractor = self._extractor
        doc = extractor._gazetteer_pipe(extractor._sentencizer(extractor.nlp.make_doc(text)))
        actors = list(doc.spans[ACTOR_SPANS])
        out = []
        for sentence in self._split(doc):
            code = next((self._roots[t.lower_] for t in sentence if t.lower_ in self._roots), None)
            countries: list[str] = []
            for span in actors:
                if sentence.start <= span.start < sentence.end and span.kb_id_[:3] not in countries:
                    countries.append(span.kb_id_[:3])
            if code and len(countries) >= 2:
                info = describe(code)
                category = info.plover_type if scheme == "PLOVER" else info.root
                out.append((category, countries[0], countries[1]))
        return out


def score_naive(gold_set: GoldSet, naive: NaiveCoder) -> Score:
    result = Score()
    for record in gold_set.records:
        predicted = [t for t in naive.code(record.text, gold_set.scheme) if _international(t[1], t[2])]
        result.add(record.gold, sorted(set(predicted)) if gold_set.as_sets else predicted)
    return result


# --- reports ---------------------------------------------------------------------------------------


def print_summary(
    sets: list[GoldSet], ours: dict[str, Score], naive: dict[str, Score], strict: dict[str, Score]
) -> None:
    print("\n| set | records | gold events | P | R | F1 | tp | fp | fn | naive P | naive R | naive F1 | strict F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for gold_set in sets:
        o, n, s = ours[gold_set.name], naive[gold_set.name], strict[gold_set.name]
        gold = sum(len(r.gold) for r in gold_set.records)
        print(
            f"| {gold_set.name} | {len(gold_set.records)} | {gold} | {o.row()} "
            f"| {n.precision:.3f} | {n.recall:.3f} | {n.f1:.3f} | {s.f1:.3f} |"
        )


def print_categories(title: str, result: Score) -> None:
    print(f"\n### {title}: per category\n")
    print("| category | gold | predicted | tp | fp | fn | P | R | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for category in sorted(result.per_category):
        c = result.per_category[category]
        gold, pred = c["tp"] + c["fn"], c["tp"] + c["fp"]
        p = c["tp"] / pred if pred else 0.0
        r = c["tp"] / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {category} | {gold} | {pred} | {c['tp']} | {c['fp']} | {c['fn']} | {p:.2f} | {r:.2f} | {f:.2f} |")


def print_errors(gold_set: GoldSet, predictions: dict[str, list[dict[str, Any]]]) -> None:
    """Misses and false alarms of a development set, with the text (never for the held-out part)."""
    print(f"\n### errors on {gold_set.name}\n")
    for record in gold_set.records:
        events = predictions.get(f"{gold_set.name}/{record.id}", [])
        predicted = predicted_triples(events, gold_set.scheme, False)
        if gold_set.as_sets:
            predicted = sorted(set(predicted))
        missed = [g for g in record.gold if g not in predicted]
        extra = [p for p in predicted if p not in record.gold]
        if missed or extra:
            print(f"- {record.id}: {record.text}")
            for item in missed:
                print(f"    MISSED {item}")
            for item in extra:
                event = next(e for e in events if predicted_triples([e], gold_set.scheme, False) == [item])
                print(f"    FALSE  {item} {event['source']['text']!r} -> {event['target']['text']!r} "
                      f"[{event['cameo_code']}] {event['evidence']['sentence'][:160]!r}")  # fmt: skip


def agreement() -> None:
    """Per pair of coders: F1 of one against the other at the scored level, and kappa on 'has an event'."""
    pairs = [
        (AGNEWS_GOLD, "coder_a", "coder_b"),
        (AGNEWS_GOLD, "coder_c", "coder_d"),
        (ARTICLES_GOLD, "coder_e", "coder_f"),
    ]
    print("\n## Agreement of the independent coders (before adjudication)\n")
    print("| set | coders | items | F1 | P | R | agreed | only first | only second | kappa (has an event) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for folder, first, second in pairs:
        coders = []
        for name in (first, second):
            rows = [json.loads(line) for line in (folder / f"{name}.jsonl").read_text().splitlines()]
            coders.append({r["id"]: sorted(set(gold_triples(r["events"], "CAMEO", False))) for r in rows})
        a, b = coders
        result = Score()
        for item in a:
            result.add(a[item], b[item])
        has_a = [bool(a[i]) for i in a]
        has_b = [bool(b[i]) for i in a]
        n = len(a)
        observed = sum(x == y for x, y in zip(has_a, has_b, strict=True)) / n
        pa, pb = sum(has_a) / n, sum(has_b) / n
        expected = pa * pb + (1 - pa) * (1 - pb)
        kappa = (observed - expected) / (1 - expected)
        names = f"{first[-1].upper()}/{second[-1].upper()}"
        counts = f"{result.tp} | {result.fn} | {result.fp}"
        print(f"| {folder.name} | {names} | {n} | {result.f1:.3f} | {result.precision:.3f} | {result.recall:.3f} "
              f"| {counts} | {kappa:.3f} |")  # fmt: skip


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
        with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p.startswith("communique")]):
            for _doc in nlp.pipe(sentences, batch_size=64):
                pass
        full.append(time.perf_counter() - started)
    ours_t, full_t = statistics.median(ours), statistics.median(full)
    chars = sum(len(t) for t in texts)
    parsed = extractor.stats["parsed"] / max(1, extractor.stats["sentences"])
    print(
        f"\n## Speed: {len(texts)} English article texts from ../shared/corpora/articles "
        f"({len(sentences)} sentences, {chars / 1000:.0f}k characters), median of {rounds} rounds, 1 process\n"
    )
    print("| pipeline | seconds | articles/s | sentences/s |\n|---|---|---|---|")
    print(
        f"| communique extractor (prefilter + parse of candidates) | {ours_t:.2f} | {len(texts) / ours_t:.1f} "
        f"| {len(sentences) / ours_t:.0f} |"
    )
    components = ", ".join(p for p in nlp.pipe_names if not p.startswith("communique"))
    print(
        f"| full spaCy pipeline ({components}) on every sentence | {full_t:.2f} | {len(texts) / full_t:.1f} "
        f"| {len(sentences) / full_t:.0f} |"
    )
    print(f"\nspeed-up {full_t / ours_t:.1f}x; sentences sent to the parser: {parsed:.1%}; events: {events}")


#: Each knowledge source toggled against the default (COMMUNIQUE_EXTRACTOR_DISABLE lists what is off):
#: the label and the list of sources off. The PETRARCH-2 verbs are off by default: their row switches them on.
ABLATIONS = (
    ("people off", "people,petrarch_verbs"),
    ("phoenix_organisations off", "phoenix_organisations,petrarch_verbs"),
    ("petrarch_verbs on", ""),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated sets (default: all)")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--details", action="store_true", help="per-category tables of every set")
    parser.add_argument("--ablations", action="store_true", help="also run with each knowledge source switched off")
    parser.add_argument("--without", help="knowledge sources off for the main run (default: the extractor's)")
    parser.add_argument("--errors", help="print the errors of these sets (never agnews_heldout)")
    parser.add_argument("--agreement", action="store_true", help="inter-coder agreement of the team dev set")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args()
    if not SHARED.is_dir() and not (args.no_accuracy and args.no_speed):
        print(f"event_accuracy: {SHARED.resolve()} is missing (the gold sets and texts are read from ../shared)",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.agreement:
        agreement()
    figures: dict[str, Any] = {}
    if not args.no_accuracy:
        sets = load_sets(args.sets.split(",") if args.sets else None)
        if not sets:
            print("no gold set found: ../shared is not next to the repository", file=sys.stderr)
            return 2
        predictions, elapsed = run_cli(sets, args.without)
        print(f"\n## Accuracy: `communique extract --jsonl` over {sum(len(s.records) for s in sets)} records "
              f"in {elapsed:.1f} s" + (f" (without {args.without})" if args.without else ""))  # fmt: skip
        ours = {s.name: score(s, predictions) for s in sets}
        strict = {s.name: score(s, predictions, strict=True) for s in sets}
        naive_coder = NaiveCoder()
        naive = {s.name: score_naive(s, naive_coder) for s in sets}
        print_summary(sets, ours, naive, strict)
        for gold_set in sets:
            if args.details or gold_set.name in {"plover", "agnews_dev", "agnews_heldout", "articles_dev"}:
                print_categories(gold_set.name, ours[gold_set.name])
        figures = {name: {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
                          "naive_f1": round(naive[name].f1, 3)} for name, s in ours.items()}  # fmt: skip
        if args.ablations:
            print("\n## What each knowledge source contributes (F1 with it toggled against the default)\n")
            print("| toggled | " + " | ".join(s.name for s in sets) + " |")
            print("|---|" + "---:|" * len(sets))
            print("| (default) | " + " | ".join(f"{ours[s.name].f1:.3f}" for s in sets) + " |")
            for label, disable in ABLATIONS:
                toggled, _ = run_cli(sets, disable)
                print(f"| {label} | " + " | ".join(f"{score(s, toggled).f1:.3f}" for s in sets) + " |")
        for name in (args.errors or "").split(","):
            if name.endswith("_heldout"):
                print(f"{name} is for checking only: its errors are not shown", file=sys.stderr)
            elif name:
                print_errors(next(s for s in sets if s.name == name), predictions)
    if not args.no_speed:
        speed(args.rounds)
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
