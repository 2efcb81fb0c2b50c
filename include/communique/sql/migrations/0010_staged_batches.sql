-- 0010: loads that cannot destroy facts.
-- * Every extraction of an interval stages its events as one batch (stg_batch), keyed by the
--   run that wrote it. A load consumes the unloaded batch of its own run and marks it loaded,
--   so a retried load finds nothing to do and changes nothing (before, it found the staging
--   emptied and took that for "the interval has no events": every fact of the interval went).
-- * A batch records how many events it staged: staging is UNLOGGED (a server crash empties it),
--   and a load that finds fewer rows than the batch staged refuses to run; the data-quality
--   checks fail when a loaded batch had events and its interval ends with no mentions.

CREATE TABLE stg_batch (
    batch_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_key     text NOT NULL,
    batch_start timestamptz NOT NULL,
    batch_end   timestamptz NOT NULL CHECK (batch_end >= batch_start),
    events      integer NOT NULL CHECK (events >= 0),
    staged_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    loaded_at   timestamptz,
    outcome     text CHECK (outcome IN ('loaded', 'superseded')),
    CHECK ((loaded_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX stg_batch_interval_idx ON stg_batch (batch_start, batch_end);
COMMENT ON TABLE stg_batch IS 'One row per extraction of an interval (a batch of staged events): which run staged it, how many events, and whether a load consumed it. Loads take only their own run''s unloaded batch, so a repeated load changes nothing.';
COMMENT ON COLUMN stg_batch.batch_id IS 'Increasing id: a later extraction has a larger id.';
COMMENT ON COLUMN stg_batch.run_key IS 'The run that staged the batch (an Airflow run, a communique process run); the load of that run consumes it.';
COMMENT ON COLUMN stg_batch.batch_start IS 'Start of the processing interval that extracted the batch.';
COMMENT ON COLUMN stg_batch.batch_end IS 'End of that interval.';
COMMENT ON COLUMN stg_batch.events IS 'Rows staged (one per article and event); a load that finds fewer refuses to run.';
COMMENT ON COLUMN stg_batch.staged_at IS 'When the extraction staged the batch.';
COMMENT ON COLUMN stg_batch.loaded_at IS 'When a load consumed the batch (loaded it, or dropped it as superseded); NULL while staged.';
COMMENT ON COLUMN stg_batch.outcome IS 'loaded: merged into the facts; superseded: dropped because a later extraction of the interval was loaded first.';

-- Rows staged before this migration become one batch per interval, loadable by any run's load
-- of that interval under the default key.
ALTER TABLE stg_event ADD COLUMN batch_id bigint;
COMMENT ON COLUMN stg_event.batch_id IS 'The batch (stg_batch) the row belongs to.';
INSERT INTO stg_batch (run_key, batch_start, batch_end, events)
SELECT 'interval', batch_start, batch_end, count(*) FROM stg_event GROUP BY batch_start, batch_end;
UPDATE stg_event AS s SET batch_id = b.batch_id
  FROM stg_batch AS b WHERE (b.batch_start, b.batch_end) = (s.batch_start, s.batch_end);
ALTER TABLE stg_event ALTER COLUMN batch_id SET NOT NULL;
COMMENT ON TABLE stg_event IS 'Staging: events extracted by one run of a processing interval (a batch, stg_batch), one row per (article, event), before they are merged into fct_event_mention and fct_diplomatic_event. A load deletes the rows of the batch it consumes.';
