"""Put articles and events into a test warehouse through the real stores and loader."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from communique.dedup.fingerprints import text_fingerprint
from communique.models import Actor, Article, Event, Evidence, Interval, Location
from communique.warehouse import article_store, database, loading, raw_store

HOUR = timedelta(hours=1)


def land_article(dsn: str, slug: str, outlet: str, landed: datetime, text: str) -> str:
    """One article through the raw store, cleaning and exact-duplicate clustering; returns its id."""
    page = raw_store.RawArticle(
        url=f"https://{outlet}/{slug}", final_url=f"https://{outlet}/{slug}", html=f"<p>{text}</p>",
        source="file", outlet=outlet, fetched_at=landed, landed_at=landed,
    )  # fmt: skip
    article = Article(url=page.url, canonical_url=page.canonical_url, title=slug, text=text, published_at=landed)
    row = article_store.CleanedRow(page.article_id, outlet, landed, article, text_fingerprint(text))
    with database.connect(dsn) as conn:
        raw_store.land(conn, [page])
        article_store.upsert(conn, [row])
        hour = landed.replace(minute=0, second=0, microsecond=0)
        (candidate,) = [c for c in article_store.dedup_candidates(conn, Interval(hour, hour + HOUR))
                        if c.article_id == page.article_id]  # fmt: skip
        match = article_store.StoredCopies(conn).same_url_or_text(candidate)
        if match:
            article_store.join_cluster(conn, candidate.article_id, match[0], match[1], 1.0)
        else:
            article_store.found_cluster(conn, candidate)
    return page.article_id


def load_events(dsn: str, interval: Interval, extracted: dict[str, list[Event]]) -> dict[str, int]:
    """Stage and load one interval's events (article id -> events) like the pipeline does."""
    with database.connect(dsn) as conn:
        rows = [loading.mention_row(e, aid, aid) for aid, events in extracted.items() for e in events]
        loading.stage_events(conn, interval, rows)
    with database.connect(dsn) as conn:
        return loading.load_interval(conn, interval).counts


_CODES = {  # code -> (event type, root, quad class, PLOVER, mode, Goldstein)
    "040": ("meeting", "04", 1, "CONSULT", None, 1.0),
    "041": ("phone_call", "04", 1, "CONSULT", "phone", 1.0),
    "042": ("meeting", "04", 1, "CONSULT", "visit", 1.9),
    "043": ("meeting", "04", 1, "CONSULT", "host", 2.8),
    "051": ("praise", "05", 1, "SUPPORT", None, 3.4),
    "057": ("agreement", "05", 1, "AGREE", None, 8.0),
    "111": ("criticism", "11", 3, "ACCUSE", None, -2.0),
    "163": ("sanction", "16", 4, "SANCTION", None, -8.0),
}


def event(
    code: str,
    source: Actor,
    target: Actor,
    day: date,
    *,
    place: tuple[str, str] | None = None,
    topics: tuple[str, ...] = (),
) -> Event:
    """An event as the extractor would emit it."""
    kind, root, quad, plover, mode, goldstein = _CODES[code]
    sentence = f"{source.text} and {target.text} ({kind})."
    return Event(
        doc_id="", event_type=kind, cameo_code=code, cameo_root=root, quad_class=quad, plover_type=plover,
        plover_mode=mode, goldstein=goldstein, source=source, target=target, event_date=day,
        date_precision="day", evidence=Evidence(sentence, 0, len(sentence)), confidence=0.8,
        extractor_version="test", location=Location(f"in {place[0]}", place[0], place[1]) if place else None,
        topics=list(topics),
    )  # fmt: skip


def person(name: str, title: str, country: str) -> Actor:
    return Actor(f"{title} {name}", name, title, country, "GOV", f"{country}GOV")


def state(name: str, country: str) -> Actor:
    return Actor(name, name, None, country, "GOV", f"{country}GOV")


BIDEN = person("Joe Biden", "President", "USA")
BLINKEN = person("Antony Blinken", "Secretary of State", "USA")
XI = person("Xi Jinping", "President", "CHN")
WANG = person("Wang Yi", "Foreign Minister", "CHN")
RUTO = person("William Ruto", "President", "KEN")
ABIY = person("Abiy Ahmed", "Prime Minister", "ETH")
EU = Actor("the European Union", "European Union", None, None, "IGO", "IGOEEU")
ETHIOPIA = state("Ethiopia", "ETH")
USA, CHN, RUS, GBR, FRA, DEU, BRA = (
    state(n, c)
    for n, c in [("United States", "USA"), ("China", "CHN"), ("Russia", "RUS"), ("United Kingdom", "GBR"),
                 ("France", "FRA"), ("Germany", "DEU"), ("Brazil", "BRA")]
)  # fmt: skip

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def build_sample(dsn: str) -> None:
    """A small, hand-checkable warehouse: March 2025, four outlets, one syndicated copy."""
    for interval, extracted in land_sample(dsn).items():
        load_events(dsn, interval, extracted)


def land_sample(dsn: str) -> dict[Interval, dict[str, list[Event]]]:
    """Land the articles of :func:`build_sample`; returns the events to load, by interval and article."""
    m = date(2025, 3, 1)
    summit = "The summit in Beijing, where Biden and Xi held talks on trade, ended on Monday."
    stories = [  # (slug, outlet, landed offset in hours, text, events)
        ("beijing-summit", "wire.example", 0, summit, [
            event("043", XI, BIDEN, m.replace(day=3), place=("Beijing", "CHN"), topics=("trade",)),
            event("042", BIDEN, XI, m.replace(day=3), place=("Beijing", "CHN"), topics=("trade",)),
        ]),
        ("beijing-summit-copy", "daily.example", 0, summit, []),  # exact copy: joins the story above
        ("ruto-abiy", "nation.example", 1, "Ruto hosted Abiy in Nairobi and praised Ethiopia.", [
            event("043", RUTO, ABIY, m.replace(day=5), place=("Nairobi", "KEN")),
            event("051", RUTO, ETHIOPIA, m.replace(day=5)),
        ]),
        ("russia-sanctions", "wire.example", 1, "Washington, London and Brussels imposed sanctions on Russia.", [
            event("163", USA, RUS, m.replace(day=6)),
            event("163", GBR, RUS, m.replace(day=6)),
            event("163", EU, RUS, m.replace(day=7)),
        ]),
        ("blinken-wang-call", "globe.example", 2, "Blinken spoke by phone with Wang Yi.", [
            event("041", BLINKEN, WANG, m.replace(day=10)),
            event("041", WANG, BLINKEN, m.replace(day=10)),
        ]),
        ("tariff-criticism", "daily.example", 2, "France, Germany and Brazil criticised the US tariffs.", [
            event("111", FRA, USA, m.replace(day=12)),
            event("111", DEU, USA, m.replace(day=12)),
            event("111", BRA, USA, m.replace(day=13)),
            event("111", USA, CHN, m.replace(day=13)),
        ]),
        ("trade-deal", "globe.example", 3, "The United States and China signed a trade deal.", [
            event("057", USA, CHN, m.replace(day=20), topics=("trade",)),
            event("057", CHN, USA, m.replace(day=20), topics=("trade",)),
        ]),
    ]  # fmt: skip
    by_interval: dict[Interval, dict[str, list[Event]]] = {}
    for slug, outlet, offset, text, events in stories:
        landed = T0 + timedelta(hours=offset, minutes=len(slug))
        article = land_article(dsn, slug, outlet, landed, text)
        hour = landed.replace(minute=0)
        by_interval.setdefault(Interval(hour, hour + HOUR), {})[article] = [replace(e) for e in events]
    return by_interval
