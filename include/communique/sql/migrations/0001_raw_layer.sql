-- 0001: the raw layer. What the feeds said and what the pages were, kept as fetched, so that
-- every later stage can be re-run from here (backfills) without touching the web again.

CREATE TABLE feed (
    feed_url              text PRIMARY KEY,
    outlet                text NOT NULL,
    name                  text NOT NULL DEFAULT '',
    language              text NOT NULL DEFAULT 'en',
    country               char(3),
    poll_interval_minutes integer NOT NULL DEFAULT 60 CHECK (poll_interval_minutes > 0),
    enabled               boolean NOT NULL DEFAULT true,
    etag                  text,
    last_modified         text,
    body_fingerprint      text,
    entries_fingerprint   text
);
COMMENT ON TABLE feed IS 'One row per polled feed: the registry entry (synced from the feed list file) and its conditional-GET state.';
COMMENT ON COLUMN feed.feed_url IS 'URL of the feed as listed in the registry; the natural key.';
COMMENT ON COLUMN feed.outlet IS 'News outlet that publishes the feed (e.g. bbc.co.uk).';
COMMENT ON COLUMN feed.name IS 'Human-readable feed name from the registry.';
COMMENT ON COLUMN feed.language IS 'Declared language of the feed (BCP 47, e.g. en).';
COMMENT ON COLUMN feed.country IS 'ISO 3166-1 alpha-3 country of the outlet, when known.';
COMMENT ON COLUMN feed.poll_interval_minutes IS 'How often the feed should be polled.';
COMMENT ON COLUMN feed.enabled IS 'False when the registry disables the feed; disabled feeds are not polled.';
COMMENT ON COLUMN feed.etag IS 'ETag of the last 200 response, sent back as If-None-Match.';
COMMENT ON COLUMN feed.last_modified IS 'Last-Modified of the last 200 response, sent back as If-Modified-Since.';
COMMENT ON COLUMN feed.body_fingerprint IS 'Hash of the last body, to spot unchanged feeds on servers that ignore conditional GET.';
COMMENT ON COLUMN feed.entries_fingerprint IS 'Hash of the last parsed entries, to spot feeds whose bytes change but whose items do not.';

CREATE TABLE feed_health (
    feed_url             text PRIMARY KEY REFERENCES feed (feed_url) ON DELETE CASCADE,
    last_polled_at       timestamptz,
    last_status          text,
    last_http_status     integer,
    last_error           text,
    consecutive_failures integer NOT NULL DEFAULT 0,
    last_success_at      timestamptz,
    next_poll_at         timestamptz,
    items_seen           integer NOT NULL DEFAULT 0,
    items_total          bigint NOT NULL DEFAULT 0,
    bytes_last           bigint NOT NULL DEFAULT 0,
    bytes_total          bigint NOT NULL DEFAULT 0,
    moved_to             text
);
COMMENT ON TABLE feed_health IS 'One row per feed: the outcome of its polls, for operators (communique feeds health).';
COMMENT ON COLUMN feed_health.feed_url IS 'The feed (feed.feed_url).';
COMMENT ON COLUMN feed_health.last_polled_at IS 'When the feed was last polled (wall clock of the poll).';
COMMENT ON COLUMN feed_health.last_status IS 'ok, not_modified, unchanged, gone, error or skipped (backing off).';
COMMENT ON COLUMN feed_health.last_http_status IS 'HTTP status of the last poll, if a response arrived.';
COMMENT ON COLUMN feed_health.last_error IS 'Reason of the last failure (NULL after a success).';
COMMENT ON COLUMN feed_health.consecutive_failures IS 'Failures since the last success; drives the back-off.';
COMMENT ON COLUMN feed_health.last_success_at IS 'When the feed last answered usefully (200 or 304).';
COMMENT ON COLUMN feed_health.next_poll_at IS 'Earliest time of the next poll (poll interval or failure back-off).';
COMMENT ON COLUMN feed_health.items_seen IS 'Entries in the last successful parse.';
COMMENT ON COLUMN feed_health.items_total IS 'Entries seen over all polls.';
COMMENT ON COLUMN feed_health.bytes_last IS 'Bytes received by the last poll.';
COMMENT ON COLUMN feed_health.bytes_total IS 'Bytes received over all polls.';
COMMENT ON COLUMN feed_health.moved_to IS 'Where the feed permanently redirects to (301/308): update the registry.';

