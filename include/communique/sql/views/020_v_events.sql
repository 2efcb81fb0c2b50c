-- v_events: one denormalised row per event, for analysts. A party's title shows only when it names a
-- person's office (v_person_title): the facts also hold role nouns such as "sides" or "ministry".
CREATE VIEW v_events AS
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
       CASE WHEN lower(e.source_title) IN (SELECT title FROM v_person_title) THEN e.source_title END AS source_title,
       e.source_country,
       sc.name AS source_country_name,
       e.source_role,
       e.source_cameo,
       e.source_text,
       e.target_name,
       CASE WHEN lower(e.target_title) IN (SELECT title FROM v_person_title) THEN e.target_title END AS target_title,
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
COMMENT ON VIEW v_events IS 'One row per event, denormalised for analysts: actors with country names, location, evidence, the first reporting article and the URLs of all reporting articles.';

DO $$
DECLARE
    col record;
BEGIN
    -- Columns that v_events takes straight from the fact table inherit its comments.
    FOR col IN
        SELECT a.attname, col_description('fct_diplomatic_event'::regclass, a.attnum) AS description
        FROM pg_attribute a
        WHERE a.attrelid = 'fct_diplomatic_event'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND EXISTS (SELECT 1 FROM pg_attribute v
                      WHERE v.attrelid = 'v_events'::regclass AND v.attname = a.attname)
    LOOP
        EXECUTE format('COMMENT ON COLUMN v_events.%I IS %L', col.attname, col.description);
    END LOOP;
END $$;
COMMENT ON COLUMN v_events.source_title IS 'Title of the source actor (president, foreign minister ...) when it names a person''s office (v_person_title); else NULL.';
COMMENT ON COLUMN v_events.target_title IS 'Title of the target actor when it names a person''s office (v_person_title); else NULL.';
COMMENT ON COLUMN v_events.source_country_name IS 'Name of the source actor''s country.';
COMMENT ON COLUMN v_events.target_country_name IS 'Name of the target actor''s country.';
COMMENT ON COLUMN v_events.location_country_name IS 'Name of the country where the event happened.';
COMMENT ON COLUMN v_events.article_url IS 'URL of the earliest article that reports the event.';
COMMENT ON COLUMN v_events.article_outlet IS 'Outlet of that article.';
COMMENT ON COLUMN v_events.article_title IS 'Headline of that article.';
COMMENT ON COLUMN v_events.article_published_at IS 'Publication time of that article.';
COMMENT ON COLUMN v_events.story_cluster_id IS 'Story cluster of that article.';
COMMENT ON COLUMN v_events.article_urls IS 'URLs of every article that reports the event, earliest first.';
