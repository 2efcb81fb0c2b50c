-- v_country_activity
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
