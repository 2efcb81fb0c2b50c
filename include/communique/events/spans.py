"""The names under which our spaCy components store what they find (``doc.spans[...]``).

Data, not code: the rules read these keys and the spaCy pipeline writes them, so they live
below both and neither has to import the other.
"""

ACTOR_SPANS = "communique_actors"
PLACE_SPANS = "communique_places"
TITLE_SPANS = "communique_titles"
PEOPLE_SPANS = "communique_people"
#: Set by the extractor before parsing: words of the names of people the article itself ties to a
#: country ("Adebayo Okonkwo" after "Nigerian President Adebayo Okonkwo"), so that a bare "Okonkwo"
#: reads as that person even where the small model tags it as a common noun or a place.
ARTICLE_NAME_SPANS = "communique_article_names"
#: ``doc.user_data`` key: surnames the article gives to someone the tables do not know ("Rep. Ilhan
#: Omar"), so that its bare "Omar" is that person, not a minister of the same surname. The extractor
#: copies the article's set onto each sentence it parses.
OTHER_NAMES = "communique_other_names"
