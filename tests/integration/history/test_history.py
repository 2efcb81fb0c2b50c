"""History imports: WARC files (CC-NEWS format) and news sitemaps, then processing of that range."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from communique import pipeline
from communique.history import sitemaps, warc
from communique.local.demo_site import load_site
from communique.models import Interval
from communique.settings import HttpSettings, Settings
from communique.warehouse import database
from tests.support.http_server import LocalHTTPServer, Reply

# Three demo pages with their own published times (JSON-LD / meta), all in 2019-11-18 .. 2019-11-20.
PAGES = ["world-lashes-out-over-settlements", "esper-accuses-china", "russia-syria-refugee-return"]
RANGE = Interval(datetime(2019, 11, 18, tzinfo=UTC), datetime(2019, 11, 21, tzinfo=UTC))


def _page(slug: str) -> bytes:
    return next(i.file for i in load_site().items if i.path.endswith(f"/{slug}.html")).read_bytes()


def write_warc(path: Path) -> None:
    """A small CC-NEWS-like WARC: gzipped records, request/response pairs, and records to skip."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(url: str, status: str, kind: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2019-11-21T08:00:00Z"},
        )  # fmt: skip
        writer.write_record(record)

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("cc-news-test.warc.gz", {"software": "test"}))
        for slug in PAGES:
            response(f"https://news.example/{slug}", "200 OK", "text/html; charset=utf-8", _page(slug))
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG...")
        response("https://news.example/missing", "404 Not Found", "text/html", b"<p>gone</p>")
        response("https://news.example/old-story", "200 OK", "text/html", _page("us-to-lift-sudan-sanctions"))


def test_warc_import_lands_pages_at_their_publication_time(tmp_path: Path, warehouse_dsn: str) -> None:
    archive = tmp_path / "news.warc.gz"
    write_warc(archive)
    result = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [archive], RANGE)
    assert result.counts["landed"] == len(PAGES)
    assert result.skipped == {"not_html": 1, "http_404": 1, "outside_range": 1}  # the 2017 story is outside
    with database.connect(warehouse_dsn) as conn:
        rows = conn.execute("SELECT url, source, landed_at, fetched_at FROM raw_article ORDER BY landed_at").fetchall()
    assert [r[1] for r in rows] == ["warc"] * len(PAGES)
    assert all(RANGE.contains(landed) and landed < fetched for _, _, landed, fetched in rows)
    assert rows[-1][2] == datetime(2019, 11, 20, 11, 19, 29, tzinfo=UTC)  # esper: the page's own datePublished

    again = warc.import_warc(Settings(home=tmp_path), warehouse_dsn, [archive], RANGE)
    assert again.counts["landed"] == 0 and again.counts["known"] == len(PAGES)

    # A backfill of that range (here without Airflow) turns the history into facts.
    processed = pipeline.process_interval(Settings(home=tmp_path), warehouse_dsn, RANGE)
    assert processed[0].counts["pages"] == len(PAGES)
    with database.connect(warehouse_dsn) as conn:
        facts = conn.execute("SELECT count(*), min(event_date), max(event_date) FROM fct_diplomatic_event").fetchone()
    assert facts[0] > 0 and facts[1].year == facts[2].year == 2019


@pytest.fixture
def sitemap_server() -> LocalHTTPServer:
    server = LocalHTTPServer().start()
    news = (
        "<news:news><news:publication_date>{date}</news:publication_date><news:title>{title}</news:title></news:news>"
    )
    urls = "".join(
        f"<url><loc>{server.url('/' + slug)}</loc>{news.format(date=date, title=slug)}</url>"
        for slug, date in [(PAGES[0], "2019-11-20T07:29:39Z"), (PAGES[1], "2019-11-20T11:19:29Z"),
                           ("us-to-lift-sudan-sanctions", "2017-01-13T00:00:00Z")]
    )  # fmt: skip
    urlset = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/news.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{server.url('/evil.xml')}</loc></sitemap></sitemapindex>"
    ).encode()
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    server.route("/sitemap.xml", Reply.text(index, "application/xml"))
    server.route("/news.xml.gz", Reply(body=gzip.compress(urlset), headers={"Content-Type": "application/gzip"}))
    server.route("/evil.xml", Reply.text(evil, "application/xml"))
    for slug in [*PAGES[:2], "us-to-lift-sudan-sanctions"]:
        server.route(f"/{slug}", Reply.text(_page(slug), "text/html; charset=utf-8"))
    yield server
    server.stop()


