"""Main text of article pages (communique.articles.htmlprocessing): quality, layout, encodings, robustness.

Pages come from tests/data/corpora/articles.tar.xz (captured real pages, MANIFEST.tsv names their sources) and
tests/fixtures/html (small pages written for these tests; each file's header says what it is).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from datetime import UTC, datetime, timedelta
from types import ModuleType

import pytest
import trafilatura

from communique.articles.htmlprocessing import clean_article, fragment_text, main_text
from communique.fetch.encodings import decode
from tests.support.corpora import corpus
from tests.support.paths import DATA, FIXTURES

CORPUS = corpus("articles")
BENCHMARK = DATA / "benchmarks" / "article_extraction"
HTML_FIXTURES = FIXTURES / "html"
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def _page(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _evaluate() -> ModuleType:
    """The benchmark's own scorer (standard library only), for the shingle F1 of a text."""
    path = BENCHMARK / "evaluate.py"
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GROUND_TRUTH = sorted(CORPUS.glob("sh__*.groundtruth.json"))


def test_text_matches_the_true_article_bodies_at_least_as_well_as_plain_trafilatura() -> None:
    """The corpus pages from the article-extraction benchmark, with their true bodies (42 pages)."""
    evaluate = _evaluate()
    ours, plain = [], []
    for path in GROUND_TRUTH:
        truth = next(iter(json.loads(path.read_text(encoding="utf-8")).values()))["articleBody"]
        html = _page(path.name.replace(".groundtruth.json", ".html"))
        ours.append(evaluate.DocScore(truth, main_text(html)))
        plain.append(evaluate.DocScore(truth, trafilatura.extract(html, include_comments=False)))
    assert len(ours) >= 40
    ours_f1, plain_f1 = evaluate.aggregate(ours)["f1"], evaluate.aggregate(plain)["f1"]
    assert ours_f1 >= 0.96
    assert ours_f1 >= plain_f1


def test_main_text_is_the_pipeline_text() -> None:
    html = _page("readability__nytimes-1.html")
    assert main_text(html) == clean_article(html, "").text
    assert main_text(html) == clean_article(html, "https://www.nytimes.com/x", fetched_at=FETCHED_AT).text


@pytest.mark.parametrize("row", _manifest(), ids=lambda row: row["file"])
def test_paragraph_layout(row: dict[str, str]) -> None:
    """Blocks separated by exactly one blank line; no other newline, no runs of spaces, no edges."""
    text = main_text(_page(row["file"]))
    if not text:
        return
    assert text == text.strip()
    assert "\n\n\n" not in text
    for block in text.split("\n\n"):
        assert block
        assert "\n" not in block
        assert block == block.strip()
        assert not re.search(r"\s{2,}", block)


def test_paragraphs_are_kept() -> None:
    text = main_text(_page("readability__nytimes-1.html"))
    blocks = text.split("\n\n")
    assert len(blocks) >= 10
    assert blocks[0].startswith("LONDON — After nearly 20 years of hostile relations")


@pytest.mark.parametrize(
    "page",
    ["sh__624fcd903d56fc70.html", "sh__8380689f358c1e3a.html", "sh__c7e39ac49fa1235f.html"],
)
def test_the_headline_is_not_repeated_as_the_first_paragraph(page: str) -> None:
    article = clean_article(_page(page), "")
    first = article.text.split("\n\n")[0]
    assert article.title
    assert first != article.title
    assert not first.startswith(article.title)


def test_fallback_to_json_ld_article_body() -> None:
    html = (HTML_FIXTURES / "jsonld_body_only.html").read_text(encoding="utf-8")
    article = clean_article(html, "https://wire.example.org/world/geneva", fetched_at=FETCHED_AT)
    blocks = article.text.split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].startswith("The foreign ministers of both countries agreed on Friday")
    assert blocks[2].endswith("several earlier attempts to restart them had failed.")
    assert article.quality == "ok"
    assert article.title == "Ministers agree to resume talks"
    assert article.authors == ("Ana Example",)
    assert article.site_name == "Example Wire"
    assert article.published_at == datetime(2024, 5, 3, 7, 15, tzinfo=UTC)
    assert article.published_source == "json-ld"
    assert article.modified_at == datetime(2024, 5, 3, 9, 40, tzinfo=UTC)
    assert article.language == "en"


