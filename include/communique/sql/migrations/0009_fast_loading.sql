-- 0009: a loader that keeps its speed as the warehouse grows.
-- * A fact id starts with the hash of its group (event type, coded parties, day), so the
--   facts of a group are one range of the primary key: the two group indexes go.
-- * Each fact lists the stories that state it (story_ids), and the articles and outlets
--   that report it: the loader and v_event_article reach a fact's mentions and articles
--   through them, so mentions need no fact_id index, and a daily dyad row is rebuilt from
--   its facts alone.
-- * One index on the ordered pair of parties (country, or CAMEO code of an organisation)
--   and day finds the facts of a daily dyad exactly.
-- * Staging carries each text's own fact id (computed by the extractor) and no index: it
--   holds a few intervals at most and is read by whole batches.

-- Fact ids ---------------------------------------------------------------------------------
CREATE FUNCTION communique_group_key(event_type text, source_cameo text, target_cameo text, event_date date)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(encode(sha256(convert_to(concat_ws('|', event_type, source_cameo, target_cameo,
                                                   to_char(event_date, 'YYYY-MM-DD')), 'UTF8')), 'hex'), 24)
$$;
COMMENT ON FUNCTION communique_group_key(text, text, text, date) IS 'First 24 hex digits of every fact id of a group (same event type, coded parties and day); communique.loading.group_key computes the same.';

