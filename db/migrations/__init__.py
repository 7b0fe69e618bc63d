"""Alembic migrations of the store's schema, run in-process by :mod:`db.schema` (no alembic.ini)."""