def test_navigation_dump_gets_a_second_opinion() -> None:
    """jaraguadosul.com.br: the fast mode returns the whole menu; the full cascade finds the story."""
    evaluate = _evaluate()
    pages = {page.id: page for page in evaluate.load_pages(BENCHMARK)}
    page = next(p for key, p in pages.items() if key.startswith("f6ac15a4d985"))
    text = main_text(page.html)
    assert evaluate.DocScore(page.truth, text).f1() >= 0.8
    assert "Ouvidoria SUS" not in text


# ---- feed-entry HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        (
            "<p>First <b>bold</b> sentence.</p><p>Second\n   paragraph.</p>",
            "First bold sentence.\n\nSecond paragraph.",
        ),
        ("Line one<br>Line two<br/><br/>Line three", "Line one\n\nLine two\n\nLine three"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("<div>Text<script>alert(1)</script><style>p{}</style></div><!-- comment -->", "Text"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("Plain text only.\n\nWith two paragraphs.", "Plain text only.\n\nWith two paragraphs."),
        ('<p>Read <a href="https://x.example/">the report</a> (PDF).</p>', "Read the report (PDF)."),
        ("<p></p><p>   </p>", ""),
        ("", ""),
    ],
)
def test_fragment_text(fragment: str, text: str) -> None:
    assert fragment_text(fragment) == text


def test_fragment_text_of_a_real_feed_entry() -> None:
    """content:encoded of the Guardian's RSS feed in the feed corpus."""
    import feedparser

    feed = feedparser.parse((corpus("feeds") / "rssparser__guardian.rss").read_bytes())
    entry = feed.entries[0]
    html = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
    text = fragment_text(html)
    assert text
    assert "<" not in text
    assert "\n\n\n" not in text


# ---- encodings -------------------------------------------------------------------------------------

_DECLARED_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.IGNORECASE)


def _transcode(page: str, encoding: str) -> bytes:
    """The corpus page as a server would send it in ``encoding``, its <meta> declaring that charset."""
    html = _DECLARED_CHARSET.sub("", _page(page))
    declared = rf'<head\1><meta charset="{encoding}">'
    html = re.sub(r"<head([^>]*)>", declared, html, count=1, flags=re.IGNORECASE)
    return html.encode(encoding, errors="xmlcharrefreplace")


