"""Which factors of a case a passage bears on, with what stance; checks of a case's citations.

**Relevance.**  Each factor gets a profile: the terms of its label (counted three
times) and summary.  A passage's relevance to a factor is the cosine similarity of
the two TF-IDF vectors (IDF over the passages of the documents at hand), in [0, 1].
A citation whose lines score below :data:`RELEVANCE_THRESHOLD` against its factor is
flagged: on the shipped case, cited lines that genuinely discuss the factor score
well above it, and lines about something else score near zero.

**Stance.**  A lexical reading, deliberately simple and documented as such: a
passage *contests* a factor when it is relevant and carries contrast or limitation
cues (``however``, ``limited``, ``distrust``, ``stalled``, ``not``…) at a density of
at least :data:`CONTEST_CUES` per 100 words and the factor is a ``driver``;
otherwise a relevant passage *supports*, and an irrelevant one is *neutral*.  For
limitations, frictions, outcomes and key variables the same cues may well *be* the
factor (distrust is what the ``estrangement`` outcome is about), so they count as
support there.  The case's ``mentions`` is compared as ``neutral``.  Only one
disagreement is flagged: the case says *supports* and the lines are dense with
contrast cues.  The absence of cues is no evidence of support, so a *contests* the
lexical reading cannot confirm is left alone.

**Voice.**  A citation's ``voice`` disagrees with the document when the cited lines
are spoken by named speakers (expert, official, journalist, moderator) none of whom
shares a name with it; essay text (author, editorial) may quote anyone, so it never
disagrees.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dyadscope.case._lines import LineRange
from dyadscope.case.locate import DocumentLocator
from dyadscope.case.schema import Case, Evidence, Factor
from dyadscope.errors import DocumentNotFound
from dyadscope.evidence.documents import SourceDocument, reflow
from dyadscope.evidence.passages import Passage, split_passages, tokenize
from dyadscope.evidence.store import load_documents
from dyadscope.evidence.voices import VoiceSpan, detect_voices, voice_at

__all__ = [
    "CONTEST_CUES",
    "RELEVANCE_THRESHOLD",
    "CitationFlag",
    "Tagger",
    "check_citations",
    "suggest_evidence",
]

#: Cosine similarity below which cited lines are said not to bear on their factor.
RELEVANCE_THRESHOLD = 0.02
#: Contrast cues per 100 terms above which a relevant passage contests a driver.
CONTEST_CUES = 4.0

_CUES = re.compile(
    r"\b(however|but|although|though|despite|limit\w*|constrain\w*|obstacle\w*|distrust|"
    r"mistrust|suspicion\w*|stall\w*|fail\w*|unlikely|doubt\w*|never|not|no|lack\w*|"
    r"weak\w*|asymmetr\w*|tension\w*|rival\w*|competition|compet\w*|concern\w*|risk\w*)\b",
    re.IGNORECASE,
)


def _stance_of(text: str, relevance: float, factor: Factor) -> str:
    if relevance < RELEVANCE_THRESHOLD:
        return "neutral"
    words = max(len(text.split()), 1)
    density = 100 * len(_CUES.findall(text)) / words
    if density >= CONTEST_CUES and factor.kind == "driver":
        return "contests"
    return "supports"


@dataclass(frozen=True)
class CitationFlag:
    """One problem with one citation of a case."""

    where: str  # factors[i].evidence[k]
    factor: str
    doc: str
    lines: str
    problem: str  # relevance | voice | stance
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.where} ({self.factor}) {self.doc}:{self.lines}: {self.problem}: {self.detail}"
        )


class Tagger:
    """TF-IDF profiles of a case's factors over a set of documents.

    >>> from dyadscope.case import load_case
    >>> tagger = Tagger(load_case(), load_documents(["../shared/seeds"]))  # doctest: +SKIP
    >>> tagger.relevance("energy_pipeline_cooperation", "Power of Siberia gas")  # doctest: +SKIP
    """

    def __init__(self, case: Case, docs: Sequence[SourceDocument]) -> None:
        self.case = case
        self.docs = {d.file: d for d in docs}
        self.spans: dict[str, list[VoiceSpan]] = {d.file: detect_voices(d) for d in docs}
        #: The case's document keys found among ``docs``: key -> file name.
        self.files = _case_files(case, docs)
        self.passages: list[Passage] = [
            p for d in docs for p in split_passages(d, self.spans[d.file])
        ]
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update(set(tokenize(p.text)))
        n = max(len(self.passages), 1)
        self._idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
        self._default_idf = math.log(n + 1) + 1
        self.profiles = {f.id: self._vector(self._profile_terms(f)) for f in case.factors}

    @staticmethod
    def _profile_terms(factor: Factor) -> list[str]:
        return tokenize(factor.label) * 3 + tokenize(factor.summary)

    def _vector(self, terms: Iterable[str]) -> dict[str, float]:
        counts = Counter(terms)
        vec = {t: c * self._idf.get(t, self._default_idf) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def relevance(self, factor_id: str, text: str) -> float:
        """Cosine similarity in [0, 1] of ``text`` and the factor's profile."""
        profile = self.profiles[factor_id]
        vec = self._vector(tokenize(text))
        return sum(w * profile.get(t, 0.0) for t, w in vec.items())

    def stance(self, factor_id: str, text: str) -> tuple[float, str]:
        """``(relevance, stance)`` of ``text`` for the factor."""
        score = self.relevance(factor_id, text)
        return score, _stance_of(text, score, self.case.factor(factor_id))

    def lines_text(self, doc: str, lines: str) -> str | None:
        """The re-flowed text of ``doc``'s cited lines, or ``None`` if the doc is absent.

        ``doc`` is a case's document key (a file name, or a citation key with a checksum).
        """
        source = self.docs.get(self.files.get(doc, ""))
        if source is None:
            return None
        span = LineRange.parse(lines)
        return reflow(source.lines[span.start - 1 : span.end])

    def voice_spans(self, doc: str) -> list[VoiceSpan]:
        """The voice spans of the document a case cites as ``doc`` (``[]`` if absent)."""
        return self.spans.get(self.files.get(doc, ""), [])

    def tag(self, passage: Passage, top: int = 3) -> list[tuple[str, float, str]]:
        """The ``top`` factors a passage bears on: ``(factor id, relevance, stance)``."""
        scored = sorted(
            ((f, self.relevance(f, passage.text)) for f in self.profiles), key=lambda x: -x[1]
        )[:top]
        return [
            (f, s, _stance_of(passage.text, s, self.case.factor(f)))
            for f, s in scored
            if s >= RELEVANCE_THRESHOLD
        ]


