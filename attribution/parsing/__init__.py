"""Parsing: Stanza models (where they are, how they load, the exact shortcuts), sentence selection, and
:class:`attribution.parsing.document.Doc`, the flat view of a parse that every later stage reads.

Takes article texts; gives ``Doc`` objects. Main entry point: :class:`attribution.parsing.pipeline.Parser`.
"""
