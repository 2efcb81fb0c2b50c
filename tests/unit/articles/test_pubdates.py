"""Date parsing and the choice of the publication time (communique.articles.pubdates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from communique.articles.pubdates import (
    MAX_LAG_BEFORE_FEED,
    DateCandidate,
    candidate,
    choose_modified,
    choose_published,
    parse_date,
    url_date,
)

EST = timezone(timedelta(hours=-5))


# Every format below was seen on a page of the article corpus, tests/data/corpora (the page is named).
@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2023-11-06T13:00:15.055Z", datetime(2023, 11, 6, 13, 0, 15, 55000, UTC), "instant"),  # cnn_001
        ("2021-11-01T10:52:50+0100", datetime(2021, 11, 1, 9, 52, 50, tzinfo=UTC), "instant"),  # aktualne
        ("20180619T055000+0900", datetime(2018, 6, 18, 20, 50, tzinfo=UTC), "instant"),  # nikkei
        ("2019-11-20T10:43Z", datetime(2019, 11, 20, 10, 43, tzinfo=UTC), "instant"),  # jpost
        (
            "Thu, 06 Oct 2011 08:10:27 EST",
            datetime(2011, 10, 6, 13, 10, 27, tzinfo=UTC),
            "instant",
        ),  # huffpost
        ("2010-08-14 00:00:00 EDT", datetime(2010, 8, 14, 4, 0, tzinfo=UTC), "instant"),  # foxnews
        ("2019-11-20 3:15:00 -0800", datetime(2019, 11, 20, 11, 15, tzinfo=UTC), "instant"),  # sfgate
        ("20 Nov 2019 08:02 GMT", datetime(2019, 11, 20, 8, 2, tzinfo=UTC), "instant"),  # aljazeera
        ("Wed Nov 20 2019 08:00:58 GMT+0000", datetime(2019, 11, 20, 8, 0, 58, tzinfo=UTC), "instant"),
        ("November 19, 2019 6:30 AM EST", datetime(2019, 11, 19, 11, 30, tzinfo=UTC), "instant"),
        ("1529283660000", datetime(2018, 6, 18, 1, 1, tzinfo=UTC), "instant"),  # afpbb epoch-publish-date
        ("2019-04-28 06:01:07", datetime(2019, 4, 28, 6, 1, 7), "naive"),  # seattletimes
        ("2019-11-18T17:26:45.726", datetime(2019, 11, 18, 17, 26, 45, 726000), "naive"),
        ("2011-10-05", datetime(2011, 10, 5), "date"),  # telegraph DC.date.issued
        ("20191118", datetime(2019, 11, 18), "date"),  # nytimes pdate
        ("2018/06/18", datetime(2018, 6, 18), "date"),  # afpbb afp-publicdate
        ("Tuesday, Aug. 17, 2010", datetime(2010, 8, 17), "date"),  # time.com
    ],
)
def test_parse_date_reads_the_formats_pages_use(text: str, value: datetime, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    got, got_precision = parsed
    assert got_precision == precision
    assert (got.astimezone(UTC) if got.tzinfo else got) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0001-01-01T00:00:00Z",
        "not a date",
        "2019-13-45",
        "21.dez.2018",
        "x" * 200,
        "12345",
        "1 day ago",
    ],
)
def test_parse_date_rejects_placeholders_and_junk(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.cnn.com/2023/11/06/politics/alito/index.html", date(2023, 11, 6)),
        ("https://www.theguardian.com/environment/2019/jan/03/what-is-the-sea", date(2019, 1, 3)),
        ("https://china.chinadaily.com.cn/a/202311/17/WS6557.html", date(2023, 11, 17)),
        ("http://www.abc.net.au/news/2013-04-22/swimming-greats/4644544", date(2013, 4, 22)),
        ("http://www.cnn.com/2010/POLITICS/08/13/democrats.social.security/index.html", date(2010, 8, 13)),
        ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", date(2013, 8, 3)),
        ("https://www.example.com/20191118/story", date(2019, 11, 18)),
        ("https://time.com/6330957/james-hansen/", None),
        ("https://www.example.com/2019/11/", None),
        ("https://www.example.com/tag/1999-2000-season", None),
    ],
)
def test_url_date(url: str, day: date | None) -> None:
    assert url_date(url) == day


def _cand(source: str, text: str) -> DateCandidate:
    found = candidate(source, "test", text)
    assert found is not None
    return found


FETCHED = datetime(2019, 11, 21, 12, 0, tzinfo=UTC)


def test_a_zoned_instant_beats_less_precise_statements_whatever_their_source() -> None:
    cands = [
        _cand("json-ld", "2019-11-18"),
        _cand("meta", "2019-11-18 12:02:02"),
        _cand("time", "2019-11-18T12:02:02-05:00"),
        _cand("url", "2019-11-18"),
    ]
    assert choose_published(cands, fetched_at=FETCHED) == (
        datetime(2019, 11, 18, 17, 2, 2, tzinfo=UTC),
        "time",
    )


def test_between_instants_json_ld_wins_over_meta() -> None:
    # nbcnews (readability schema-org-context-object): article:published_time carries the update time.
    cands = [_cand("meta", "2024-12-07T12:43:39.889Z"), _cand("json-ld", "2024-12-06T22:00:40.000Z")]
    published, source = choose_published(cands, fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert (published, source) == (datetime(2024, 12, 6, 22, 0, 40, tzinfo=UTC), "json-ld")


def test_feed_time_stands_in_when_the_page_has_no_zoned_instant() -> None:
    feed = datetime(2019, 11, 18, 17, 2, 2, tzinfo=UTC)
    cands = [_cand("meta", "2019-11-18 12:02:02"), _cand("url", "2019-11-18")]
    assert choose_published(cands, feed_published=feed, fetched_at=FETCHED) == (feed, "feed")


def test_page_instant_wins_over_the_feed_when_sane() -> None:
    feed = datetime(2019, 11, 19, 9, 0, tzinfo=UTC)
    cands = [_cand("json-ld", "2019-11-18T23:04:24-05:00")]
    published, source = choose_published(cands, feed_published=feed, fetched_at=FETCHED)
    assert (published, source) == (datetime(2019, 11, 19, 4, 4, 24, tzinfo=UTC), "json-ld")


def test_a_page_date_far_before_the_feed_entry_is_rejected() -> None:
    feed = datetime(2019, 11, 19, 9, 0, tzinfo=UTC)
    stale = feed - MAX_LAG_BEFORE_FEED - timedelta(days=30)
    cands = [_cand("json-ld", stale.isoformat())]
    assert choose_published(cands, feed_published=feed, fetched_at=FETCHED) == (feed, "feed")


def test_nothing_after_the_fetch_time_is_believed() -> None:
    cands = [_cand("json-ld", "2030-01-01T00:00:00Z"), _cand("meta", "2019-11-18T10:00:00Z")]
    published, source = choose_published(cands, fetched_at=FETCHED)
    assert (published, source) == (datetime(2019, 11, 18, 10, 0, tzinfo=UTC), "meta")


def test_a_few_minutes_of_clock_skew_are_clamped_to_the_fetch_time() -> None:
    cands = [_cand("json-ld", (FETCHED + timedelta(minutes=3)).isoformat())]
    assert choose_published(cands, fetched_at=FETCHED) == (FETCHED, "json-ld")


def test_a_feed_date_after_the_fetch_is_ignored() -> None:
    feed = FETCHED + timedelta(days=2)
    assert choose_published([], feed_published=feed, fetched_at=FETCHED) == (FETCHED, "fetch")


def test_naive_time_is_read_as_utc_without_a_better_source() -> None:
    published, source = choose_published([_cand("meta", "2015-04-30T07:19:58")], fetched_at=FETCHED)
    assert (published, source) == (datetime(2015, 4, 30, 7, 19, 58, tzinfo=UTC), "meta")


def test_a_date_only_statement_becomes_midnight_utc() -> None:
    published, source = choose_published([_cand("url", "2013-04-22")], fetched_at=FETCHED)
    assert (published, source) == (datetime(2013, 4, 22, tzinfo=UTC), "url")


def test_today_in_a_zone_ahead_of_utc_is_not_in_the_future() -> None:
    fetched = datetime(2019, 11, 20, 23, 30, tzinfo=UTC)  # already the 21st in Tokyo
    published, source = choose_published([_cand("url", "2019-11-21")], fetched_at=fetched)
    assert source == "url"
    assert published == fetched  # clamped: never after the fetch


def test_no_statement_at_all() -> None:
    assert choose_published([], fetched_at=FETCHED) == (FETCHED, "fetch")
    assert choose_published([]) == (None, None)


def test_all_results_are_aware_utc() -> None:
    published, _ = choose_published([_cand("json-ld", "2019-11-18T23:04:24-05:00")])
    assert published is not None
    assert published.utcoffset() == timedelta(0)


def test_modified_time_is_never_before_publication() -> None:
    published = datetime(2019, 11, 18, 17, 0, tzinfo=UTC)
    older = [_cand("meta", "2019-11-17T10:00:00Z")]
    newer = [_cand("meta", "2019-11-18T21:23:14+00:00")]
    assert choose_modified(older, published, FETCHED) is None
    assert choose_modified(newer, published, FETCHED) == datetime(2019, 11, 18, 21, 23, 14, tzinfo=UTC)
    assert choose_modified([_cand("meta", "2031-01-01T00:00:00Z")], published, FETCHED) is None


def test_est_offset_is_applied() -> None:
    parsed = parse_date("Fri, 13 Aug 2010 16:08:00 EST")
    assert parsed is not None
    assert parsed[0] == datetime(2010, 8, 13, 16, 8, tzinfo=EST)
