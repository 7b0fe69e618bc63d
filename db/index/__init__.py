"""Indexes kept in step with every write: speakers across articles, the words their names can be searched by,
stated roles, and speaker totals, so that searches read a few rows instead of every quote.

Takes a session and the rows being written; gives speaker matches and counts.
Main entry points: :func:`db.index.name_index.match_speakers`, :func:`db.index.speakers.resolve_for_article`.
"""
