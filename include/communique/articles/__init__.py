"""Articles: raw HTML to clean text and metadata (main text, title, published time, language, quality).

Takes a landed page; gives a :class:`communique.models.Article` or the reason it is not usable.
"""
