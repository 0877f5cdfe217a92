"""Run state: analyses (the cache), commits seen, runs, and what was published where.

SQLite under $REPODIGEST_HOME by default; any SQLAlchemy URL (postgresql://...) with
`[state] database_url`. The schema is migrated with Alembic when the store opens.
"""
