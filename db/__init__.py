"""The store: articles, quotes, speakers, roles and claims in SQLite or PostgreSQL.

The public API::

    import db
    db.setup_database("attribution.db")               # create or upgrade the schema
    with db.open_store("attribution.db") as store:
        report = db.ingest(store, articles, extractor)   # Extractor, or a callable Article -> ExtractionResult
        with store.session() as s:
            found = db.find_quotes(s, db.QuoteFilter(speaker="Maria Gonzalez"))

``db`` never prints: functions return data or raise :class:`StoreError` subclasses (one-line messages).
"""

from .errors import (
    Ambiguous,
    DatabaseUnavailable,
    DatabaseURLError,
    ExportError,
    IdentityError,
    InvalidArgument,
    NotFound,
    SchemaError,
    SchemaMissing,
    SchemaTooNew,
    SchemaTooOld,
    SearchSyntaxError,
    StoreError,
)
from .feeds.state import FeedSummary, add_feed, feed_summaries, known_feeds, record_fetch_failures, remove_feeds
from .index.name_index import SpeakerMatch, match_speakers
from .review.export import CSV_HEADER, atomic_output, write_export
from .review.identity import IdentityChange, merge, split, unmerge
from .search.profiles import (
    ArticleView,
    SpeakerProfile,
    SpeakerSummary,
    article_view,
    list_speakers,
    resolve_speaker,
    speaker_profile,
    stats,
)
from .search.queries import QUOTE_KINDS, QuoteFilter, QuoteRow, QuoteSearch, find_quotes, iter_quotes, resolve_article
from .store.engine import default_url, make_engine, mask_url, resolve_url
from .store.names import claim_group_id, normalise, normalise_name
from .store.schema import head_revision
from .store.store import Store, open_store, setup_database
from .write.claim_scores import claim_models, rescore_claims, stale_claims
from .write.ingest import IngestReport, LazyExtractor, Outcome, ingest

__all__ = [
    "CSV_HEADER", "QUOTE_KINDS", "Ambiguous", "ArticleView", "DatabaseURLError", "DatabaseUnavailable",
    "ExportError", "IdentityChange", "IdentityError", "IngestReport", "InvalidArgument", "LazyExtractor",
    "NotFound", "Outcome", "QuoteFilter", "QuoteRow", "QuoteSearch", "SchemaError", "SchemaMissing",
    "SchemaTooNew", "SchemaTooOld", "SearchSyntaxError", "SpeakerMatch", "SpeakerProfile", "SpeakerSummary",
    "Store", "StoreError", "article_view", "atomic_output", "claim_group_id", "claim_models", "default_url",
    "find_quotes", "head_revision", "ingest", "iter_quotes", "list_speakers", "make_engine", "mask_url",
    "match_speakers", "merge", "normalise", "normalise_name", "open_store", "rescore_claims", "resolve_article",
    "resolve_speaker", "resolve_url", "setup_database", "speaker_profile", "split", "stale_claims", "stats",
    "unmerge", "write_export",
]
# Web ingest: feeds followed, their items, failed URLs. A pass itself is db.feeds.follow.follow_pass, imported
# where used: it brings the HTTP client, which the store's other commands do not need.
__all__ += ["FeedSummary", "add_feed", "feed_summaries", "known_feeds", "record_fetch_failures", "remove_feeds"]
