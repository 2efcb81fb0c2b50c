-- v_event_article: every article that reports each event (copies of a story included).
CREATE VIEW v_event_article AS
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
COMMENT ON VIEW v_event_article IS 'One row per (event, reporting article): every article of every story that states the event, syndicated copies included.';
COMMENT ON COLUMN v_event_article.event_id IS 'The event (fct_diplomatic_event.event_id).';
COMMENT ON COLUMN v_event_article.event_date IS 'Date of the event.';
COMMENT ON COLUMN v_event_article.article_id IS 'An article that reports the event.';
COMMENT ON COLUMN v_event_article.url IS 'URL of the article.';
COMMENT ON COLUMN v_event_article.outlet IS 'Outlet of the article.';
COMMENT ON COLUMN v_event_article.title IS 'Headline of the article.';
COMMENT ON COLUMN v_event_article.published_at IS 'Publication time of the article.';
COMMENT ON COLUMN v_event_article.story_cluster_id IS 'Story cluster the article belongs to.';
COMMENT ON COLUMN v_event_article.extracted IS 'True for the story representative whose text was extracted; false for its copies.';
