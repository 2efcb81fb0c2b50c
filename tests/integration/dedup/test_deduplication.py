"""The deduplication stage against a real PostgreSQL: copies across runs, sticky clusters, idempotent re-runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from communique import pipeline
from communique.dedup.fingerprints import LSH_BANDS, text_fingerprint
from communique.models import Actor, Article, Event, Evidence, Interval
from communique.settings import Settings
from communique.warehouse import article_store, database, loading, raw_store
from tests.support.paths import FIXTURES

HOUR = timedelta(hours=1)
T0 = datetime(2019, 11, 20, 10, 0, tzinfo=UTC)
FIRST = Interval(T0, T0 + HOUR)
SECOND = Interval(T0 + HOUR, T0 + 2 * HOUR)
BOTH = Interval(T0, T0 + 2 * HOUR)
DEDUP_FIXTURES = FIXTURES / "dedup"
FOOTER = (
    "Sign up for our morning briefing and get the most important stories of the day in your inbox before "
    "breakfast. It is free, and you can unsubscribe at any time."
)


def _text(name: str) -> str:
    lines = (DEDUP_FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("# "))


def _agency_variant(text: str) -> str:
    """What a portal makes of wire copy: dateline swapped, lead rewritten, a paragraph cut, a footer added."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    lead = "Gordon Sondland, the ambassador at the heart of the inquiry, testifies on Wednesday."
    return "\n\n".join([lead, *paragraphs[1:-2], FOOTER])


def _put(dsn: str, slug: str, outlet: str, landed: datetime, text: str, *, declared: str | None = None,
         skip: str | None = None) -> str:  # fmt: skip
    """Land one cleaned article (raw page and article row); return its id."""
    url = f"https://{outlet}/{slug}"
    page = raw_store.RawArticle(url=url, final_url=url, html="<p></p>", source="file", outlet=outlet,
                                fetched_at=landed, landed_at=landed)  # fmt: skip
    article = Article(url, declared or page.canonical_url, slug, text, published_at=landed)
    row = article_store.CleanedRow(page.article_id, outlet, landed, article, text_fingerprint(text), skip)
    with database.connect(dsn) as conn:
        raw_store.land(conn, [page])
        article_store.upsert(conn, [row])
    return page.article_id


def _dedup(dsn: str, interval: Interval) -> dict[str, Any]:
    return pipeline.deduplicate_articles(Settings(), dsn, interval).counts


def _stories(dsn: str) -> dict[str, tuple[Any, ...]]:
    with database.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT article_id, cluster_id, duplicate_kind, similarity, duplicate_of FROM article ORDER BY 1"
        ).fetchall()
    return {str(r[0]): tuple(r[1:]) for r in rows}


def _scalar(dsn: str, query: str, *params: object) -> Any:
    with database.connect(dsn) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def test_a_near_copy_in_a_later_run_joins_the_earlier_story(warehouse_dsn: str) -> None:
    original = _text("ap_sondland.txt")
    a = _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=5), original)
    assert _dedup(warehouse_dsn, FIRST)["new_stories"] == 1
    b = _put(warehouse_dsn, "sondland-testifies", "portal.example", T0 + HOUR + timedelta(minutes=1),
             _agency_variant(original))  # fmt: skip
    counts = _dedup(warehouse_dsn, SECOND)
    assert counts["duplicates_near"] == 1 and "new_stories" not in counts
    cluster, kind, similar, duplicate_of = _stories(warehouse_dsn)[b]
    assert (cluster, kind, duplicate_of) == (a, "near", a)
    assert 0.5 <= similar <= 1.0
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM story_cluster") == 1


def test_rerunning_changes_nothing(warehouse_dsn: str) -> None:
    original = _text("ap_sondland.txt")
    _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=5), original)
    _put(warehouse_dsn, "plague", "nypost.example", T0 + timedelta(minutes=6), _text("nypost_plague.txt"))
    _put(warehouse_dsn, "sondland-2", "portal.example", T0 + HOUR + timedelta(minutes=1), _agency_variant(original))
    _dedup(warehouse_dsn, FIRST)
    _dedup(warehouse_dsn, SECOND)
    before = _stories(warehouse_dsn)
    again = [_dedup(warehouse_dsn, FIRST), _dedup(warehouse_dsn, SECOND)]
    assert _stories(warehouse_dsn) == before
    assert [c.get("signed", 0) for c in again] == [0, 0]  # unchanged texts are not signed again
    assert [c["known"] for c in again] == [2, 1]
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM story_cluster") == 2


