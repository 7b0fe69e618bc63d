"""Placeholder; replaced by the engine."""
from __future__ import annotations


def extract_from_doc(text, doc):
    return [], []
