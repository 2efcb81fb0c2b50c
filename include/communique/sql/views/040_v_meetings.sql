-- v_meetings: meetings, visits, calls and negotiations. Titles as in v_events (only a person's office).
CREATE VIEW v_meetings AS
SELECT e.event_id,
       e.event_date,
       e.date_precision,
       e.event_type,
       e.cameo_code,
       e.plover_mode,
       e.source_name,
       CASE WHEN lower(e.source_title) IN (SELECT title FROM v_person_title) THEN e.source_title END AS source_title,
       e.source_country,
       sc.name AS source_country_name,
       e.target_name,
       CASE WHEN lower(e.target_title) IN (SELECT title FROM v_person_title) THEN e.target_title END AS target_title,
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
COMMENT ON COLUMN v_meetings.source_title IS 'Title of the first party when it names a person''s office (v_person_title); else NULL.';
COMMENT ON COLUMN v_meetings.source_country IS 'ISO alpha-3 country of the first party.';
COMMENT ON COLUMN v_meetings.source_country_name IS 'Country name of the first party.';
COMMENT ON COLUMN v_meetings.target_name IS 'Second party.';
COMMENT ON COLUMN v_meetings.target_title IS 'Title of the second party when it names a person''s office; else NULL.';
COMMENT ON COLUMN v_meetings.target_country IS 'ISO alpha-3 country of the second party.';
COMMENT ON COLUMN v_meetings.target_country_name IS 'Country name of the second party.';
COMMENT ON COLUMN v_meetings.location_name IS 'Where it took place.';
COMMENT ON COLUMN v_meetings.location_country IS 'Country where it took place.';
COMMENT ON COLUMN v_meetings.topics IS 'Topics of the talks named in the text.';
COMMENT ON COLUMN v_meetings.evidence_sentence IS 'The sentence that states it.';
COMMENT ON COLUMN v_meetings.article_url IS 'URL of the earliest article that reports it.';
COMMENT ON COLUMN v_meetings.num_articles IS 'Articles that report it.';
COMMENT ON COLUMN v_meetings.num_sources IS 'Distinct outlets that report it.';
