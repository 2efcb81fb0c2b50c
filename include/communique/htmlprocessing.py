"""HTML to article text and metadata (first version: trafilatura for the body)."""

from __future__ import annotations

import logging

LOGGER = logging.getLogger(__name__)


def main_text(html: str) -> str:
    """The cleaned article body of ``html`` with paragraph breaks kept ('' when none is found)."""
    import trafilatura

    return (
        trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=False) or ""
    )
