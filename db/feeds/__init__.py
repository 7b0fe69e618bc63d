"""Feeds: the RSS/Atom feeds and sitemaps followed, the items they listed, what became of each, and a
polling pass that stores the articles not seen before.

Takes feed URLs; gives a pass summary. Main entry point: :func:`db.feeds.follow.follow_pass`.
"""
