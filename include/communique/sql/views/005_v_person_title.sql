-- v_person_title: the titles that name one person's office, from the gazetteer (data/gazetteer/titles.tsv,
-- kind "person"). The extractor also keeps role nouns of groups and bodies ("sides", "forces", "ministry")
-- as a party's title; v_events and v_meetings show a title only when it is one of these.
-- tests/unit/reports/test_person_titles.py fails when this list and the gazetteer differ.
CREATE VIEW v_person_title AS
SELECT title
FROM (VALUES
    ('president'), ('vice president'), ('vice-president'), ('prime minister'), ('premier'),
    ('deputy prime minister'), ('chancellor'), ('minister'), ('foreign minister'), ('defence minister'),
    ('defense minister'), ('interior minister'), ('finance minister'), ('trade minister'),
    ('economy minister'), ('energy minister'), ('oil minister'), ('health minister'), ('justice minister'),
    ('information minister'), ('deputy minister'), ('deputy foreign minister'), ('state minister'),
    ('minister of state'), ('secretary'), ('secretary of state'), ('foreign secretary'), ('home secretary'),
    ('defense secretary'), ('defence secretary'), ('treasury secretary'), ('commerce secretary'),
    ('under secretary'), ('undersecretary'), ('secretary-general'), ('secretary general'), ('king'),
    ('queen'), ('crown prince'), ('prince'), ('emir'), ('amir'), ('sultan'), ('sheikh'), ('shah'),
    ('monarch'), ('head of state'), ('leader'), ('supreme leader'), ('governor'), ('mayor'), ('ambassador'),
    ('envoy'), ('special envoy'), ('consul'), ('diplomat'), ('chief diplomat'), ('top diplomat'),
    ('negotiator'), ('chief negotiator'), ('spokesman'), ('spokeswoman'), ('spokesperson'), ('official'),
    ('senior official'), ('counterpart'), ('national security adviser'), ('adviser'), ('advisor'),
    ('general'), ('gen.'), ('army chief'), ('chief of staff'), ('commander'), ('admiral'), ('colonel'),
    ('col.'), ('defence chief'), ('defense chief'), ('lawmaker'), ('legislator'), ('senator'), ('sen.'),
    ('congressman'), ('congresswoman'), ('representative'), ('rep.'), ('speaker'), ('mp'),
    ('member of parliament'), ('judge'), ('prosecutor'), ('attorney general'), ('opposition leader'),
    ('rebel leader'), ('mr.'), ('mrs.'), ('ms.'), ('dr.'), ('officer'), ('coordinator'), ('chief'), ('head'),
    ('businessman'), ('businesswoman'), ('professor'), ('journalist'), ('reporter'), ('correspondent'),
    ('photographer'), ('aid worker'), ('worker'), ('tourist'), ('student'), ('engineer'), ('doctor'),
    ('nurse'), ('teacher'), ('priest'), ('missionary'), ('activist'), ('dissident'), ('hostage'), ('captive'),
    ('prisoner'), ('detainee'), ('national'), ('citizen'), ('resident'), ('fisherman'), ('sailor'), ('pilot'),
    ('contractor'), ('scientist'), ('scholar'), ('man'), ('woman'), ('driver'), ('truck driver'), ('soldier'),
    ('marine'), ('mr'), ('mrs'), ('ms'), ('dr'), ('sir')
) AS t (title);
COMMENT ON VIEW v_person_title IS 'One row per title that names one person''s office (president, foreign minister, army chief ...): the gazetteer''s person titles, lower case. The views show a party''s title only when it is one of these.';
COMMENT ON COLUMN v_person_title.title IS 'The title, lower case, as the extractor writes it.';
