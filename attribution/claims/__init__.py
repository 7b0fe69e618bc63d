"""Claims: the checkable statements of a quote, each with a check-worthiness score and its reason.

Takes a ``Doc`` and a :class:`attribution.types.Quote`; gives :class:`attribution.types.Claim` objects.
Main entry point: :func:`attribution.claims.statements.claims_for`.
"""
