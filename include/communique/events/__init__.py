"""Events: cleaned text to CAMEO/PLOVER-coded diplomatic events with actors, date, place and evidence.

Takes article text and its publication date; gives :class:`communique.models.Event` rows. Layers run one way:
data (gazetteer, triggers, codes, span keys) -> rules (actors, arguments, frames, coreference, dates,
locations, topics) -> the spaCy pipeline (nlp) -> the extractor.
"""
