"""Reports: what analysts take away from the warehouse (a daily brief, exports).

Takes the warehouse's analyst views, read as the ``communique_analyst`` role;
gives a self-contained HTML brief of a day and streamed CSV, Parquet or JSON Lines files.
"""
