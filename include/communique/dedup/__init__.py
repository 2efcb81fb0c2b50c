"""Dedup: canonical URLs, text fingerprints and the policy that decides when two articles are one story.

Takes cleaned articles (and what the stores know); gives the story each one belongs to and how it matched.
"""