@pytest.mark.parametrize(
    ("page", "encoding", "language"),
    [
        ("readability__youth.html", "gb18030", "zh"),
        ("np4k__chinese_article_001.html", "gbk", "zh"),
        ("np4k__japanese_article2.html", "shift_jis", "ja"),
        ("np4k__japanese_article.html", "euc-jp", "ja"),
        ("goose3__test_cnn_arabic.html", "windows-1256", "ar"),
        ("readability__aktualne.html", "windows-1250", "cs"),
        ("np4k__latvian_article.html", "iso-8859-13", "lv"),
        ("readability__lemonde-1.html", "iso-8859-1", "fr"),
        ("readability__nytimes-1.html", "windows-1252", "en"),
    ],
)
def test_non_utf8_pages_give_the_same_article(page: str, encoding: str, language: str) -> None:
    """Bytes in a legacy encoding → communique.fetch.encodings.decode → the same article as from UTF-8."""
    reference = clean_article(_page(page), "", fetched_at=FETCHED_AT)
    data = _transcode(page, encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = decode(data, "text/html")
    article = clean_article(decoded.text, "", fetched_at=FETCHED_AT)
    assert decoded.source == "declaration"
    assert article.language == reference.language == language
    assert article.title == reference.title
    assert article.text == reference.text
    assert article.published_at == reference.published_at
    assert "\ufffd" not in article.text


def test_charset_from_the_http_header_only() -> None:
    data = _DECLARED_CHARSET.sub("", _page("readability__youth.html")).encode("gb18030")
    decoded = decode(data, "text/html; charset=GB18030")
    article = clean_article(decoded.text, "")
    assert article.language == "zh"
    assert "出国前后关注点大不同" in article.title
    assert "\ufffd" not in article.text


# ---- robustness ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "just some words, no markup at all",
        "<html></html>",
        "<html><body></body></html>",
        "\x00\x01\x02 binary \xff\xfe junk",
        "<" * 10_000,
        "<div>" * 5_000 + "deep" + "</div>" * 5_000,
        '<html><head><script type="application/ld+json">{not json</script></head><body>x</body></html>',
        '<html><head><meta property="article:published_time" content="yesterday"></head></html>',
        "<?xml version='1.0'?><rss><channel><item><title>t</title></item></channel></rss>",
    ],
)
def test_bad_input_gives_an_article_not_an_exception(html: str) -> None:
    article = clean_article(html, "https://example.org/x", fetched_at=FETCHED_AT)
    assert article.url == "https://example.org/x"
    assert isinstance(article.text, str)
    assert article.quality in {"ok", "empty", "teaser", "paywall", "script_only"}
    if not article.text:
        assert article.quality in {"empty", "script_only"}
    assert article.published_at is None or article.published_at <= FETCHED_AT


def test_feed_title_is_used_when_the_page_has_none() -> None:
    html = "<html><body><p>Body text only.</p></body></html>"
    article = clean_article(html, "", feed_title="From the feed")
    assert article.title == "From the feed"
    assert clean_article("", "", feed_title="From the feed").title == "From the feed"


def test_every_datetime_is_aware_utc() -> None:
    for name in ("np4k__yna_co_kr.html", "readability__liberation-1.html", "goose3__test_cnn1.html"):
        article = clean_article(_page(name), "", fetched_at=FETCHED_AT)
        for moment in (article.published_at, article.modified_at):
            if moment is not None:
                assert moment.tzinfo is not None
                assert moment.utcoffset() is not None
                assert moment.utcoffset() == timedelta(0)


# ---- only the article: link lists and captions --------------------------------------------------


def test_headline_lists_and_captions_the_extractor_kept_are_dropped() -> None:
    """The captured timesofindia page: trafilatura's fast mode keeps the menus and a "Trending Stories"
    list whose headlines read as events (issue 16); the link lists send it to the full cascade."""
    text = main_text(_page("postlight__timesofindia.indiatimes.com.html"))
    assert "China on Tuesday significantly modified its position on the Kashmir dispute" in text
    assert "Trending Stories" not in text
    assert "India invites UN Security Council members" not in text  # a headline of the list
    assert "Maharashtra Cabinet Expansion" not in text  # a menu entry


def test_runs_of_whole_links_and_captions_are_not_the_article() -> None:
    from communique.articles.htmlprocessing import _drop_captions, _drop_link_lists, _link_texts, parse_html

    tree = parse_html(
        "<html><body><p>Text with <a href='/p'>Imran Khan</a> linked.</p>"
        "<div class='image-caption'>File photo of the minister. (Agency)</div>"
        "<ul><li><a href='/1'>Germany invites Council members</a></li><li><a href='/2'>India, China discuss a"
        " hotline</a></li><li><a href='/3'>Rain expected</a></li></ul></body></html>"
    )
    assert tree is not None
    lines = ["The story begins.", "Imran Khan", "goes on here.", "File photo of the minister. (Agency)",
             "Trending Stories", "Germany invites Council members", "India, China discuss a hotline",
             "Rain expected", "The end."]  # fmt: skip
    kept = _drop_captions(_drop_link_lists(lines, _link_texts(tree)), tree)
    assert kept == ["The story begins.", "Imran Khan", "goes on here.", "Trending Stories", "The end."]
