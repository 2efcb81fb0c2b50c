"""Feeds: the registry of sources, polling with conditional GET, and parsing (one parser per format).

Takes feed bytes fetched by :mod:`communique.fetch`;
gives :class:`communique.models.FeedEntry` rows and a per-feed status.
"""
