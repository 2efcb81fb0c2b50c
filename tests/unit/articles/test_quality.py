"""Teasers, paywalls, script-only and empty pages are flagged; whole articles, even short ones, are not."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from communique.articles.htmlprocessing import clean_article
from communique.articles.quality import count_words
from tests.support.corpora import corpus
from tests.support.paths import DATA, FIXTURES

CORPUS = corpus("articles")
BENCHMARK = DATA / "benchmarks" / "article_extraction"
HTML_FIXTURES = FIXTURES / "html"
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def _benchmark_page(prefix: str) -> tuple[str, str]:
    import gzip

    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    key = next(k for k in truth if k.startswith(prefix))
    html = gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
    return html, truth[key]["url"]


@pytest.mark.parametrize(
    ("prefix", "quality"),
    [
        # wsj.com: JSON-LD isAccessibleForFree false, hasPart ".paywall" absent from the page: a teaser.
        ("042bb7b5fedab6ea", "paywall"),
        ("7ab16ade32386ece", "paywall"),
        # latimes.com: the same markup, but the ".paywall" element holds the whole story: served in full.
        ("098bb3e96c0acdf3", "ok"),
        ("8634d1211c3f2b73", "ok"),
        # wired.com: paywall markup, no ".paywall" element, yet 500+ words served: not flagged.
        ("d48aeb9cf2f2ff15", "ok"),
    ],
)
def test_paywall_markup(prefix: str, quality: str) -> None:
    html, url = _benchmark_page(prefix)
    assert clean_article(html, url, fetched_at=FETCHED_AT).quality == quality


@pytest.mark.parametrize(
    ("page", "quality"),
    [
        # nikkei.com: "この記事は会員限定です" (members only) after the first paragraph.
        ("np4k__japanese_article.html", "paywall"),
        # The Spanish edition's index page: a few headline blurbs from a very long page.
        ("readability__nytimes-5.html", "teaser"),
        # jpost.com breaking news: 69 words, and that is the whole article.
        ("sh__e372e42c0a3df7b8.html", "ok"),
        # A short news item (lsm.lv, ~120 words).
        ("np4k__latvian_article.html", "ok"),
    ],
)
def test_corpus_pages(page: str, quality: str) -> None:
    html = (CORPUS / page).read_text(encoding="utf-8")
    assert clean_article(html, "", fetched_at=FETCHED_AT).quality == quality


@pytest.mark.parametrize(
    ("fixture", "quality"),
    [
        ("teaser_read_more.html", "teaser"),
        ("script_only_shell.html", "script_only"),
        ("jsonld_body_only.html", "ok"),
    ],
)
def test_fixtures(fixture: str, quality: str) -> None:
    html = (HTML_FIXTURES / fixture).read_text(encoding="utf-8")
    article = clean_article(html, "https://wire.example.org/x", fetched_at=FETCHED_AT)
    assert article.quality == quality
    if quality == "script_only":
        assert article.text == ""  # "You need to enable JavaScript" is not the article


def test_empty_page() -> None:
    html = "<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    assert clean_article(html, "").quality == "empty"


def test_whole_articles_are_not_flagged() -> None:
    """Every page of the corpus with a true article body is a whole article (42 pages)."""
    flagged = []
    for path in sorted(CORPUS.glob("sh__*.groundtruth.json")):
        html = (CORPUS / path.name.replace(".groundtruth.json", ".html")).read_text(encoding="utf-8")
        article = clean_article(html, "", fetched_at=FETCHED_AT)
        if article.quality != "ok":
            flagged.append((path.name, article.quality))
    assert flagged == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The ministers met in Geneva.", 5),
        ("", 0),
        ("外国专家：中美合作共赢符合国际社会利益", 9),  # 19 characters, two per word
        ("米朝首脳 Trump 会談", 4),  # 6 CJK characters + 1 word
        ("Сегодня министры встретились", 3),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words
