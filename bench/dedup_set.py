"""The near-duplicate test set: real articles, the copies syndication makes of them, and same-topic non-copies.

Built from ``../shared/corpora/articles`` (MANIFEST.tsv) with the pipeline's own cleaner
(:func:`communique.articles.htmlprocessing.main_text`), deterministically (every random choice is seeded
by the document id):

- ``original``: every English article page of the corpus (index and redirect pages excluded,
  at least 50 words of text). Different outlets' articles on one subject stay distinct stories:
  the MANIFEST's same-story clusters (the China plague case, the WeWork inquiry) and the other
  subjects covered several times (impeachment hearings, Hong Kong, Assange, US-China trade).
- ``corpus_copy``: pages the MANIFEST marks as one article captured twice (the two Libération
  files, CNN Arabic, BBC Chinese): real duplicates, in French, Arabic and Chinese.
- generated copies of each original, as other outlets republish agency copy:

  - ``agency_prefix``: a dateline and agency tag before the first paragraph, a credit line after the last;
  - ``edited_lead``: the first paragraph rewritten (headline-led, clauses reordered, words dropped);
  - ``boilerplate``: one or two blocks of site boilerplate appended (newsletter, comments, related links);
  - ``truncated``: only the first 50-80 % of the text, cut at a paragraph or sentence boundary;
  - ``copy_edited``: house-style edits all through (US/U.S., per cent, said Tuesday, -ise), a middle
    paragraph dropped and a "Related:" line inserted;
  - ``agency_variant``: all of the agency prefix, copy edits and boilerplate together;
  - ``site_boilerplate`` (originals under 300 words): the same two boilerplate blocks appended to every
    short article, so that two different short articles share a large part of their text;
  - ``quoting``: another article quoting one paragraph of the original (a copy of that *other*
    article with one paragraph inserted, and a hard non-duplicate of the original).

Two documents are a positive pair when they belong to the same story, a negative pair otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpora" / "articles"
MIN_WORDS = 50
#: Originals shorter than this also get a ``site_boilerplate`` copy (short texts sharing boilerplate are
#: the hardest non-duplicates).
SHORT_WORDS = 300

_NOT_ARTICLES = re.compile(r"homepage|index page|meta refresh|not an article", re.IGNORECASE)
_SAME_AS = re.compile(r"same (?:page|[\w ]*?story|article) as ([\w.\-]+)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'])|(?<=[.!?][”\"’'])\s+(?=[A-Z“\"‘'])")

CITIES = ("WASHINGTON", "LONDON", "BEIJING", "NEW DELHI", "MOSCOW", "PARIS", "BRUSSELS", "HONG KONG", "NEW YORK")
AGENCIES = (
    "{city} (Reuters) - ",
    "{city} (AP) — ",
    "{city}, Nov 20 (AFP) - ",
    "{city} (Bloomberg) -- ",
)
CREDITS = (
    "(Reporting by Jane Ashby in {city}; Additional reporting by Tom Reyes; Editing by Mark Potter)",
    "Copyright 2019 The Associated Press. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed.",
    "© Agence France-Presse",
)
#: Site boilerplate, written for this test set: what cleaners let through at the end of articles.
FOOTERS = (
    "Sign up for our morning briefing and get the most important stories of the day in your inbox before "
    "breakfast. It is free, and you can unsubscribe at any time. By signing up you agree to our terms of "
    "service and acknowledge the data practices in our privacy policy.",
    "We welcome your comments. Please keep the conversation civil and on topic: comments that include abuse, "
    "spam or personal attacks will be removed by our moderators, and comments close two days after "
    "publication. Read our community guidelines before you post, and report any comment that breaks them.",
    "Before you go: independent reporting from the places where news happens costs money, and we do not put "
    "our journalism behind a paywall. Readers in more than a hundred countries now support us every month. If "
    "you value what you read here, please consider a contribution of any size. It takes less than a minute, "
    "and it helps keep our correspondents on the ground for the stories that matter.",
    "Follow our world desk on Twitter and Facebook for live updates, analysis and video from our "
    "correspondents around the globe. Have a news tip? Contact our newsroom securely.",
)
HOUSE_STYLE: tuple[tuple[str, str], ...] = (
    (r"\bU\.S\.", "US"),
    (r"\bU\.K\.", "UK"),
    (r"\bU\.N\.", "UN"),
    (r"\bpercent\b", "per cent"),
    (r"\bMr\. ", ""),
    (r"\bMs\. ", ""),
    (r"\bsaid on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", r"said \1"),
    (r"\b(organ|recogn|emphas|critic|real|apolog|author)iz(e|ed|es|ing|ation)\b", r"\1is\2"),
    (r"\b(\d{1,3}),(\d{3})\b", r"\1\2"),
    (r"[“”]", '"'),
    (r"[‘’]", "'"),
    (r"\bhowever\b", "but"),
    (r"\bthat\b(?= the)", ""),
)
_DROPPABLE = re.compile(r"\b(the|a|an|very|also|just)\b ", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Doc:
    """One document of the set: its text and the story it belongs to."""

    doc_id: str
    story: str
    kind: str
    outlet: str
    title: str
    text: str
    language: str = "en"


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _clean(corpus: Path, name: str) -> str:
    from communique.articles.htmlprocessing import main_text
    from communique.fetch.encodings import decode

    return main_text(decode((corpus / name).read_bytes(), None).text)


def _rng(doc_id: str, salt: str) -> random.Random:
    return random.Random(hashlib.sha256(f"{doc_id}/{salt}".encode()).digest())


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _join(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs)


def _words(text: str) -> int:
    return len(text.split())


def corpus_documents(corpus: Path = CORPUS) -> tuple[list[Doc], list[Doc]]:
    """The originals (English articles) and the corpus's own duplicates (any language), cleaned."""
    rows = _manifest(corpus)
    stems = {Path(r["file"]).stem: r["file"] for r in rows}
    story = {r["file"]: r["file"] for r in rows}
    by_note: dict[str, list[str]] = {}
    for row in rows:
        for ref in _SAME_AS.findall(row["notes"]):
            other = stems.get(ref.rstrip("."))
            if other:
                _unite(story, row["file"], other)
        if "duplicate pair" in row["notes"]:
            by_note.setdefault(row["notes"], []).append(row["file"])
    for files in by_note.values():
        for other in files[1:]:
            _unite(story, files[0], other)
    sizes = Counter(_root(story, f) for f in story)
    linked = {f for f in story if sizes[_root(story, f)] > 1}
    originals, copies = [], []
    for row in rows:
        name = row["file"]
        english = row["language"].lower().startswith("en")
        if name not in linked and (not english or _NOT_ARTICLES.search(row["topic_guess"] + row["notes"])):
            continue
        text = _clean(corpus, name)
        if _words(text) < MIN_WORDS and name not in linked:
            continue
        doc = Doc(Path(name).stem, Path(_root(story, name)).stem, "original", row["outlet"], row["title"], text,
                  row["language"][:2].lower())  # fmt: skip
        if name in linked:
            copies.append(replace(doc, kind="corpus_copy"))
        else:
            originals.append(doc)
    return originals, copies


