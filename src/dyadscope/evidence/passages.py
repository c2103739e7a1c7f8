"""Cut a document into passages: short runs of lines spoken by one voice.

A passage is what search returns and what a citation points at, so it is small
(a paragraph, or at most :data:`MAX_PASSAGE_LINES` lines of a hard-wrapped text)
and never mixes two voices: passages are cut inside voice spans, at blank lines.
Each passage keeps its original line range; its ``text`` is re-flowed for analysis.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from dyadscope.evidence.documents import SourceDocument, reflow
from dyadscope.evidence.voices import VoiceSpan, detect_voices

__all__ = ["MAX_PASSAGE_LINES", "STOPWORDS", "Passage", "split_passages", "tokenize"]

#: Longest passage, in lines, cut from a hard-wrapped text without blank lines.
MAX_PASSAGE_LINES = 6

#: Words too common to tell passages apart (a short English list).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "me",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "she",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "also",
        "just",
        "about",
        "after",
        "again",
        "all",
        "any",
        "because",
        "before",
        "being",
        "both",
        "each",
        "few",
        "further",
        "here",
        "how",
        "only",
        "other",
        "own",
        "same",
        "should",
        "some",
        "until",
        "off",
        "once",
    ]
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def _stem(word: str) -> str:
    """A light suffix strip so that plural and singular meet (``sanctions`` ~ ``sanction``).

    >>> [_stem(w) for w in ("sanctions", "policies", "gas", "analysis")]
    ['sanction', 'policy', 'gas', 'analysis']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Search terms of ``text``: lower-cased words, possessives dropped, stop words removed.

    >>> tokenize("Russia's gas deliveries to China, and the sanctions")
    ['russia', 'gas', 'delivery', 'china', 'sanction']
    """
    out = []
    for match in _WORD.finditer(text.lower()):
        word = re.sub(r"['’]s$", "", match.group(0))
        if len(word) < 2 or word in STOPWORDS:
            continue
        out.append(_stem(word))
    return out


@dataclass(frozen=True)
class Passage:
    """Lines ``line_start``–``line_end`` of document ``file`` spoken by one voice."""

    passage_id: str
    doc_id: str
    file: str
    line_start: int
    line_end: int
    voice: str
    role: str
    text: str


def _blocks(lines: tuple[str, ...], span: VoiceSpan) -> list[tuple[int, int]]:
    """Runs of non-blank lines inside a span, cut at :data:`MAX_PASSAGE_LINES` (1-based)."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for n in range(span.line_start, span.line_end + 2):
        blank = n > span.line_end or not lines[n - 1].strip()
        if start is None and not blank:
            start = n
        elif start is not None and (blank or n - start >= MAX_PASSAGE_LINES):
            blocks.append((start, n - 1))
            start = None if blank else n
    return blocks


def split_passages(doc: SourceDocument, spans: list[VoiceSpan] | None = None) -> list[Passage]:
    """The passages of ``doc`` in line order (``spans`` from :func:`detect_voices` if given).

    >>> from dyadscope.evidence.documents import SourceDocument
    >>> doc = SourceDocument("a.txt", "a.txt", "text", ("One line.", "", "Two."), "ab" * 32)
    >>> [(p.line_start, p.line_end, p.text) for p in split_passages(doc)]
    [(1, 1, 'One line.'), (3, 3, 'Two.')]
    """
    spans = detect_voices(doc) if spans is None else spans
    passages = []
    for span in spans:
        for a, b in _blocks(doc.lines, span):
            text = reflow(doc.lines[a - 1 : b])
            digest = hashlib.sha256(f"{doc.doc_id}:{a}-{b}:{span.voice}".encode()).hexdigest()
            passages.append(
                Passage(digest[:16], doc.doc_id, doc.file, a, b, span.voice, span.role, text)
            )
    return passages
