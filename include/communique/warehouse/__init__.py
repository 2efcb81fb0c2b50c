"""Warehouse: the PostgreSQL edge (connection, embedded server, migrations, stores, loading, checks, schema docs).

Takes what the stages produce;
gives durable, idempotent rows (raw pages, articles, stories, mentions, facts) and reads them back.
"""
