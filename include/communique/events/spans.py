"""The names under which our spaCy components store what they find (``doc.spans[...]``).

Data, not code: the rules read these keys and the spaCy pipeline writes them, so they live
below both and neither has to import the other.
"""

ACTOR_SPANS = "communique_actors"
PLACE_SPANS = "communique_places"
TITLE_SPANS = "communique_titles"
PEOPLE_SPANS = "communique_people"
