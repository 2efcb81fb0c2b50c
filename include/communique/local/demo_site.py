"""The bundled offline demo site: real article pages and the RSS/Atom feeds that list them.

``include/demo/site.toml`` names each page of ``include/demo/pages`` (copied unchanged from the
team's article corpus, with its origin and licence), the feed that lists it and the page's own title and date, and the
copies other feeds list (see ``[[copy]]`` there). Feeds, and the pages of ``agency_variant``
copies, are generated at serve time. The server answers conditional GETs like a real news site, so
a second poll of the demo gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from communique.errors import ConfigError
from communique.settings import DEMO_DIR

LOGGER = logging.getLogger(__name__)
_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class DemoFeed:
    slug: str
    title: str
    outlet: str
    format: str
    language: str

    @property
    def path(self) -> str:
        return f"/feeds/{self.slug}.{'atom' if self.format == 'atom' else 'rss'}"


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One entry of a demo feed: a page (or a copy of one) at a URL path."""

    path: str
    title: str
    published: datetime
    file: Path
    feed: str
    origin: str
    #: ``agency_variant``: the page is rewritten at serve time (:func:`agency_variant_html`); else served as is.
    variant: str = ""
    #: Agency dateline put before the first paragraph of an ``agency_variant``.
    dateline: str = ""


@dataclass(slots=True)
class DemoSite:
    feeds: dict[str, DemoFeed]
    items: list[DemoItem] = field(default_factory=list)

    def items_of(self, feed: str) -> list[DemoItem]:
        return sorted((i for i in self.items if i.feed == feed), key=lambda i: i.published, reverse=True)

    def page_items(self) -> dict[str, DemoItem]:
        """URL path (without query) -> the item served there."""
        return {item.path.split("?", 1)[0]: item for item in self.items}


def load_site(directory: Path = DEMO_DIR) -> DemoSite:
    """Read ``site.toml``; every page file must exist."""
    try:
        spec = tomllib.loads((directory / "site.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the demo site in {directory}: {exc}") from exc
    feeds = {f["slug"]: DemoFeed(f["slug"], f["title"], f["outlet"], f["format"], f["language"]) for f in spec["feed"]}
    site = DemoSite(feeds)
    pages: dict[str, DemoItem] = {}
    for page in spec["page"]:
        file = directory / "pages" / f"{page['slug']}.html"
        if not file.is_file():
            raise ConfigError(f"demo page missing: {file}")
        item = DemoItem(
            f"/{page['feed']}/{page['slug']}.html",
            page["title"],
            datetime.fromisoformat(page["published"]),
            file,
            page["feed"],
            page["origin"],
        )
        pages[page["slug"]] = item
        site.items.append(item)
    for copy in spec.get("copy", []):
        site.items.append(_copy_item(pages[copy["of"]], copy))
    return site


def _copy_item(original: DemoItem, copy: dict[str, Any]) -> DemoItem:
    if copy["kind"] == "syndicated":
        slug = Path(original.path).name
        return DemoItem(
            f"/{copy['feed']}/{slug}", original.title, original.published + timedelta(hours=1), original.file,
            copy["feed"], original.origin,
        )  # fmt: skip
    if copy["kind"] == "tracking":
        path = f"{original.path}?utm_source={copy['feed']}&utm_medium=rss"
        return DemoItem(path, original.title, original.published, original.file, copy["feed"], original.origin)
    if copy["kind"] == "agency_variant":
        return DemoItem(
            f"/{copy['feed']}/{copy['slug']}.html", copy["title"], original.published + timedelta(hours=2),
            original.file, copy["feed"], original.origin, "agency_variant", copy["dateline"],
        )  # fmt: skip
    raise ConfigError(f"unknown demo copy kind: {copy['kind']!r}")


#: Appended to an ``agency_variant`` copy: the republishing site's own boilerplate (written for the demo).
AGENCY_VARIANT_BOILERPLATE = (
    "This story was provided by a news agency and edited by our world desk.",
    "Sign up for our Diplomatic Wire briefing and get the day's top world stories in your inbox every "
    "morning. It is free, and you can unsubscribe at any time.",
)


def page_bytes(item: DemoItem, origin: str) -> bytes:
    """The page served for ``item``: its file, or the rewritten page of an ``agency_variant`` copy."""
    raw = item.file.read_bytes()
    if item.variant != "agency_variant":
        return raw
    return agency_variant_html(raw.decode("utf-8"), item.title, item.dateline, origin + item.path).encode("utf-8")


def agency_variant_html(html: str, title: str, dateline: str, url: str) -> str:
    """The page as another outlet republishes agency copy: near the original, not the same.

    A changed headline (``<title>``, ``<h1>``, ``og:title``), an agency dateline before the first
    paragraph, the site's boilerplate after the last one, the copy's own URL as canonical and
    ``og:url``, and no JSON-LD (which would describe the original).
    """
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        script.drop_tree()
    for node in tree.xpath("//title | //h1"):
        node.clear()
        node.text = title
    for meta in tree.xpath('//meta[@property="og:title" or @name="twitter:title"]'):
        meta.set("content", title)
    for link in tree.xpath('//link[@rel="canonical"]'):
        link.set("href", url)
    for meta in tree.xpath('//meta[@property="og:url"]'):
        meta.set("content", url)
    paragraphs = [p for p in tree.xpath("//p") if len(p.text_content().split()) >= 12]
    if not paragraphs:
        raise ConfigError(f"an agency variant needs a page with paragraphs: {url}")
    paragraphs[0].text = dateline + (paragraphs[0].text or "")
    for text in reversed(AGENCY_VARIANT_BOILERPLATE):
        added = lxml_html.Element("p")
        added.text = text
        paragraphs[-1].addnext(added)
    return str(lxml_html.tostring(tree.getroottree(), encoding="unicode", doctype="<!DOCTYPE html>"))


def render_feed(site: DemoSite, feed: DemoFeed, origin: str) -> bytes:
    """The feed document (RSS 2.0 or Atom 1.0) listing the feed's items, newest first."""
    items = site.items_of(feed.slug)
    if feed.format == "atom":
        return _render_atom(feed, items, origin)
    return _render_rss(feed, items, origin)


def _render_rss(feed: DemoFeed, items: list[DemoItem], origin: str) -> bytes:
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    for tag, text in (("title", feed.title), ("link", f"{origin}/{feed.slug}/"), ("language", feed.language)):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, "description").text = f"{feed.title} (Communiqué offline demo)"
    for item in items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item.title
        ET.SubElement(node, "link").text = origin + item.path
        ET.SubElement(node, "guid", isPermaLink="true").text = origin + item.path
        ET.SubElement(node, "pubDate").text = format_datetime(item.published)
    return bytes(ET.tostring(rss, encoding="utf-8", xml_declaration=True))


