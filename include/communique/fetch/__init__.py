"""Fetch: the polite, SSRF-guarded HTTP client (robots.txt, per-host limits, retries, bounded bodies, decoding).

Takes URLs; gives response bytes decoded to text with the encoding and its provenance, or a typed failure reason.
"""
