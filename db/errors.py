"""The store's exception tree. Every message is one sentence the CLI prints as is."""

from __future__ import annotations

from attribution.errors import AttributionError


class StoreError(AttributionError):
    """Base of every error the store raises on purpose."""


class DatabaseURLError(StoreError):
    """The database URL or path cannot be used (unknown scheme, missing driver...)."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached or answered with an error (server down, locked, disk full...)."""


class TransientConflict(DatabaseUnavailable):
    """A deadlock or serialization failure between concurrent writers; retrying the transaction helps."""


class SchemaError(StoreError):
    """The database's schema is not the one this version of attribution expects."""


class SchemaMissing(SchemaError):
    """The database has no attribution schema yet: run ``attribution setup``."""


class SchemaTooOld(SchemaError):
    """The schema is older than this version: run ``attribution setup`` to upgrade it."""


class SchemaTooNew(SchemaError):
    """The schema was written by a newer attribution: upgrade attribution."""


class NotFound(StoreError):
    """An article, speaker or claim the user named does not exist."""


class Ambiguous(StoreError):
    """A reference (name, sha prefix) matches more than one thing; the message lists them."""


class InvalidArgument(StoreError):
    """A filter or option value the store cannot use (bad date, out-of-range number...)."""


class SearchSyntaxError(InvalidArgument):
    """A ``--raw-search`` query the full-text engine rejects."""


class IdentityError(StoreError):
    """A speaker merge, split or unmerge that cannot be done as asked."""


class ExportError(StoreError):
    """An export file cannot be written."""