def _case_files(case: Case, docs: Sequence[SourceDocument]) -> dict[str, str]:
    """Map each document key of ``case`` to the file name it resolves to among ``docs``.

    The lookup is :class:`~dyadscope.case.locate.DocumentLocator`'s (name, then
    checksum); documents not among ``docs`` are left out (the validator reports them).
    """
    locator = DocumentLocator([d.path for d in docs])
    out = {}
    for doc in case.documents:
        try:
            out[doc.file] = locator.locate(doc.file, md5=doc.md5, sha256=doc.sha256).name
        except DocumentNotFound:
            continue
    return out


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one speaker share a name word of three letters or more."""
    return bool(_name_words(a) & _name_words(b))


def _name_words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[\w’'-]{3,}", text)}


def _check_one(tagger: Tagger, where: str, factor: Factor, ev: Evidence) -> list[CitationFlag]:
    text = tagger.lines_text(ev.doc, ev.lines)
    if text is None:
        return []
    flags = []
    score, stance = tagger.stance(factor.id, text)
    if score < RELEVANCE_THRESHOLD:
        flags.append(
            CitationFlag(
                where,
                factor.id,
                ev.doc,
                ev.lines,
                "relevance",
                f"the lines score {score:.3f} against the factor (threshold "
                f"{RELEVANCE_THRESHOLD}); cite lines that discuss it",
            )
        )
    if ev.voice:
        span = ev.span
        spoken = voice_at(tagger.voice_spans(ev.doc), span.start, span.end)
        named = [s for s in spoken if s.role in ("expert", "official", "journalist", "moderator")]
        reported = _same_person(ev.voice, " ".join(re.findall(r"\b[A-Z][\w’'-]+", text)))
        if named and not reported and not any(_same_person(ev.voice, s.voice) for s in spoken):
            heard = ", ".join(sorted({f"{s.voice} ({s.role})" for s in named}))
            flags.append(
                CitationFlag(
                    where,
                    factor.id,
                    ev.doc,
                    ev.lines,
                    "voice",
                    f"attributed to {ev.voice!r} but the lines are spoken by {heard}",
                )
            )
    case_stance = "neutral" if ev.stance == "mentions" else ev.stance
    if case_stance == "supports" and stance == "contests":
        flags.append(
            CitationFlag(
                where,
                factor.id,
                ev.doc,
                ev.lines,
                "stance",
                f"the case says {ev.stance!r}; the lines read as {stance!r} (lexical cues)",
            )
        )
    return flags


def check_citations(case: Case, docs: Iterable[str | Path]) -> list[CitationFlag]:
    """Flag factor citations whose lines do not bear on the factor, whose voice is not
    the speaker of those lines, or whose stance disagrees with the lines' cues.

    ``docs`` are the folders (or files) holding the cited documents; citations of
    documents not found there are skipped (the validator reports missing files).
    """
    tagger = Tagger(case, load_documents(docs))
    flags: list[CitationFlag] = []
    for i, factor in enumerate(case.factors):
        for k, ev in enumerate(factor.evidence):
            flags += _check_one(tagger, f"factors[{i}].evidence[{k}]", factor, ev)
    return flags


SUGGEST_COLUMNS = ["factor", "citations", "doc", "lines", "score", "stance", "voice", "role"]


def suggest_evidence(
    case: Case, docs: Iterable[str | Path], *, per_factor: int = 2, max_citations: int = 2
) -> pd.DataFrame:
    """Evidence entries to consider for factors with at most ``max_citations`` citations.

    For each such factor, the ``per_factor`` most relevant passages not already cited
    (by document and overlapping lines), with the stance read from them:
    ``SUGGEST_COLUMNS``.  A suggestion is for a person to read and judge, not to
    paste into the case unread.
    """
    tagger = Tagger(case, load_documents(docs))
    keys = {file: key for key, file in tagger.files.items()}  # suggest as the case cites
    rows = []
    for factor in case.factors:
        if len(factor.evidence) > max_citations:
            continue
        cited = [(tagger.files.get(ev.doc, ev.doc), ev.span) for ev in factor.evidence]
        scored = sorted(
            ((tagger.relevance(factor.id, p.text), p) for p in tagger.passages),
            key=lambda x: -x[0],
        )
        taken = 0
        for score, p in scored:
            if taken >= per_factor or score < RELEVANCE_THRESHOLD:
                break
            if any(
                d == p.file and s.start <= p.line_end and s.end >= p.line_start for d, s in cited
            ):
                continue
            lines = (
                f"{p.line_start}-{p.line_end}" if p.line_end > p.line_start else str(p.line_start)
            )
            rows.append(
                {
                    "factor": factor.id,
                    "citations": len(factor.evidence),
                    "doc": keys.get(p.file, p.file),
                    "lines": lines,
                    "score": round(score, 4),
                    "stance": _stance_of(p.text, score, factor),
                    "voice": p.voice,
                    "role": p.role,
                }
            )
            taken += 1
    return pd.DataFrame(rows, columns=SUGGEST_COLUMNS)
