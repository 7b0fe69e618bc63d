"""Search: quotes by any part of a speaker's name, role, affiliation, text, kind, outlet, date and
confidence; speaker profiles, article views and statistics.

Takes a session and a :class:`db.search.queries.QuoteFilter`; gives rows.
Main entry points: :func:`db.search.queries.find_quotes`, :func:`db.search.profiles.speaker_profile`.
"""
