-- 0007: actor and outlet dimensions, the daily dyad summary, and the analyst views built on them.

-- The event-level merge: mentions point at the fact (event) they report --------------------
CREATE FUNCTION communique_fact_id(event_type text, source_cameo text, target_cameo text, event_date date,
                                   location_country text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(encode(sha256(convert_to(concat_ws('|', event_type, source_cameo, target_cameo,
                                                   event_date::text, coalesce(location_country, '')),
                                         'UTF8')), 'hex'), 32)
$$;
COMMENT ON FUNCTION communique_fact_id(text, text, text, date, text) IS 'Deterministic event id of a fact: hash of event type, source and target actor codes, day and country of location.';

ALTER TABLE fct_event_mention ADD COLUMN fact_id text;
CREATE INDEX fct_event_mention_fact_id_idx ON fct_event_mention (fact_id);
CREATE INDEX fct_event_mention_group_idx ON fct_event_mention (event_type, source_cameo, target_cameo, event_date);
CREATE INDEX fct_diplomatic_event_group_idx
    ON fct_diplomatic_event (event_type, source_cameo, target_cameo, event_date);
COMMENT ON COLUMN fct_event_mention.fact_id IS 'The fact this mention reports (fct_diplomatic_event.event_id): mentions of the same event type, coded parties and day with compatible places share it.';
COMMENT ON COLUMN fct_event_mention.event_id IS 'Id of the event as this text states it: hash of CAMEO code, actor codes, date and place country (what communique extract prints).';
COMMENT ON COLUMN fct_diplomatic_event.event_id IS 'Deterministic id of the event: hash of event type, source and target actor codes, day and country of location (communique_fact_id).';

CREATE OR REPLACE VIEW v_event_article AS
SELECT m.fact_id AS event_id,
       m.event_date,
       a.article_id,
       a.url,
       a.outlet,
       a.title,
       a.published_at,
       a.cluster_id AS story_cluster_id,
       a.article_id = m.article_id AS extracted
FROM (SELECT DISTINCT fact_id, event_date, article_id, cluster_id FROM fct_event_mention) AS m
JOIN article AS a ON a.cluster_id = m.cluster_id;

-- Staging is transient: no WAL for it. Two fact indexes the others cover are dropped to speed loads.
ALTER TABLE stg_event SET UNLOGGED;
DROP INDEX fct_diplomatic_event_date_idx;
DROP INDEX fct_diplomatic_event_type_idx;
-- Mentions come from story representatives, whose article id is the story id: one key serves both.
ALTER TABLE fct_event_mention
    DROP CONSTRAINT fct_event_mention_pkey,
    ADD PRIMARY KEY (article_id, event_id),
    ADD CONSTRAINT fct_event_mention_from_representative CHECK (cluster_id = article_id);
DROP INDEX fct_event_mention_article_id_idx;
DROP INDEX fct_event_mention_cluster_id_idx;
-- Loads check per row what the loader guarantees per set: the data-quality checks after each load
-- verify that every mention and fact points at an article instead.
ALTER TABLE fct_event_mention DROP CONSTRAINT fct_event_mention_article_id_fkey;
ALTER TABLE fct_diplomatic_event DROP CONSTRAINT fct_diplomatic_event_article_fk;

-- Actors -------------------------------------------------------------------------------------
CREATE TABLE dim_actor (
    actor_id text PRIMARY KEY,
    name     text NOT NULL,
    title    text,
    country  char(3),
    role     text,
    cameo    text NOT NULL
);
CREATE INDEX dim_actor_country_idx ON dim_actor (country);
CREATE INDEX dim_actor_name_idx ON dim_actor (lower(name));
COMMENT ON TABLE dim_actor IS 'One row per actor (normalised name and CAMEO code): the people, governments and organisations that appear as sources or targets of events.';
COMMENT ON COLUMN dim_actor.actor_id IS 'Deterministic id: hash of the CAMEO code and the case-folded name.';
COMMENT ON COLUMN dim_actor.name IS 'Normalised name (William Ruto, Kenya, European Union).';
COMMENT ON COLUMN dim_actor.title IS 'Title when a person (President, Foreign Minister), as first seen.';
COMMENT ON COLUMN dim_actor.country IS 'ISO 3166-1 alpha-3 country (NULL for international organisations).';
COMMENT ON COLUMN dim_actor.role IS 'CAMEO role (GOV, MIL, LEG, IGO ...).';
COMMENT ON COLUMN dim_actor.cameo IS 'CAMEO actor code (KENGOV, IGOUNO ...).';

ALTER TABLE fct_event_mention ADD COLUMN source_actor_id text, ADD COLUMN target_actor_id text;
ALTER TABLE stg_event ADD COLUMN source_actor_id text, ADD COLUMN target_actor_id text;
ALTER TABLE fct_diplomatic_event ADD COLUMN source_actor_id text, ADD COLUMN target_actor_id text;
COMMENT ON COLUMN fct_event_mention.source_actor_id IS 'The source actor (dim_actor.actor_id).';
COMMENT ON COLUMN fct_event_mention.target_actor_id IS 'The target actor (dim_actor.actor_id).';
COMMENT ON COLUMN stg_event.source_actor_id IS 'The source actor (dim_actor.actor_id).';
COMMENT ON COLUMN stg_event.target_actor_id IS 'The target actor (dim_actor.actor_id).';
COMMENT ON COLUMN fct_diplomatic_event.source_actor_id IS 'The source actor (dim_actor.actor_id).';
COMMENT ON COLUMN fct_diplomatic_event.target_actor_id IS 'The target actor (dim_actor.actor_id).';

-- Outlets ------------------------------------------------------------------------------------
CREATE TABLE dim_outlet (
    outlet   text PRIMARY KEY,
    name     text,
    country  char(3),
    language text
);
COMMENT ON TABLE dim_outlet IS 'One row per news outlet that published an article in the warehouse.';
COMMENT ON COLUMN dim_outlet.outlet IS 'Outlet key as stored on articles (usually its domain, e.g. bbc.co.uk).';
COMMENT ON COLUMN dim_outlet.name IS 'Human-readable name (from the feed registry or the site name).';
COMMENT ON COLUMN dim_outlet.country IS 'ISO 3166-1 alpha-3 country of the outlet, when known.';
COMMENT ON COLUMN dim_outlet.language IS 'Main language of the outlet''s feed.';

-- The daily dyad summary, kept exact by the loader for every (day, pair) an interval touches.
CREATE TABLE agg_dyad_daily (
    event_date    date NOT NULL,
    source_key    text NOT NULL,
    target_key    text NOT NULL,
    events        integer NOT NULL,
    quad1_events  integer NOT NULL,
    quad2_events  integer NOT NULL,
    quad3_events  integer NOT NULL,
    quad4_events  integer NOT NULL,
    goldstein_sum numeric(12, 1) NOT NULL,
    articles      integer NOT NULL,
    outlets       integer NOT NULL,
    PRIMARY KEY (source_key, target_key, event_date)
);
CREATE INDEX agg_dyad_daily_date_idx ON agg_dyad_daily (event_date);
-- The loader finds the facts of a (day, pair) through the dyad index for country pairs, and
-- through this small partial index where a party is an organisation (no country).
CREATE INDEX fct_diplomatic_event_organisation_party_idx ON fct_diplomatic_event
    ((coalesce(source_country::text, source_cameo)), (coalesce(target_country::text, target_cameo)), event_date)
    WHERE source_country IS NULL OR target_country IS NULL;
COMMENT ON TABLE agg_dyad_daily IS 'One row per (day, ordered pair of parties): event counts by QuadClass, Goldstein sum, distinct reporting articles and outlets. Maintained by the loader; read it through v_dyad_daily.';
COMMENT ON COLUMN agg_dyad_daily.event_date IS 'Day of the events.';
COMMENT ON COLUMN agg_dyad_daily.source_key IS 'Source party: ISO alpha-3 country, or the CAMEO code of an international organisation (IGOUNO).';
COMMENT ON COLUMN agg_dyad_daily.target_key IS 'Target party, same coding as source_key.';
COMMENT ON COLUMN agg_dyad_daily.events IS 'Events of the pair that day.';
COMMENT ON COLUMN agg_dyad_daily.quad1_events IS 'Verbal cooperation events (QuadClass 1).';
COMMENT ON COLUMN agg_dyad_daily.quad2_events IS 'Material cooperation events (QuadClass 2).';
COMMENT ON COLUMN agg_dyad_daily.quad3_events IS 'Verbal conflict events (QuadClass 3).';
COMMENT ON COLUMN agg_dyad_daily.quad4_events IS 'Material conflict events (QuadClass 4).';
COMMENT ON COLUMN agg_dyad_daily.goldstein_sum IS 'Sum of the events'' Goldstein weights.';
COMMENT ON COLUMN agg_dyad_daily.articles IS 'Distinct articles reporting those events (copies included).';
COMMENT ON COLUMN agg_dyad_daily.outlets IS 'Distinct outlets among those articles.';

CREATE VIEW v_dyad_daily AS
SELECT d.event_date,
       d.source_key AS source_country,
       sc.name AS source_country_name,
       d.target_key AS target_country,
       tc.name AS target_country_name,
       d.events,
       d.quad1_events,
       d.quad2_events,
       d.quad3_events,
       d.quad4_events,
       d.goldstein_sum,
       round(d.goldstein_sum / d.events, 2) AS goldstein_mean,
       d.articles,
       d.outlets
FROM agg_dyad_daily AS d
LEFT JOIN dim_country AS sc ON sc.iso3 = d.source_key
LEFT JOIN dim_country AS tc ON tc.iso3 = d.target_key;
COMMENT ON VIEW v_dyad_daily IS 'One row per day and ordered pair of parties (countries; international organisations by CAMEO code): events by QuadClass, Goldstein sum and mean, reporting articles and outlets.';
COMMENT ON COLUMN v_dyad_daily.event_date IS 'Day of the events.';
COMMENT ON COLUMN v_dyad_daily.source_country IS 'Source party: ISO alpha-3 country or IGO CAMEO code.';
COMMENT ON COLUMN v_dyad_daily.source_country_name IS 'Name of the source country (NULL for organisations).';
COMMENT ON COLUMN v_dyad_daily.target_country IS 'Target party: ISO alpha-3 country or IGO CAMEO code.';
COMMENT ON COLUMN v_dyad_daily.target_country_name IS 'Name of the target country (NULL for organisations).';
COMMENT ON COLUMN v_dyad_daily.events IS 'Events of the pair that day.';
COMMENT ON COLUMN v_dyad_daily.quad1_events IS 'Verbal cooperation events (QuadClass 1).';
COMMENT ON COLUMN v_dyad_daily.quad2_events IS 'Material cooperation events (QuadClass 2).';
COMMENT ON COLUMN v_dyad_daily.quad3_events IS 'Verbal conflict events (QuadClass 3).';
COMMENT ON COLUMN v_dyad_daily.quad4_events IS 'Material conflict events (QuadClass 4).';
COMMENT ON COLUMN v_dyad_daily.goldstein_sum IS 'Sum of the Goldstein weights.';
COMMENT ON COLUMN v_dyad_daily.goldstein_mean IS 'Mean Goldstein weight.';
COMMENT ON COLUMN v_dyad_daily.articles IS 'Distinct articles reporting those events.';
COMMENT ON COLUMN v_dyad_daily.outlets IS 'Distinct outlets among those articles.';

-- Meetings and calls -------------------------------------------------------------------------
CREATE VIEW v_meetings AS
SELECT e.event_id,
       e.event_date,
       e.date_precision,
       e.event_type,
       e.cameo_code,
       e.plover_mode,
       e.source_name,
       e.source_title,
       e.source_country,
       sc.name AS source_country_name,
       e.target_name,
       e.target_title,
       e.target_country,
       tc.name AS target_country_name,
       e.location_name,
       e.location_country,
       e.topics,
       e.evidence_sentence,
       a.url AS article_url,
       e.num_articles,
       e.num_sources
FROM fct_diplomatic_event AS e
JOIN article AS a ON a.article_id = e.article_id
LEFT JOIN dim_country AS sc ON sc.iso3 = e.source_country
LEFT JOIN dim_country AS tc ON tc.iso3 = e.target_country
WHERE e.event_type IN ('meeting', 'phone_call', 'negotiation');
COMMENT ON VIEW v_meetings IS 'One row per meeting, visit, phone call or negotiation, with both parties'' names, titles and countries.';
COMMENT ON COLUMN v_meetings.event_id IS 'The event (fct_diplomatic_event.event_id).';
COMMENT ON COLUMN v_meetings.event_date IS 'When it happened.';
COMMENT ON COLUMN v_meetings.date_precision IS 'Precision of event_date.';
COMMENT ON COLUMN v_meetings.event_type IS 'meeting, phone_call or negotiation.';
COMMENT ON COLUMN v_meetings.cameo_code IS 'CAMEO code (040-046).';
COMMENT ON COLUMN v_meetings.plover_mode IS 'PLOVER mode (visit, host, third-party, phone, negotiate, mediate).';
COMMENT ON COLUMN v_meetings.source_name IS 'First party (the visitor, caller or host as coded).';
COMMENT ON COLUMN v_meetings.source_title IS 'Title of the first party.';
COMMENT ON COLUMN v_meetings.source_country IS 'ISO alpha-3 country of the first party.';
COMMENT ON COLUMN v_meetings.source_country_name IS 'Country name of the first party.';
COMMENT ON COLUMN v_meetings.target_name IS 'Second party.';
COMMENT ON COLUMN v_meetings.target_title IS 'Title of the second party.';
COMMENT ON COLUMN v_meetings.target_country IS 'ISO alpha-3 country of the second party.';
COMMENT ON COLUMN v_meetings.target_country_name IS 'Country name of the second party.';
COMMENT ON COLUMN v_meetings.location_name IS 'Where it took place.';
COMMENT ON COLUMN v_meetings.location_country IS 'Country where it took place.';
COMMENT ON COLUMN v_meetings.topics IS 'Topics of the talks named in the text.';
COMMENT ON COLUMN v_meetings.evidence_sentence IS 'The sentence that states it.';
COMMENT ON COLUMN v_meetings.article_url IS 'URL of the earliest article that reports it.';
COMMENT ON COLUMN v_meetings.num_articles IS 'Articles that report it.';
COMMENT ON COLUMN v_meetings.num_sources IS 'Distinct outlets that report it.';

-- Country activity per week ------------------------------------------------------------------
CREATE VIEW v_country_activity AS
WITH sides AS (
    SELECT source_country AS country, 'source' AS side, event_date, quad_class, goldstein, target_country AS partner
      FROM fct_diplomatic_event WHERE source_country IS NOT NULL
    UNION ALL
    SELECT target_country, 'target', event_date, quad_class, goldstein, source_country
      FROM fct_diplomatic_event WHERE target_country IS NOT NULL
)
SELECT s.country,
       c.name AS country_name,
       date_trunc('week', s.event_date)::date AS week,
       count(*) FILTER (WHERE s.side = 'source') AS events_as_source,
       count(*) FILTER (WHERE s.side = 'target') AS events_as_target,
       count(*) FILTER (WHERE s.quad_class IN (1, 2)) AS cooperation_events,
       count(*) FILTER (WHERE s.quad_class IN (3, 4)) AS conflict_events,
       round(avg(s.goldstein::numeric(4, 1)), 2) AS goldstein_mean,
       count(DISTINCT s.partner) AS partners
FROM sides AS s
LEFT JOIN dim_country AS c ON c.iso3 = s.country
GROUP BY s.country, c.name, date_trunc('week', s.event_date);
COMMENT ON VIEW v_country_activity IS 'One row per country and ISO week: events it initiated and received, cooperation versus conflict, mean Goldstein weight, distinct partners.';
COMMENT ON COLUMN v_country_activity.country IS 'ISO alpha-3 country.';
COMMENT ON COLUMN v_country_activity.country_name IS 'Country name.';
COMMENT ON COLUMN v_country_activity.week IS 'Monday of the ISO week.';
COMMENT ON COLUMN v_country_activity.events_as_source IS 'Events where the country acted.';
COMMENT ON COLUMN v_country_activity.events_as_target IS 'Events where the country was acted upon.';
COMMENT ON COLUMN v_country_activity.cooperation_events IS 'Events in QuadClass 1 or 2, either side.';
COMMENT ON COLUMN v_country_activity.conflict_events IS 'Events in QuadClass 3 or 4, either side.';
COMMENT ON COLUMN v_country_activity.goldstein_mean IS 'Mean Goldstein weight of its events.';
COMMENT ON COLUMN v_country_activity.partners IS 'Distinct counterpart countries.';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communique_analyst') THEN
        GRANT SELECT ON dim_actor, dim_outlet, v_dyad_daily, v_meetings, v_country_activity TO communique_analyst;
    END IF;
END $$;
