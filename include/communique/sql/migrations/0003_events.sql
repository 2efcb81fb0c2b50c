-- 0003: extracted events. Mentions (what one story's text says) are the unit a processing
-- interval owns; facts (one row per event) are rebuilt from the mentions of the events an
-- interval touched, so re-running any interval replaces exactly its share and nothing else.

CREATE TABLE fct_event_mention (
    event_id          text NOT NULL,
    article_id        text NOT NULL REFERENCES article (article_id) ON DELETE CASCADE,
    cluster_id        text NOT NULL,
    event_date        date NOT NULL,
    date_precision    text NOT NULL CHECK (date_precision IN ('day', 'week', 'month', 'year')),
    event_type        text NOT NULL,
    cameo_code        text NOT NULL,
    cameo_root        text NOT NULL,
    quad_class        smallint NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    plover_type       text NOT NULL,
    plover_mode       text,
    goldstein         real NOT NULL CHECK (goldstein BETWEEN -10 AND 10),
    source_text       text NOT NULL,
    source_name       text NOT NULL,
    source_title      text,
    source_country    char(3),
    source_role       text,
    source_cameo      text NOT NULL,
    target_text       text NOT NULL,
    target_name       text NOT NULL,
    target_title      text,
    target_country    char(3),
    target_role       text,
    target_cameo      text NOT NULL,
    participants      jsonb NOT NULL DEFAULT '[]',
    location_text     text,
    location_name     text,
    location_country  char(3),
    location_lat      double precision,
    location_lon      double precision,
    topics            text[] NOT NULL DEFAULT '{}',
    evidence_sentence text NOT NULL,
    evidence_start    integer NOT NULL CHECK (evidence_start >= 0),
    evidence_end      integer NOT NULL,
    confidence        real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    extractor_version text NOT NULL,
    PRIMARY KEY (event_id, article_id),
    CHECK (evidence_end >= evidence_start)
);
CREATE INDEX fct_event_mention_article_id_idx ON fct_event_mention (article_id);
CREATE INDEX fct_event_mention_cluster_id_idx ON fct_event_mention (cluster_id);
COMMENT ON TABLE fct_event_mention IS 'One row per (event, extracted article): what the representative text of one story says about one event, with its own evidence. Owned by the interval of the article.';
COMMENT ON COLUMN fct_event_mention.event_id IS 'Deterministic id of the event: hash of CAMEO code, source and target actor codes, event date and location country.';
COMMENT ON COLUMN fct_event_mention.article_id IS 'Article the event was extracted from (a story representative).';
COMMENT ON COLUMN fct_event_mention.cluster_id IS 'Story cluster of that article; its copies report the event too.';
COMMENT ON COLUMN fct_event_mention.event_date IS 'When the event happened, resolved against the publication date.';
COMMENT ON COLUMN fct_event_mention.date_precision IS 'Precision of event_date: day, week, month or year.';
COMMENT ON COLUMN fct_event_mention.event_type IS 'Our event type (meeting, phone_call, agreement, praise, criticism ...).';
COMMENT ON COLUMN fct_event_mention.cameo_code IS 'CAMEO event code (e.g. 043 host a visit).';
COMMENT ON COLUMN fct_event_mention.cameo_root IS 'CAMEO root code (first two digits).';
COMMENT ON COLUMN fct_event_mention.quad_class IS 'CAMEO QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.';
COMMENT ON COLUMN fct_event_mention.plover_type IS 'PLOVER event type (CONSULT, AGREE, SUPPORT ...).';
COMMENT ON COLUMN fct_event_mention.plover_mode IS 'PLOVER mode (visit, phone, third-party ...), when known.';
COMMENT ON COLUMN fct_event_mention.goldstein IS 'Goldstein weight of the CAMEO code (-10 conflict .. +10 cooperation).';
COMMENT ON COLUMN fct_event_mention.source_text IS 'Source actor as written in the evidence.';
COMMENT ON COLUMN fct_event_mention.source_name IS 'Normalised name of the source actor (person, country or organisation).';
COMMENT ON COLUMN fct_event_mention.source_title IS 'Title of the source actor (President, Foreign Minister ...), when a person.';
COMMENT ON COLUMN fct_event_mention.source_country IS 'ISO 3166-1 alpha-3 country of the source actor (NULL for international organisations).';
COMMENT ON COLUMN fct_event_mention.source_role IS 'CAMEO role of the source actor (GOV, MIL, IGO ...).';
COMMENT ON COLUMN fct_event_mention.source_cameo IS 'CAMEO actor code of the source (e.g. EGYGOV, IGOEEU).';
COMMENT ON COLUMN fct_event_mention.target_text IS 'Target actor as written in the evidence.';
COMMENT ON COLUMN fct_event_mention.target_name IS 'Normalised name of the target actor.';
COMMENT ON COLUMN fct_event_mention.target_title IS 'Title of the target actor, when a person.';
COMMENT ON COLUMN fct_event_mention.target_country IS 'ISO 3166-1 alpha-3 country of the target actor (NULL for international organisations).';
COMMENT ON COLUMN fct_event_mention.target_role IS 'CAMEO role of the target actor.';
COMMENT ON COLUMN fct_event_mention.target_cameo IS 'CAMEO actor code of the target.';
COMMENT ON COLUMN fct_event_mention.participants IS 'Other parties named in the event: JSON list of {text, name, title, country, role, cameo}.';
COMMENT ON COLUMN fct_event_mention.location_text IS 'Where the event happened, as written.';
COMMENT ON COLUMN fct_event_mention.location_name IS 'Normalised place name.';
COMMENT ON COLUMN fct_event_mention.location_country IS 'ISO 3166-1 alpha-3 country of the place.';
COMMENT ON COLUMN fct_event_mention.location_lat IS 'Latitude of the place, when the gazetteer knows it.';
COMMENT ON COLUMN fct_event_mention.location_lon IS 'Longitude of the place, when the gazetteer knows it.';
COMMENT ON COLUMN fct_event_mention.topics IS 'Topics of the talks named in the text (e.g. Gaza ceasefire).';
COMMENT ON COLUMN fct_event_mention.evidence_sentence IS 'The sentence that states the event.';
COMMENT ON COLUMN fct_event_mention.evidence_start IS 'Character offset of the sentence in article.body.';
COMMENT ON COLUMN fct_event_mention.evidence_end IS 'Character offset just past the sentence in article.body.';
COMMENT ON COLUMN fct_event_mention.confidence IS 'Extractor confidence in the coding (0..1).';
COMMENT ON COLUMN fct_event_mention.extractor_version IS 'Version of the extractor (code and rule files) that produced the row.';

-- Staging: what one interval's extraction produced, COPY-loaded, then merged into the facts.
CREATE TABLE stg_event (
    batch_start timestamptz NOT NULL,
    batch_end   timestamptz NOT NULL,
    LIKE fct_event_mention INCLUDING DEFAULTS INCLUDING CONSTRAINTS
);
CREATE INDEX stg_event_batch_idx ON stg_event (batch_start, batch_end);
COMMENT ON TABLE stg_event IS 'Staging: events extracted by one processing interval, before they are merged into fct_event_mention and fct_diplomatic_event. Emptied by the load.';
COMMENT ON COLUMN stg_event.batch_start IS 'Start of the processing interval that extracted the row.';
COMMENT ON COLUMN stg_event.batch_end IS 'End of the processing interval that extracted the row.';

-- The facts: one row per event, partitioned by event month.
CREATE TABLE fct_diplomatic_event (
    LIKE fct_event_mention INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    num_mentions        integer NOT NULL CHECK (num_mentions >= 1),
    num_articles        integer NOT NULL CHECK (num_articles >= num_mentions),
    num_sources         integer NOT NULL CHECK (num_sources >= 1),
    first_published_at  timestamptz,
    PRIMARY KEY (event_id, event_date)
) PARTITION BY RANGE (event_date);
CREATE INDEX fct_diplomatic_event_dyad_idx ON fct_diplomatic_event (source_country, target_country, event_date);
CREATE INDEX fct_diplomatic_event_date_idx ON fct_diplomatic_event (event_date);
CREATE INDEX fct_diplomatic_event_target_idx ON fct_diplomatic_event (target_country, event_date);
CREATE INDEX fct_diplomatic_event_type_idx ON fct_diplomatic_event (event_type, event_date);
COMMENT ON TABLE fct_diplomatic_event IS 'Grain: one row per diplomatic event (event_id), however many articles report it. Source and target fields, evidence and article_id come from the earliest report; num_* count every report. Partitioned by month of event_date.';
COMMENT ON COLUMN fct_diplomatic_event.num_mentions IS 'Stories (distinct extracted texts) that state the event.';
COMMENT ON COLUMN fct_diplomatic_event.num_articles IS 'Articles that report the event, syndicated copies included (GDELT NumArticles).';
COMMENT ON COLUMN fct_diplomatic_event.num_sources IS 'Distinct outlets among those articles (GDELT NumSources).';
COMMENT ON COLUMN fct_diplomatic_event.first_published_at IS 'Publication time of the earliest article that reports the event.';

DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT a.attname, col_description('fct_event_mention'::regclass, a.attnum) AS description
        FROM pg_attribute a
        WHERE a.attrelid = 'fct_event_mention'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN stg_event.%I IS %L', col.attname, col.description);
        EXECUTE format('COMMENT ON COLUMN fct_diplomatic_event.%I IS %L', col.attname,
                       CASE col.attname
                           WHEN 'article_id' THEN 'Earliest article that reports the event; its text gave the evidence.'
                           WHEN 'cluster_id' THEN 'Story cluster of that article.'
                           ELSE col.description END);
    END LOOP;
END $$;

-- Monthly partitions are created on demand by the loader (communique.warehouse.ensure_partitions).
CREATE FUNCTION communique_ensure_event_partition(month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month)::date;
    name text := format('fct_diplomatic_event_%s', to_char(first_day, 'YYYY_MM'));
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF fct_diplomatic_event FOR VALUES FROM (%L) TO (%L)',
                       name, first_day, (first_day + interval '1 month')::date);
        EXECUTE format('COMMENT ON TABLE %I IS %L', name,
                       format('Partition of fct_diplomatic_event for events in %s.', to_char(first_day, 'YYYY-MM')));
    END IF;
    RETURN name;
END $$;
COMMENT ON FUNCTION communique_ensure_event_partition(date) IS 'Create the monthly partition of fct_diplomatic_event that holds the given date, if missing.';
