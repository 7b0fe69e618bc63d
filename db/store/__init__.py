"""The store itself: the SQLModel tables, the engine (SQLite or PostgreSQL), the versioned schema, the
audit trail, name normalisation and small SQL helpers.

Takes a database URL; gives a :class:`db.store.store.Store` with sessions. Main entry points:
:func:`db.store.store.open_store`, :func:`db.store.store.setup_database`.
"""