def test_intervals_in_order_give_what_one_fresh_run_gives(warehouse_dsn: str) -> None:
    original, plague = _text("ap_sondland.txt"), _text("nypost_plague.txt")
    _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=5), original)
    _put(warehouse_dsn, "plague", "nypost.example", T0 + timedelta(minutes=6), plague)
    _put(warehouse_dsn, "sondland-2", "portal.example", T0 + HOUR + timedelta(minutes=1), _agency_variant(original))
    _put(warehouse_dsn, "plague-2", "wire.example", T0 + HOUR + timedelta(minutes=2), plague + "\n\n" + FOOTER)
    _put(warehouse_dsn, "express", "express.example", T0 + HOUR + timedelta(minutes=3), _text("express_plague.txt"))
    _dedup(warehouse_dsn, FIRST)
    _dedup(warehouse_dsn, SECOND)
    in_order = _stories(warehouse_dsn)
    with database.connect(warehouse_dsn) as conn:
        conn.execute("UPDATE article SET cluster_id = NULL, duplicate_kind = NULL, similarity = NULL, "
                     "duplicate_of = NULL")  # fmt: skip
        conn.execute("DELETE FROM story_cluster")
        conn.execute("DELETE FROM article_signature")
    _dedup(warehouse_dsn, BOTH)
    assert _stories(warehouse_dsn) == in_order
    assert len({cluster for cluster, *_ in in_order.values()}) == 3  # Sondland, the plague story, Express's own


def test_a_known_copy_keeps_its_story(warehouse_dsn: str) -> None:
    original = _text("ap_sondland.txt")
    a = _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=5), original)
    b = _put(warehouse_dsn, "sondland-2", "portal.example", T0 + timedelta(minutes=9), _agency_variant(original))
    _dedup(warehouse_dsn, FIRST)
    assert _stories(warehouse_dsn)[b][0] == a
    # The copy is cleaned again and now reads differently: it stays in its story, its signature follows the text.
    _put(
        warehouse_dsn, "sondland-2", "portal.example", T0 + timedelta(minutes=9), _text("cbs_impeachment_hearings.txt")
    )
    counts = _dedup(warehouse_dsn, FIRST)
    assert counts["signed"] == 1 and "new_stories" not in counts
    assert _stories(warehouse_dsn)[b][0] == a
    assert _scalar(warehouse_dsn, "SELECT body_sha256 = (SELECT body_sha256 FROM article WHERE article_id = %s) "
                                  "FROM article_signature WHERE article_id = %s", b, b)  # fmt: skip


def test_same_url_and_same_text_match_before_similar_text(warehouse_dsn: str) -> None:
    text = _text("nypost_plague.txt")
    a = _put(warehouse_dsn, "plague", "nypost.example", T0 + timedelta(minutes=1), text)
    b = _put(warehouse_dsn, "plague-copy", "wire.example", T0 + timedelta(minutes=2), text)
    c = _put(warehouse_dsn, "plague-amp", "nypost.example", T0 + timedelta(minutes=3), text + "\n\nMore to come.",
             declared="https://nypost.example/plague")  # fmt: skip
    counts = _dedup(warehouse_dsn, FIRST)
    stories = _stories(warehouse_dsn)
    assert stories[b] == (a, "exact", 1.0, a)
    assert stories[c] == (a, "canonical", 1.0, a)
    assert (counts["duplicates_exact"], counts["duplicates_canonical"]) == (1, 1)


def test_a_shared_canonical_url_needs_agreeing_text(warehouse_dsn: str) -> None:
    home = "https://broken-cms.example/latest"  # a CMS that declares one canonical URL for every article
    a = _put(warehouse_dsn, "one", "broken-cms.example", T0 + timedelta(minutes=1), _text("ap_sondland.txt"),
             declared=home)  # fmt: skip
    b = _put(warehouse_dsn, "two", "broken-cms.example", T0 + timedelta(minutes=2), _text("express_plague.txt"),
             declared=home)  # fmt: skip
    c = _put(warehouse_dsn, "three", "broken-cms.example", T0 + timedelta(minutes=3),
             _agency_variant(_text("ap_sondland.txt")), declared=home)  # fmt: skip
    _dedup(warehouse_dsn, FIRST)
    stories = _stories(warehouse_dsn)
    assert stories[b][0] == b  # different text: its own story despite the URL
    assert stories[c][:2] == (a, "canonical")


def test_short_texts_are_matched_only_exactly(warehouse_dsn: str) -> None:
    brief = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Wednesday."
    a = _put(warehouse_dsn, "brief", "nation.example", T0 + timedelta(minutes=1), brief)
    b = _put(
        warehouse_dsn, "brief-2", "standard.example", T0 + timedelta(minutes=2), brief.replace("Wednesday", "Tuesday")
    )
    c = _put(warehouse_dsn, "brief-3", "star.example", T0 + timedelta(minutes=3), brief.upper())
    _dedup(warehouse_dsn, FIRST)
    stories = _stories(warehouse_dsn)
    assert stories[b][0] == b and stories[c][:2] == (a, "exact")
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM article_signature") == 0