def test_sitemap_import_follows_the_index_and_keeps_to_the_range(
    tmp_path: Path, warehouse_dsn: str, sitemap_server: LocalHTTPServer
) -> None:
    http = HttpSettings(allowed_origins=(sitemap_server.origin,), per_host_delay=0.0, max_retries=0)
    settings = Settings(home=tmp_path, http=http)
    result = sitemaps.import_sitemap(settings, warehouse_dsn, sitemap_server.url("/sitemap.xml"), RANGE)
    assert result.counts["sitemaps"] == 2  # the index and the gzipped news sitemap
    assert result.counts["landed"] == 2
    assert result.skipped == {"sitemap_entity_declaration": 1, "outside_range": 1}
    assert sitemap_server.hits("/us-to-lift-sudan-sanctions") == 0  # out of range: never fetched
    with database.connect(warehouse_dsn) as conn:
        rows = conn.execute("SELECT source, feed_title, landed_at FROM raw_article ORDER BY landed_at").fetchall()
    assert rows == [
        ("sitemap", PAGES[0], datetime(2019, 11, 20, 7, 29, 39, tzinfo=UTC)),
        ("sitemap", PAGES[1], datetime(2019, 11, 20, 11, 19, 29, tzinfo=UTC)),
    ]


def test_a_stopped_sitemap_import_keeps_what_it_landed_and_a_rerun_resumes(
    tmp_path: Path, warehouse_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.fetch.downloads import HttpClient
    from communique.history import landing

    with LocalHTTPServer() as server:
        slugs = [f"story-{n}" for n in range(20)]
        body = "<html><head><title>{0}</title></head><body><article><p>{0}: talks went on.</p></article></body></html>"
        for slug in slugs:
            server.route(f"/{slug}", Reply.text(body.format(slug), "text/html; charset=utf-8"))
        server.route("/pages.xml", Reply.text(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{server.url('/' + s)}</loc></url>" for s in slugs) + "</urlset>",
            "application/xml",
        ))  # fmt: skip
        http = HttpSettings(allowed_origins=(server.origin,), per_host_delay=0.0, max_retries=0)
        settings = Settings(home=tmp_path, http=http)
        monkeypatch.setattr(sitemaps, "FETCH_CHUNK", 4)
        fetched: list[int] = []
        real_fetch_many = HttpClient.fetch_many
        monkeypatch.setattr(
            HttpClient, "fetch_many", lambda self, r: fetched.append(len(r)) or real_fetch_many(self, r)
        )
        landed = 0
        real_land = landing.land_in_span

        def land_then_stop(conn: object, page: object, span: object, stats: object) -> None:
            nonlocal landed
            if landed == 10:
                raise KeyboardInterrupt  # the operator stops the import in the middle of the third chunk
            landed += 1
            real_land(conn, page, span, stats)  # type: ignore[arg-type]

        monkeypatch.setattr(sitemaps, "land_in_span", land_then_stop)
        with pytest.raises(KeyboardInterrupt):
            sitemaps.import_sitemap(settings, warehouse_dsn, server.url("/pages.xml"))
        assert max(fetched) <= 4  # pages are held one chunk at a time
        with database.connect(warehouse_dsn) as conn:
            assert conn.execute("SELECT count(*) FROM raw_article").fetchone() == (8,)  # two chunks committed

        monkeypatch.setattr(sitemaps, "land_in_span", real_land)
        resumed = sitemaps.import_sitemap(settings, warehouse_dsn, server.url("/pages.xml"))
        assert resumed.counts["known"] == 8 and resumed.counts["landed"] == 12 and resumed.counts["failed"] == 0
        assert server.hits("/story-0") == 1  # a stored page is not fetched again