def _render_atom(feed: DemoFeed, items: list[DemoItem], origin: str) -> bytes:
    ET.register_namespace("", _ATOM)
    root = ET.Element(f"{{{_ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": feed.language})
    ET.SubElement(root, f"{{{_ATOM}}}title").text = feed.title
    ET.SubElement(root, f"{{{_ATOM}}}id").text = f"{origin}{feed.path}"
    ET.SubElement(root, f"{{{_ATOM}}}link", href=f"{origin}/{feed.slug}/")
    updated = max((i.published for i in items), default=datetime.fromisoformat("2000-01-01T00:00:00+00:00"))
    ET.SubElement(root, f"{{{_ATOM}}}updated").text = updated.isoformat()
    for item in items:
        entry = ET.SubElement(root, f"{{{_ATOM}}}entry")
        ET.SubElement(entry, f"{{{_ATOM}}}title").text = item.title
        ET.SubElement(entry, f"{{{_ATOM}}}id").text = origin + item.path
        ET.SubElement(entry, f"{{{_ATOM}}}link", href=origin + item.path)
        ET.SubElement(entry, f"{{{_ATOM}}}published").text = item.published.isoformat()
        ET.SubElement(entry, f"{{{_ATOM}}}updated").text = item.published.isoformat()
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def feed_list_toml(site: DemoSite, origin: str) -> str:
    """The feed registry (``feeds.toml`` format) for the demo feeds served at ``origin``."""
    lines = ["# Generated by communique.local.demo_site: the feeds of the offline demo site.", ""]
    for feed in site.feeds.values():
        lines += [
            "[[feed]]",
            f"url = {json.dumps(origin + feed.path)}",
            f"outlet = {json.dumps(feed.outlet)}",
            f"name = {json.dumps(feed.title, ensure_ascii=False)}",
            f"language = {json.dumps(feed.language)}",
            "poll_interval_minutes = 15",
            "enabled = true",
            "",
        ]
    return "\n".join(lines)


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        site, origin = self.server.site, self.server.origin
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", None)
            return
        feed = next((f for f in site.feeds.values() if f.path == path), None)
        if feed:
            items = site.items_of(feed.slug)
            modified = max((i.published for i in items), default=None)
            kind = "application/atom+xml" if feed.format == "atom" else "application/rss+xml"
            self._send(200, render_feed(site, feed, origin), f"{kind}; charset=utf-8", modified)
            return
        item = site.page_items().get(path)
        if item is None:
            self._send(404, b"not found\n", "text/plain; charset=utf-8", None)
            return
        self._send(200, page_bytes(item, origin), "text/html; charset=utf-8", None)

    def _send(self, status: int, body: bytes, content_type: str, modified: datetime | None) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if status == 200 and self._not_modified(etag, modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        if modified:
            self.send_header("Last-Modified", format_datetime(modified.astimezone(UTC), usegmt=True))
        self.end_headers()
        self.wfile.write(body)

    def _not_modified(self, etag: str, modified: datetime | None) -> bool:
        if self.headers.get("If-None-Match"):
            return etag in [t.strip() for t in self.headers["If-None-Match"].split(",")]
        since = self.headers.get("If-Modified-Since")
        if since and modified:
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format: str, *args: Any) -> None:
        LOGGER.debug("demo site: " + format, *args)


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite
    origin: str


class DemoServer:
    """The demo site on ``127.0.0.1:port`` in a background thread (port 0 picks a free one)."""

    def __init__(self, site: DemoSite, port: int) -> None:
        self._httpd = _DemoHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.site = site
        self._httpd.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-site", daemon=True)

    @property
    def origin(self) -> str:
        return self._httpd.origin

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
