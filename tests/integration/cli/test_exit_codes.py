"""A command that did not do what was asked exits non-zero and says why in one line, with the fix when there is one.

Servers are real HTTP servers on loopback; the guard's decisions on private ranges are tested on
the address check itself (no connection is ever tried to such an address).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.cli.processing import guard_refusal
from communique.settings import HttpSettings, Settings
from tests.integration.cli.test_cli import run
from tests.support.http_server import LocalHTTPServer, Reply

PAGE = "<html><head><title>{0}</title></head><body><article><p>{0}: the talks went on.</p></article></body></html>"


@pytest.fixture
def news_site() -> Iterator[LocalHTTPServer]:
    """A sitemap of two pages (one on another loopback origin, never allowed) and two feeds, one of them gone."""
    with LocalHTTPServer() as server:
        server.route("/talks", Reply.text(PAGE.format("talks"), "text/html; charset=utf-8"))
        elsewhere = f"http://127.0.0.2:{server.port}/elsewhere"
        urls = "".join(f"<url><loc>{u}</loc><lastmod>2019-11-20T07:00:00Z</lastmod></url>"
                       for u in (server.url("/talks"), elsewhere))  # fmt: skip
        sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        server.route("/sitemap.xml", Reply.text(sitemap, "application/xml"))
        rss = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>{server.origin}</link>'
            f"<item><title>Talks</title><link>{server.origin}/talks</link></item></channel></rss>"
        )
        server.route("/feed.xml", Reply.text(rss, "application/rss+xml"))
        server.route("/gone.xml", Reply.text("gone", status=410))
        yield server


def _one_line(stderr: str, said: str) -> str:
    lines = [line for line in stderr.splitlines() if said in line]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_sitemap_on_an_origin_the_guard_refuses_exits_1_with_the_fix(
    tmp_path: Path, warehouse_dsn: str, news_site: LocalHTTPServer
) -> None:
    refused = run(["import", "sitemap", news_site.url("/sitemap.xml")], warehouse_dsn, tmp_path)
    assert refused.returncode == 1
    line = _one_line(refused.stderr, "refused by the SSRF guard")
    assert f"origin {news_site.origin} refused" in line
    assert f"COMMUNIQUE_ALLOWED_ORIGINS={news_site.origin}" in line
    assert "Traceback" not in refused.stderr and news_site.hits("/sitemap.xml") == 0  # refused before connecting

    # Following the advice imports the page of the allowed origin; the page on the other origin is refused.
    allowed = run(["import", "sitemap", news_site.url("/sitemap.xml")], warehouse_dsn, tmp_path,
                  COMMUNIQUE_ALLOWED_ORIGINS=news_site.origin)  # fmt: skip
    assert "1 landed" in allowed.stdout, allowed.stdout + allowed.stderr
    assert allowed.returncode == 1  # one page could not be imported
    assert "1 refused by the SSRF guard" in _one_line(allowed.stderr, "failed (see the warnings above)")


def test_poll_exits_1_when_a_feed_failed(tmp_path: Path, warehouse_dsn: str, news_site: LocalHTTPServer) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(f'[[feed]]\nurl = "{news_site.url(path)}"\noutlet = "news.example"\n\n'
                             for path in ("/feed.xml", "/gone.xml")))  # fmt: skip
    result = run(["poll", "--feeds", str(feeds)], warehouse_dsn, tmp_path, COMMUNIQUE_ALLOWED_ORIGINS=news_site.origin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 articles landed, 0 failed" in result.stdout
    line = _one_line(result.stderr, "feeds failed")
    assert "1 of 2 feeds failed" in line and "communique feeds health" in line
    assert sum(news_site.url("/feed.xml") in line for line in result.stdout.splitlines()) == 1  # printed once

    checked = run(["feeds", "check", "--live", "--feeds", str(feeds)], warehouse_dsn, tmp_path,
                  COMMUNIQUE_ALLOWED_ORIGINS=news_site.origin)  # fmt: skip
    assert checked.returncode == 1 and "1 of 2 feeds failed" in checked.stderr


def test_poll_exits_0_when_every_feed_and_page_worked(
    tmp_path: Path, warehouse_dsn: str, news_site: LocalHTTPServer
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{news_site.url("/feed.xml")}"\noutlet = "news.example"\n')
    result = run(["poll", "--feeds", str(feeds)], warehouse_dsn, tmp_path, COMMUNIQUE_ALLOWED_ORIGINS=news_site.origin)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_analyst_url_for_a_configured_warehouse_is_refused_in_one_line(tmp_path: Path, warehouse_dsn: str) -> None:
    result = run(["warehouse", "url", "--analyst"], warehouse_dsn, tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert "CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE communique_analyst" in _one_line(result.stderr, "ROLE")


@pytest.mark.parametrize(
    "url",
    ["http://10.1.2.3/sitemap.xml", "http://192.168.0.10:8080/news.xml", "http://169.254.169.254/latest/meta-data",
     "http://[fd00::1]/sitemap.xml", "http://127.0.0.1:9/sitemap.xml"],
)  # fmt: skip
def test_private_origins_are_refused_with_their_fix(url: str) -> None:
    import httpx

    from communique.fetch.downloads import origin_of

    origin = origin_of(httpx.URL(url))
    refusal = guard_refusal(Settings(), [url])
    assert refusal is not None and f"COMMUNIQUE_ALLOWED_ORIGINS={origin} " in refusal
    assert guard_refusal(Settings(http=HttpSettings(allowed_origins=(origin,))), [url]) is None
    assert guard_refusal(Settings(http=HttpSettings(allow_private_addresses=True)), [url]) is None


def test_feeds_add_names_the_origin_to_allow(tmp_path: Path) -> None:
    from communique.errors import ConfigError
    from communique.feeds.registry import add_feed
    from communique.models import FeedSpec

    spec = FeedSpec(url="http://169.254.169.254/latest/meta-data", outlet="x")
    with pytest.raises(ConfigError, match=r"COMMUNIQUE_ALLOWED_ORIGINS=http://169\.254\.169\.254:80 "):
        add_feed(tmp_path / "feeds.toml", spec, HttpSettings())
    assert not (tmp_path / "feeds.toml").exists()
