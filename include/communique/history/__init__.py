"""History: pages from before the feeds were polled (WARC archives, news sitemaps) into the raw store.

Takes WARC files or a sitemap URL and a date range;
gives landed raw pages, timed by publication so backfills replay them.
"""
