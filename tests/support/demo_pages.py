"""Every page of the offline demo site landed in one hour: a real interval to process end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from communique.local.demo_site import load_site
from communique.models import Interval
from communique.warehouse import database, raw_store

HOUR = Interval(datetime(2026, 5, 4, 9, tzinfo=UTC), datetime(2026, 5, 4, 10, tzinfo=UTC))
TABLES = {
    "articles": """SELECT article_id, canonical_url, title, body, body_sha256, published_at, language, status,
                          skip_reason, cluster_id, duplicate_kind FROM article ORDER BY article_id""",
    "mentions": "SELECT * FROM fct_event_mention ORDER BY event_id, article_id",
    "facts": "SELECT * FROM fct_diplomatic_event ORDER BY event_id",
    "dyads": "SELECT * FROM agg_dyad_daily ORDER BY 1, 2, 3",
}


def land_demo_pages(dsn: str, interval: Interval = HOUR) -> int:
    """Every page of the offline demo site (copies and a non-English page included), in ``interval``'s first hour."""
    items = [i for i in load_site().items if i.file.suffix == ".html"]
    with database.connect(dsn) as conn:
        for n, item in enumerate(items):
            url = f"https://{item.feed}.example{item.path}"
            landed = interval.start + timedelta(minutes=n)
            raw_store.land(conn, [raw_store.RawArticle(
                url=url, final_url=url, html=item.file.read_text(encoding="utf-8"), source="file",
                outlet=f"{item.feed}.example", fetched_at=landed, landed_at=landed,
            )])  # fmt: skip
    return len(items)


def snapshot(dsn: str) -> dict[str, list[tuple[object, ...]]]:
    """The articles, mentions, facts and daily dyads, in a stable order."""
    with database.connect(dsn) as conn:
        return {name: conn.execute(query).fetchall() for name, query in TABLES.items()}
