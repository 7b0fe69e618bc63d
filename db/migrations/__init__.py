"""Alembic migrations of the store's schema, run in-process by :mod:`db.store.schema` (no alembic.ini)."""
