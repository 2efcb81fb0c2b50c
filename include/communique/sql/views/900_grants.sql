-- The analyst role reads the views (and, by 0005 and 0007, the facts and dimensions): re-granted with the views.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communique_analyst') THEN
        GRANT SELECT ON v_person_title, v_event_article, v_events, v_dyad_daily, v_meetings, v_country_activity TO communique_analyst;
    END IF;
END $$;