def test_band_index_follows_the_signatures(warehouse_dsn: str) -> None:
    a = _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=1), _text("ap_sondland.txt"))
    _put(warehouse_dsn, "plague", "nypost.example", T0 + timedelta(minutes=2), _text("nypost_plague.txt"))
    _dedup(warehouse_dsn, FIRST)
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM article_band") == 2 * LSH_BANDS
    # An article that is no longer usable loses its signature on the next run, and its bands with it.
    _put(warehouse_dsn, "plague", "nypost.example", T0 + timedelta(minutes=2), "", skip="empty")
    _dedup(warehouse_dsn, FIRST)
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM article_band") == LSH_BANDS
    # Deleting the raw page cascades to the article, its signature and (by the trigger) its bands.
    with database.connect(warehouse_dsn) as conn:
        conn.execute("UPDATE article SET cluster_id = NULL")
        conn.execute("DELETE FROM story_cluster")
        conn.execute("DELETE FROM raw_article WHERE article_id = %s", (a,))
    assert _scalar(warehouse_dsn, "SELECT count(*) FROM article_band") == 0


def _event() -> Event:
    return Event(
        doc_id="", event_type="meeting", cameo_code="043", cameo_root="04", quad_class=1, plover_type="CONSULT",
        plover_mode="visit", goldstein=2.8,
        source=Actor("Ambassador Gordon Sondland", "Gordon Sondland", "Ambassador", "USA", "GOV", "USAGOV"),
        target=Actor("Ukrainian President Volodymyr Zelenskiy", "Volodymyr Zelenskiy", "President", "UKR", "GOV",
                     "UKRGOV"),
        event_date=date(2019, 7, 25), date_precision="day",
        evidence=Evidence("Sondland met Zelenskiy in Kyiv.", 0, 31), confidence=0.9, extractor_version="test",
    )  # fmt: skip


def _load(dsn: str, interval: Interval, extracted: dict[str, list[Event]]) -> None:
    with database.connect(dsn) as conn:
        rows = [loading.mention_row(e, aid, aid) for aid, events in extracted.items() for e in events]
        loading.stage_events(conn, interval, rows)
    with database.connect(dsn) as conn:
        loading.load_interval(conn, interval)


@pytest.mark.parametrize("copies", [1, 2])
def test_near_copies_raise_the_counts_without_reextraction(warehouse_dsn: str, copies: int) -> None:
    original = _text("ap_sondland.txt")
    a = _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=5), original)
    _dedup(warehouse_dsn, FIRST)
    _load(warehouse_dsn, FIRST, {a: [_event()]})
    for n in range(copies):
        _put(warehouse_dsn, f"sondland-{n}", f"portal{n}.example", T0 + HOUR + timedelta(minutes=n),
             _agency_variant(original) + f"\n\nFiled by desk {n}.")  # fmt: skip
    _dedup(warehouse_dsn, SECOND)
    with database.connect(warehouse_dsn) as conn:
        assert article_store.representatives(conn, SECOND) == []  # nothing new to extract
    _load(warehouse_dsn, SECOND, {})
    with database.connect(warehouse_dsn) as conn:
        facts = conn.execute("SELECT num_articles, num_sources, article_id FROM fct_diplomatic_event").fetchall()
    assert facts == [(1 + copies, 1 + copies, a)]


def test_two_deduplication_runs_never_cluster_at_once(warehouse_dsn: str) -> None:
    with database.connect(warehouse_dsn) as first:
        article_store.lock_clusters(first)
        with database.connect(warehouse_dsn) as second:
            taken = second.execute("SELECT pg_try_advisory_xact_lock(%s)", (article_store._CLUSTER_LOCK,)).fetchone()
            assert taken == (False,)
    with database.connect(warehouse_dsn) as third:  # released with the first transaction
        assert third.execute("SELECT pg_try_advisory_xact_lock(%s)", (article_store._CLUSTER_LOCK,)).fetchone() == (
            True,
        )


def test_a_batch_index_sees_the_clusters_assigned_during_the_run(warehouse_dsn: str) -> None:
    original = _text("ap_sondland.txt")
    a = _put(warehouse_dsn, "sondland", "hosted.ap.example", T0 + timedelta(minutes=1), original)
    b = _put(warehouse_dsn, "sondland-2", "portal.example", T0 + timedelta(minutes=2), _agency_variant(original))
    with database.connect(warehouse_dsn) as conn:
        article_store.refresh_signatures(conn, FIRST)
        signatures = article_store.signatures_in(conn, FIRST)
        index = article_store.near_index(conn, signatures.values())
    assert index.copy_of(b, signatures[b]) is None  # the original has no story yet
    index.assign(a, a)
    match = index.copy_of(b, signatures[b])
    assert match is not None and (match.cluster_id, match.kind, match.article_id) == (a, "near", a)
    assert index.copy_of(a, signatures[a]) is None  # an article is never its own copy; b has no story yet
