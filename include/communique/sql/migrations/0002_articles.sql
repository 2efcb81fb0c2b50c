-- 0002: cleaned articles and the story clusters that tie syndicated copies together.

CREATE TABLE story_cluster (
    cluster_id                text PRIMARY KEY,
    representative_article_id text NOT NULL,
    first_landed_at           timestamptz NOT NULL
);
COMMENT ON TABLE story_cluster IS 'One row per story: a set of articles that are copies of one text (exact or near-duplicate). Events are extracted once per story, from its representative.';
COMMENT ON COLUMN story_cluster.cluster_id IS 'Id of the story: the article_id of the article that founded it.';
COMMENT ON COLUMN story_cluster.representative_article_id IS 'The first copy, whose text is extracted for the whole story.';
COMMENT ON COLUMN story_cluster.first_landed_at IS 'landed_at of the representative.';

CREATE TABLE article (
    article_id       text PRIMARY KEY REFERENCES raw_article (article_id) ON DELETE CASCADE,
    canonical_url    text NOT NULL,
    url              text NOT NULL,
    outlet           text NOT NULL,
    title            text NOT NULL DEFAULT '',
    body             text NOT NULL DEFAULT '',
    body_sha256      text,
    word_count       integer NOT NULL DEFAULT 0,
    published_at     timestamptz,
    published_source text,
    modified_at      timestamptz,
    authors          text[] NOT NULL DEFAULT '{}',
    language         text,
    site_name        text,
    quality          text NOT NULL DEFAULT 'ok',
    status           text NOT NULL CHECK (status IN ('ok', 'skipped')),
    skip_reason      text,
    landed_at        timestamptz NOT NULL,
    cluster_id       text REFERENCES story_cluster (cluster_id) DEFERRABLE INITIALLY DEFERRED,
    duplicate_kind   text CHECK (duplicate_kind IN ('canonical', 'exact', 'near')),
    similarity       real,
    CHECK (status = 'ok' OR skip_reason IS NOT NULL)
);
CREATE INDEX article_landed_at_idx ON article (landed_at);
CREATE INDEX article_body_sha256_idx ON article (body_sha256);
CREATE INDEX article_canonical_url_idx ON article (canonical_url);
CREATE INDEX article_cluster_id_idx ON article (cluster_id);
ALTER TABLE story_cluster
    ADD CONSTRAINT story_cluster_representative_fk FOREIGN KEY (representative_article_id)
    REFERENCES article (article_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
COMMENT ON TABLE article IS 'One row per raw article: its cleaned text and metadata, or why it was skipped. Rebuilt by every run over its interval.';
COMMENT ON COLUMN article.article_id IS 'The raw article (raw_article.article_id).';
COMMENT ON COLUMN article.canonical_url IS 'Canonical URL after cleaning (the page''s rel=canonical when it declares a sane one).';
COMMENT ON COLUMN article.url IS 'URL the page was fetched from.';
COMMENT ON COLUMN article.outlet IS 'Outlet that published the page.';
COMMENT ON COLUMN article.title IS 'Headline.';
COMMENT ON COLUMN article.body IS 'Cleaned main text, paragraphs separated by newlines; evidence offsets point into it.';
COMMENT ON COLUMN article.body_sha256 IS 'Hash of the normalised body text, for exact-duplicate detection.';
COMMENT ON COLUMN article.word_count IS 'Words in body.';
COMMENT ON COLUMN article.published_at IS 'Publication time from the best source available.';
COMMENT ON COLUMN article.published_source IS 'Which source gave published_at: feed, json-ld, meta, time, url or fetch.';
COMMENT ON COLUMN article.modified_at IS 'Last modification time the page declares.';
COMMENT ON COLUMN article.authors IS 'Authors the page or feed names.';
COMMENT ON COLUMN article.language IS 'Detected language of the body (ISO 639-1).';
COMMENT ON COLUMN article.site_name IS 'Site name the page declares (og:site_name).';
COMMENT ON COLUMN article.quality IS 'ok, or why the text is not a whole article: teaser, paywall, script_only, empty.';
COMMENT ON COLUMN article.status IS 'ok: used for extraction; skipped: kept but not extracted (see skip_reason).';
COMMENT ON COLUMN article.skip_reason IS 'Why a skipped article is skipped (non_english, teaser, paywall, empty, duplicate ...).';
COMMENT ON COLUMN article.landed_at IS 'raw_article.landed_at: the processing interval the article belongs to.';
COMMENT ON COLUMN article.cluster_id IS 'Story the article belongs to (story_cluster.cluster_id).';
COMMENT ON COLUMN article.duplicate_kind IS 'How the article matched its story when it is not the representative: canonical (same canonical URL), exact (same text) or near (similar text).';
COMMENT ON COLUMN article.similarity IS 'Estimated similarity to the story representative for near duplicates (0..1).';
