-- 0006: operational records: what each pipeline stage did in each run.

CREATE TABLE ops_pipeline_run (
    dag_id         text NOT NULL,
    run_id         text NOT NULL,
    stage          text NOT NULL,
    interval_start timestamptz,
    interval_end   timestamptz,
    counts         jsonb NOT NULL DEFAULT '{}',
    skipped        jsonb NOT NULL DEFAULT '{}',
    duration_s     real,
    finished_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dag_id, run_id, stage)
);
CREATE INDEX ops_pipeline_run_finished_at_idx ON ops_pipeline_run (finished_at);
COMMENT ON TABLE ops_pipeline_run IS 'One row per (run, stage): the counts a stage reported (entries, fetched, failed, duplicates, events ...). Written by the DAG tasks and the CLI; a retried stage overwrites its row.';
COMMENT ON COLUMN ops_pipeline_run.dag_id IS 'DAG that ran the stage (cli for the communique command).';
COMMENT ON COLUMN ops_pipeline_run.run_id IS 'Airflow run id (or the CLI''s own run id).';
COMMENT ON COLUMN ops_pipeline_run.stage IS 'Stage name: poll, fetch, clean, deduplicate, extract, load ...';
COMMENT ON COLUMN ops_pipeline_run.interval_start IS 'Start of the data interval processed (NULL for ingest stages).';
COMMENT ON COLUMN ops_pipeline_run.interval_end IS 'End of the data interval processed (NULL for ingest stages).';
COMMENT ON COLUMN ops_pipeline_run.counts IS 'What the stage counted, as a JSON object of integers.';
COMMENT ON COLUMN ops_pipeline_run.skipped IS 'Items skipped, by reason, as a JSON object of integers.';
COMMENT ON COLUMN ops_pipeline_run.duration_s IS 'Wall time of the stage in seconds.';
COMMENT ON COLUMN ops_pipeline_run.finished_at IS 'When the stage finished (database clock).';
