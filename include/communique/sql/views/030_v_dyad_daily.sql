-- v_dyad_daily
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
