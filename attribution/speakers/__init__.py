"""Speakers: who said it. The article's entities, their mentions, gender and nominal descriptions, quote
assembly (quote marks and frames into items with a speaker slot), the speaker and reference sieves, and
coreference.

Takes the per-document :class:`attribution.speakers.context.Context`; gives items with a decided speaker
and the rule that decided it. Main entry points: :func:`attribution.speakers.assembly.assemble`,
:func:`attribution.speakers.sieves.decide_speakers`, :func:`attribution.speakers.sieves.resolve_references`.
"""