def _root(parent: dict[str, str], item: str) -> str:
    while parent[item] != item:
        item = parent[item]
    return item


def _unite(parent: dict[str, str], a: str, b: str) -> None:
    ra, rb = sorted((_root(parent, a), _root(parent, b)))
    parent[rb] = ra


def agency_prefix(doc: Doc) -> Doc:
    rng = _rng(doc.doc_id, "agency")
    paragraphs = _paragraphs(doc.text)
    city = rng.choice(CITIES)
    paragraphs[0] = rng.choice(AGENCIES).format(city=city) + paragraphs[0]
    paragraphs.append(rng.choice(CREDITS).format(city=city.title()))
    return _variant(doc, "agency_prefix", _join(paragraphs), "agency.example")


def edited_lead(doc: Doc) -> Doc:
    rng = _rng(doc.doc_id, "lead")
    paragraphs = _paragraphs(doc.text)
    sentences = _SENTENCE.split(paragraphs[0])
    lead_sentences = len(sentences) if len(paragraphs) >= 3 else 1  # a one-paragraph text: its first sentence
    head, _, tail = sentences[0].partition(", ")
    reordered = f"{tail.rstrip('.')}, {head[0].lower() + head[1:]}" if tail else sentences[0]
    dropped = _DROPPABLE.sub(lambda m: "" if rng.random() < 0.6 else m.group(0), reordered)
    headline = doc.title.split(" - ")[0].split(" | ")[0].strip()
    paragraphs[0] = " ".join([f"{headline}: {dropped.strip()}", *sentences[lead_sentences:]])
    return _variant(doc, "edited_lead", _join(paragraphs), "rewrite.example")


def boilerplate(doc: Doc) -> Doc:
    rng = _rng(doc.doc_id, "boilerplate")
    footers = rng.sample(FOOTERS, rng.choice((1, 1, 2)))
    return _variant(doc, "boilerplate", _join([*_paragraphs(doc.text), *footers]), "portal.example")


def site_boilerplate(doc: Doc) -> Doc:
    """A short article with the same two blocks of boilerplate every article of one site carries."""
    return _variant(doc, "site_boilerplate", _join([*_paragraphs(doc.text), FOOTERS[0], FOOTERS[3]]), "site.example")


def truncated(doc: Doc) -> Doc:
    rng = _rng(doc.doc_id, "truncated")
    keep = rng.uniform(0.5, 0.8) * _words(doc.text)
    kept: list[str] = []
    for paragraph in _paragraphs(doc.text):
        if _words(_join(kept)) >= keep:
            break
        if _words(_join([*kept, paragraph])) > keep * 1.25:  # a long paragraph: cut it at a sentence
            for sentence in _SENTENCE.split(paragraph):
                kept.append(sentence)
                if _words(_join(kept)) >= keep:
                    break
            break
        kept.append(paragraph)
    return _variant(doc, "truncated", _join(kept), "brief.example")