CREATE FUNCTION communique_fact_id(group_key text, location_country text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT group_key || left(encode(sha256(convert_to(coalesce(location_country, ''), 'UTF8')), 'hex'), 8)
$$;
COMMENT ON FUNCTION communique_fact_id(text, text) IS 'Fact id: the group key followed by 8 hex digits of the hash of the place country ('''' when none).';

CREATE OR REPLACE FUNCTION communique_fact_id(event_type text, source_cameo text, target_cameo text, event_date date,
                                              location_country text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT communique_fact_id(communique_group_key(event_type, source_cameo, target_cameo, event_date),
                              location_country)
$$;
COMMENT ON FUNCTION communique_fact_id(text, text, text, date, text) IS 'Deterministic event id of a fact: its group key (event type, source and target actor codes, day) and the hash of its place country.';
COMMENT ON COLUMN fct_diplomatic_event.event_id IS 'Deterministic id of the event (communique_fact_id): 24 hex digits of its group (event type, source and target actor codes, day), then 8 of its place country.';

-- Stories, articles and outlets on the facts ----------------------------------------------------
ALTER TABLE fct_diplomatic_event ADD COLUMN story_ids text[], ADD COLUMN article_ids text[],
                                 ADD COLUMN outlets text[];
-- Sorted byte-wise (COLLATE "C"), as the loader sorts them, whatever the database's locale.
COMMENT ON COLUMN fct_diplomatic_event.story_ids IS 'Stories (story_cluster ids, which are the ids of their extracted articles) whose text states the event, sorted.';
COMMENT ON COLUMN fct_diplomatic_event.article_ids IS 'Every article that reports the event (the stories and their copies), sorted: num_articles of them (v_event_article lists them).';
COMMENT ON COLUMN fct_diplomatic_event.outlets IS 'The distinct outlets of those articles, sorted: num_sources of them.';
UPDATE fct_diplomatic_event AS f
   SET story_ids = r.story_ids, article_ids = r.article_ids, outlets = r.outlets
  FROM (SELECT m.fact_id, array_agg(DISTINCT m.article_id COLLATE "C" ORDER BY m.article_id COLLATE "C") AS story_ids,
               array_agg(DISTINCT a.article_id COLLATE "C" ORDER BY a.article_id COLLATE "C") AS article_ids,
               coalesce(array_agg(DISTINCT a.outlet COLLATE "C" ORDER BY a.outlet COLLATE "C")
                        FILTER (WHERE a.outlet IS NOT NULL), '{}') AS outlets
          FROM fct_event_mention AS m JOIN article AS a ON a.cluster_id = m.article_id
         GROUP BY m.fact_id) AS r
 WHERE r.fact_id = f.event_id;

-- Re-key existing facts and mentions: a fact's place is the country in its id.
CREATE TEMP TABLE _rekey ON COMMIT DROP AS
SELECT event_id AS old_id, event_date,
       communique_fact_id(event_type, source_cameo, target_cameo, event_date, location_country) AS new_id
  FROM fct_diplomatic_event;
UPDATE fct_event_mention AS m SET fact_id = r.new_id FROM _rekey AS r WHERE m.fact_id = r.old_id;
UPDATE fct_diplomatic_event AS f SET event_id = r.new_id
  FROM _rekey AS r WHERE f.event_id = r.old_id AND f.event_date = r.event_date AND r.new_id <> r.old_id;
ALTER TABLE fct_diplomatic_event ALTER COLUMN story_ids SET NOT NULL, ALTER COLUMN article_ids SET NOT NULL,
                                 ALTER COLUMN outlets SET NOT NULL;

-- Indexes the loader no longer needs -----------------------------------------------------------
DROP INDEX fct_event_mention_fact_id_idx;
DROP INDEX fct_event_mention_group_idx;
DROP INDEX fct_diplomatic_event_group_idx;
DROP INDEX fct_diplomatic_event_organisation_party_idx;
DROP INDEX fct_diplomatic_event_dyad_idx;
DROP INDEX stg_event_batch_idx;
-- Facts by ordered pair of parties (country, or CAMEO code of an organisation) and day: the
-- loader's way to the facts of a daily dyad, and any query on a pair of countries through
-- these expressions; the target index serves questions about one country.
CREATE INDEX fct_diplomatic_event_party_idx ON fct_diplomatic_event
    ((coalesce(source_country::text, source_cameo)), (coalesce(target_country::text, target_cameo)), event_date);

-- Country names by party key (text): v_dyad_daily joins dim_country on iso3::text, which the
-- primary key (char(3)) cannot serve; a prepared dyad query (generic plan) scanned the table
-- once per row without this.
CREATE UNIQUE INDEX dim_country_iso3_text_idx ON dim_country ((iso3::text));

-- Staging: the text's own fact id ----------------------------------------------------------------
ALTER TABLE stg_event ADD COLUMN fact_id text;
UPDATE stg_event SET fact_id = communique_fact_id(event_type, source_cameo, target_cameo, event_date, location_country);
ALTER TABLE stg_event ALTER COLUMN fact_id SET NOT NULL;
COMMENT ON COLUMN stg_event.fact_id IS 'The fact this text states on its own: its group key and its own place country. The load points a report without a place at its group''s most reported place.';
COMMENT ON TABLE stg_event IS 'Staging: events extracted by one processing interval, one row per (article, event), before they are merged into fct_event_mention and fct_diplomatic_event. Emptied by the load.';

-- Views that reach articles through the facts' article lists ---------------------------------------
CREATE OR REPLACE VIEW v_event_article AS
SELECT f.event_id,
       f.event_date,
       a.article_id,
       a.url,
       a.outlet,
       a.title,
       a.published_at,
       a.cluster_id AS story_cluster_id,
       a.article_id = ANY (f.story_ids) AS extracted
FROM fct_diplomatic_event AS f
CROSS JOIN LATERAL unnest(f.article_ids) AS r (article_id)
JOIN article AS a ON a.article_id = r.article_id;

CREATE OR REPLACE VIEW v_events AS
SELECT e.event_id,
       e.event_date,
       e.date_precision,
       e.event_type,
       e.cameo_code,
       e.cameo_root,
       e.quad_class,
       e.plover_type,
       e.plover_mode,
       e.goldstein,
       e.source_name,
       e.source_title,
       e.source_country,
       sc.name AS source_country_name,
       e.source_role,
       e.source_cameo,
       e.source_text,
       e.target_name,
       e.target_title,
       e.target_country,
       tc.name AS target_country_name,
       e.target_role,
       e.target_cameo,
       e.target_text,
       e.participants,
       e.location_text,
       e.location_name,
       e.location_country,
       lc.name AS location_country_name,
       e.location_lat,
       e.location_lon,
       e.topics,
       e.evidence_sentence,
       e.evidence_start,
       e.evidence_end,
       e.article_id,
       a.url AS article_url,
       a.outlet AS article_outlet,
       a.title AS article_title,
       a.published_at AS article_published_at,
       e.cluster_id AS story_cluster_id,
       (SELECT array_agg(r.url ORDER BY r.published_at NULLS LAST, r.article_id)
          FROM article AS r
         WHERE r.article_id = ANY (e.article_ids)) AS article_urls,
       e.num_mentions,
       e.num_articles,
       e.num_sources,
       e.first_published_at,
       e.confidence,
       e.extractor_version
FROM fct_diplomatic_event AS e
JOIN article AS a ON a.article_id = e.article_id
LEFT JOIN dim_country AS sc ON sc.iso3 = e.source_country
LEFT JOIN dim_country AS tc ON tc.iso3 = e.target_country
LEFT JOIN dim_country AS lc ON lc.iso3 = e.location_country;

