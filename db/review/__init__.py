"""Review: fact-checking sessions over claims, rating scales, speaker corrections and identity (merge, split),
the audit of every change, and the ways out (CSV and JSONL export, ClaimReview JSON-LD).

Takes a session and a queue filter; gives review cards and outcomes.
Main entry points: :class:`db.review.session.ReviewSession`, :func:`db.review.export.write_export`.
"""
