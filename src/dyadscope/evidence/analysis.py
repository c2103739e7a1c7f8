"""Frames over documents read straight from disk (no store needed): voices and figures."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from dyadscope.evidence.store import load_documents
from dyadscope.evidence.voices import detect_voices

__all__ = ["VOICE_COLUMNS", "figures_frame", "voices_frame"]

VOICE_COLUMNS = ["doc", "line_start", "line_end", "voice", "role"]


def voices_frame(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Every voice span of the documents at ``paths``: :data:`VOICE_COLUMNS`.

    >>> voices_frame(["../shared/seeds/000_523e34e02eb78b2b.txt"]).role.iloc[0]  # doctest: +SKIP
    'editorial'
    """
    rows = [
        (s.doc, s.line_start, s.line_end, s.voice, s.role)
        for doc in load_documents(paths)
        for s in detect_voices(doc)
    ]
    return pd.DataFrame(rows, columns=VOICE_COLUMNS)


def figures_frame(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Every figure stated in the documents at ``paths`` (see :mod:`.figures`)."""
    from dyadscope.evidence.figures import FIGURE_COLUMNS, extract_figures

    rows = [f.row() for doc in load_documents(paths) for f in extract_figures(doc)]
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)
