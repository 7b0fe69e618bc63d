"""Quotes: speech frames (a cue, its source and its reported content), reported-speech bounds, and the
frames that quote marks and cues make together.

Takes a ``Doc`` and its quote marks; gives :class:`attribution.quotes.speech_frame.Frame` objects.
Main entry point: :func:`attribution.quotes.frames.find_frames`.
"""
