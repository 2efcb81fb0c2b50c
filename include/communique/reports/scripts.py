"""The JavaScript that draws the charts, inlined into every page so that a brief opens with no network.

``vl-convert`` bundles Vega, Vega-Lite (the version Altair writes its specs for) and Vega-Embed
into one script. Bundling takes seconds, so the result is kept for the process and, when a
cache folder is given, on disk under a name that carries both libraries' versions.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from communique.errors import ReportError
from communique.reports.files import write_text

LOGGER = logging.getLogger(__name__)


def vegalite_version() -> str:
    """Major.minor of the Vega-Lite schema Altair writes (``6.4``)."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def chart_script(cache_dir: Path | None = None) -> str:
    """The Vega-Embed bundle (defines ``window.vegaEmbed``), from the disk cache when there is one."""
    name = f"vega-embed-vl{vegalite_version()}-vlconvert{_vl_convert_version()}.js"
    cached = cache_dir / name if cache_dir else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    script = _bundle(vegalite_version())
    if cached:
        try:
            write_text(cached, script)
        except ReportError as exc:  # a cache that cannot be written only costs time
            LOGGER.warning("cannot cache the chart script: %s", exc)
    return script


def _vl_convert_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


@cache
def _bundle(vl_version: str) -> str:
    import vl_convert

    LOGGER.info("bundling Vega-Embed with Vega-Lite %s (vl-convert %s)", vl_version, _vl_convert_version())
    # The snippet is optional (its default puts vegaEmbed, vega and vegaLite on window); the stub says otherwise.
    script = vl_convert.javascript_bundle(vl_version=vl_version)  # type: ignore[call-arg]
    # Inlined in a <script> element: a closing tag inside would end it early.
    return script.replace("</script", "<\\/script")
