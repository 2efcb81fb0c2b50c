"""Open a local page in Debian's headless Chromium (driven by Playwright) with the network cut off.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium`` (the Debian
package; ``.ci/run`` installs it where missing) in a fresh, empty profile. Every request that
is not for a ``file:`` URL is aborted and recorded, so a page that needs the network fails to
draw and the test sees which URL it wanted.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Data marks of every chart (Vega's SVG renderer: axes, legends and titles are other roles).
CHART_MARKS = """() => Object.fromEntries([...document.querySelectorAll('.vega-chart')].map(chart => [chart.id, {
    rendered: chart.dataset.rendered || null,
    svg: chart.querySelectorAll('svg.marks').length,
    marks: Object.fromEntries([...chart.querySelectorAll('g.role-mark')].map(group => [
        [...group.classList].find(c => c.startsWith('mark-')),
        group.querySelectorAll(':scope > path, :scope > g > path').length,
    ]).reduce((counts, [kind, n]) => (counts.set(kind, (counts.get(kind) || 0) + n), counts), new Map())),
}]))"""


@dataclass
class PageVisit:
    """What happened while a page loaded: its console, its errors, the requests it tried, its charts."""

    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    charts: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.page_errors


def require_chromium() -> Path:
    """The browser, or a failure that says how to install it (never a skip)."""
    assert CHROMIUM.exists() or shutil.which("chromium"), (
        "the browser test needs Debian's chromium: apt-get install -y chromium (.ci/run installs it)"
    )
    return CHROMIUM if CHROMIUM.exists() else Path(str(shutil.which("chromium")))


def visit(page_file: Path, screenshot: Path | None = None, *, wait_for_charts: bool = True) -> PageVisit:
    """Load ``page_file`` offline, wait until every chart has drawn (or failed), and screenshot the whole page."""
    from playwright.sync_api import sync_playwright

    seen = PageVisit()
    profile = Path(tempfile.mkdtemp(prefix="communique-chromium-"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=str(require_chromium()), headless=True, args=FLAGS,
                viewport={"width": 1280, "height": 900}, offline=True,
            )  # fmt: skip
            try:
                browser.route("**/*", lambda route: _file_only(route, seen))
                page = browser.new_page()
                page.on("console", lambda message: seen.console.append((message.type, message.text)))
                page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
                page.goto(page_file.resolve().as_uri(), wait_until="load")
                if wait_for_charts:
                    page.wait_for_function(
                        "[...document.querySelectorAll('.vega-chart')].every(c => c.dataset.rendered)",
                        timeout=60_000,
                    )
                seen.charts = page.evaluate(CHART_MARKS)
                if screenshot is not None:
                    screenshot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshot), full_page=True)
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return seen


def _file_only(route: object, seen: PageVisit) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    if url.startswith("file:"):
        route.continue_()  # type: ignore[attr-defined]
    else:
        seen.blocked.append(url)
        route.abort()  # type: ignore[attr-defined]