CREATE TABLE stg_feed_entry (
    feed_url      text NOT NULL REFERENCES feed (feed_url) ON DELETE CASCADE,
    entry_key     text NOT NULL,
    url           text NOT NULL,
    canonical_url text NOT NULL,
    title         text NOT NULL DEFAULT '',
    summary       text NOT NULL DEFAULT '',
    published_at  timestamptz,
    authors       text[] NOT NULL DEFAULT '{}',
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    article_id    text,
    PRIMARY KEY (feed_url, entry_key)
);
CREATE INDEX stg_feed_entry_canonical_url_idx ON stg_feed_entry (canonical_url);
CREATE INDEX stg_feed_entry_unfetched_idx ON stg_feed_entry (first_seen_at) WHERE article_id IS NULL;
COMMENT ON TABLE stg_feed_entry IS 'One row per (feed, entry): every item a feed has listed, upserted on each poll.';
COMMENT ON COLUMN stg_feed_entry.feed_url IS 'Feed that listed the entry.';
COMMENT ON COLUMN stg_feed_entry.entry_key IS 'Stable id of the entry within its feed: guid/id, else the link.';
COMMENT ON COLUMN stg_feed_entry.url IS 'Link of the entry as the feed gave it (absolute).';
COMMENT ON COLUMN stg_feed_entry.canonical_url IS 'Canonical form of url (tracking parameters, fragments, AMP and mobile variants removed).';
COMMENT ON COLUMN stg_feed_entry.title IS 'Entry title as plain text.';
COMMENT ON COLUMN stg_feed_entry.summary IS 'Entry summary as plain text.';
COMMENT ON COLUMN stg_feed_entry.published_at IS 'Publication time the feed states for the entry, if any.';
COMMENT ON COLUMN stg_feed_entry.authors IS 'Authors the feed names for the entry.';
COMMENT ON COLUMN stg_feed_entry.first_seen_at IS 'Poll time when the entry was first seen.';
COMMENT ON COLUMN stg_feed_entry.last_seen_at IS 'Poll time when the entry was last seen.';
COMMENT ON COLUMN stg_feed_entry.article_id IS 'The raw article the entry led to, once fetched (NULL: not fetched yet).';

CREATE TABLE raw_article (
    article_id        text PRIMARY KEY,
    canonical_url     text NOT NULL UNIQUE,
    url               text NOT NULL,
    final_url         text NOT NULL,
    source            text NOT NULL CHECK (source IN ('feed', 'warc', 'sitemap', 'file')),
    feed_url          text REFERENCES feed (feed_url) ON DELETE SET NULL,
    outlet            text NOT NULL,
    http_status       integer,
    content_type      text,
    encoding          text,
    encoding_source   text,
    html_zstd         bytea NOT NULL,
    html_bytes        integer NOT NULL CHECK (html_bytes >= 0),
    feed_title        text,
    feed_published_at timestamptz,
    fetched_at        timestamptz NOT NULL,
    landed_at         timestamptz NOT NULL
);
CREATE INDEX raw_article_landed_at_idx ON raw_article (landed_at);
COMMENT ON TABLE raw_article IS 'One row per canonical URL: the page as fetched (or imported), decoded to UTF-8 and zstd-compressed. The source of every re-run.';
COMMENT ON COLUMN raw_article.article_id IS 'Deterministic id: the first 32 hex digits of sha256(canonical_url).';
COMMENT ON COLUMN raw_article.canonical_url IS 'Canonical URL of the page; the natural key.';
COMMENT ON COLUMN raw_article.url IS 'URL requested (as listed by the feed or the import).';
COMMENT ON COLUMN raw_article.final_url IS 'URL after redirects.';
COMMENT ON COLUMN raw_article.source IS 'How the page arrived: feed (polled), warc or sitemap (history import), file.';
COMMENT ON COLUMN raw_article.feed_url IS 'Feed whose entry led to the page (NULL for imports).';
COMMENT ON COLUMN raw_article.outlet IS 'Outlet of the page (the feed''s outlet, else the host name).';
COMMENT ON COLUMN raw_article.http_status IS 'HTTP status of the fetch (NULL for imports without one).';
COMMENT ON COLUMN raw_article.content_type IS 'Content-Type header of the response.';
COMMENT ON COLUMN raw_article.encoding IS 'Encoding the bytes were decoded from.';
COMMENT ON COLUMN raw_article.encoding_source IS 'Which rule chose the encoding: header, bom, declaration, detected, fallback.';
COMMENT ON COLUMN raw_article.html_zstd IS 'The page as UTF-8 HTML, zstd-compressed.';
COMMENT ON COLUMN raw_article.html_bytes IS 'Size of the UTF-8 HTML before compression.';
COMMENT ON COLUMN raw_article.feed_title IS 'Title the feed entry gave the page.';
COMMENT ON COLUMN raw_article.feed_published_at IS 'Publication time the feed entry gave the page.';
COMMENT ON COLUMN raw_article.fetched_at IS 'When the bytes arrived (for imports: the archive''s capture time).';
COMMENT ON COLUMN raw_article.landed_at IS 'Time that places the page in a processing interval: the fetch time for polled pages, the publication time for history imports. Never changes once set.';

CREATE TABLE fetch_failure (
    canonical_url   text PRIMARY KEY,
    url             text NOT NULL,
    feed_url        text REFERENCES feed (feed_url) ON DELETE CASCADE,
    attempts        integer NOT NULL DEFAULT 1,
    last_attempt_at timestamptz NOT NULL,
    last_status     integer,
    last_error      text NOT NULL,
    gave_up         boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE fetch_failure IS 'One row per article URL whose fetch failed: retried on later runs until attempts run out.';
COMMENT ON COLUMN fetch_failure.canonical_url IS 'Canonical URL of the article that failed.';
COMMENT ON COLUMN fetch_failure.url IS 'URL that was requested.';
COMMENT ON COLUMN fetch_failure.feed_url IS 'Feed whose entry listed the URL.';
COMMENT ON COLUMN fetch_failure.attempts IS 'Failed attempts so far.';
COMMENT ON COLUMN fetch_failure.last_attempt_at IS 'When the last attempt failed.';
COMMENT ON COLUMN fetch_failure.last_status IS 'HTTP status of the last attempt, if a response arrived.';
COMMENT ON COLUMN fetch_failure.last_error IS 'Reason of the last failure.';
COMMENT ON COLUMN fetch_failure.gave_up IS 'True when the URL will not be tried again (gone, blocked, or too many attempts).';
