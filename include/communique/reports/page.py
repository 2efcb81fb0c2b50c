"""The brief as one HTML page: the data's tables and figures, the chart specs and their script inlined.

Everything from the news (names, sentences, headlines, URLs) is escaped by the template
(Jinja's autoescape); the chart specs go in a JSON script element with every ``<`` escaped,
so no text of an article can close it or inject markup.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from communique import __version__
from communique.reports.brief_data import QUAD_NAMES, BriefData

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<`` can start a closing tag)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def render_page(data: BriefData, specs: dict[str, dict[str, Any]], script: str, vegalite_version: str) -> str:
    """The complete page of one day's brief."""
    template = _environment().get_template("brief.html.j2")
    days = len(data.days)
    return template.render(
        version=__version__,
        day=data.day,
        first_day=data.first_day,
        day_long=_long(data.day),
        day_short=_short(data.day),
        first_short=_short(data.first_day),
        totals=data.totals,
        window_days=days,
        window_events=data.window_events,
        daily_mean=data.window_events / days,
        dyad_count=len(data.dyads),
        places=len(data.places),
        top=data.top,
        quad_names=QUAD_NAMES,
        # Both are script text, not HTML: the specs are escaped by script_json, the bundle is the library's own.
        specs=Markup(script_json(specs)),  # noqa: S704
        script=Markup(script),  # noqa: S704
        vegalite_version=vegalite_version,
    )