def copy_edited(doc: Doc, related_title: str = "") -> Doc:
    rng = _rng(doc.doc_id, "copyedit")
    paragraphs = [_house_style(p) for p in _paragraphs(doc.text)]
    if len(paragraphs) >= 6:
        del paragraphs[rng.randrange(2, len(paragraphs) - 1)]
    if related_title and len(paragraphs) >= 3:
        paragraphs.insert(rng.randrange(1, len(paragraphs)), f"Related: {related_title}")
    return _variant(doc, "copy_edited", _join(paragraphs), "daily.example")


def agency_variant(doc: Doc, related_title: str = "") -> Doc:
    edited = copy_edited(agency_prefix(doc), related_title)
    rng = _rng(doc.doc_id, "agency_variant")
    text = _join([*_paragraphs(edited.text), rng.choice(FOOTERS)])
    variant = _variant(doc, "agency_variant", text, "syndicate.example")
    return replace(variant, title=_house_style(doc.title) + " (update)")


def quoting(doc: Doc, quoted: Doc) -> Doc | None:
    """``doc`` with one paragraph of ``quoted`` inserted as a quotation; ``None`` when none is short enough."""
    rng = _rng(doc.doc_id, f"quoting/{quoted.doc_id}")
    paragraphs = _paragraphs(doc.text)
    fitting = [p for p in _paragraphs(quoted.text) if 15 <= _words(p) <= 0.2 * _words(doc.text)]
    if not fitting or len(paragraphs) < 3:
        return None
    quote = rng.choice(fitting)
    paragraphs.insert(rng.randrange(1, len(paragraphs)), f'As {quoted.outlet} reported: "{quote}"')
    variant = _variant(doc, "quoting", _join(paragraphs), "commentary.example")
    return replace(variant, doc_id=f"{doc.doc_id}~quoting~{quoted.doc_id}")


def _house_style(text: str) -> str:
    for pattern, replacement in HOUSE_STYLE:
        text = re.sub(pattern, replacement, text)
    return text


def _variant(doc: Doc, kind: str, text: str, outlet: str) -> Doc:
    return Doc(f"{doc.doc_id}~{kind}", doc.story, kind, outlet, doc.title, text, doc.language)


VARIANTS: tuple[Callable[[Doc], Doc], ...] = (agency_prefix, edited_lead, boilerplate, truncated)


def build_test_set(corpus: Path = CORPUS) -> list[Doc]:
    """Originals, the corpus's duplicates, generated copies and quoting articles, in a fixed order."""
    originals, copies = corpus_documents(corpus)
    docs: list[Doc] = [*originals, *copies]
    for index, doc in enumerate(originals):
        related = originals[(index + 7) % len(originals)].title
        docs.extend(variant(doc) for variant in VARIANTS)
        docs.append(copy_edited(doc, related))
        docs.append(agency_variant(doc, related))
        if _words(doc.text) < SHORT_WORDS:
            docs.append(site_boilerplate(doc))
        rng = _rng(doc.doc_id, "quoted")
        for other in rng.sample(originals, len(originals)):
            if other.doc_id != doc.doc_id and (quote := quoting(other, doc)):
                docs.append(quote)
                break
    return docs


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise precision and recall of a clustering against the stories."""

    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    pairs: int

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "true_positives": self.true_positives, "false_positives": self.false_positives,
            "false_negatives": self.false_negatives, "pairs": self.pairs,
        }  # fmt: skip


def pairwise_scores(truth: Sequence[str], predicted: Sequence[str]) -> PairScores:
    """Pairwise scores of ``predicted`` cluster labels against ``truth`` story labels (same order)."""
    both = Counter(zip(truth, predicted, strict=True))
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth).values())
    predicted_pairs = sum(n * (n - 1) // 2 for n in Counter(predicted).values())
    hits = sum(n * (n - 1) // 2 for n in both.values())
    total = len(truth) * (len(truth) - 1) // 2
    return PairScores(
        hits / predicted_pairs if predicted_pairs else 1.0,
        hits / true_pairs if true_pairs else 1.0,
        hits, predicted_pairs - hits, true_pairs - hits, total,
    )  # fmt: skip


def missed_and_merged(docs: Sequence[Doc], predicted: Sequence[str]) -> tuple[Counter[str], list[tuple[str, str]]]:
    """Per copy kind, how many documents ended outside their story's main cluster; and the wrongly merged pairs."""
    main: dict[str, str] = {}
    pairs = sorted(zip((d.story for d in docs), predicted, strict=True))
    for story, members in itertools.groupby(pairs, key=lambda p: p[0]):
        main[story] = Counter(label for _, label in members).most_common(1)[0][0]
    missed = Counter(d.kind for d, label in zip(docs, predicted, strict=True) if label != main[d.story])
    by_cluster: dict[str, list[Doc]] = {}
    for doc, label in zip(docs, predicted, strict=True):
        by_cluster.setdefault(label, []).append(doc)
    merged = [
        (a.doc_id, b.doc_id)
        for members in by_cluster.values()
        for a, b in itertools.combinations(members, 2)
        if a.story != b.story
    ]
    return missed, merged
