"""Who speaks where: attribute every line of a document to a voice and a role.

Documents about a dyad mix voices — an editor's introduction, experts answering in
turn, officials and reporters in a transcript, a caption under a photo, an
official quoted inside an analyst's essay.  A citation is only as good as its
attribution, so this module reads the structure the texts themselves carry:

* **speaker turns** — ``MODERATOR:``, ``SENIOR ADMINISTRATION OFFICIAL:``,
  ``MR. KIRBY:``, ``Q`` (a reporter's question), and mixed-case turns such as
  ``Vladimir Putin:`` which scraped transcripts run into the middle of a line;
* **expert headers** — a line giving a person's name then their affiliation
  (``Name Surname, Professor …``), when a document has at least two of them;
* **captions** — lines with ``Photo:`` or ``Photo by``;
* **quoted officials** — a quotation followed by ``… Putin said`` inside other text;
* everything else is the document's **author** (an essay, a statement) or,
  in a document with turns or expert headers, **editorial** text.

Roles: ``expert, official, journalist, moderator, author, editorial, caption, quoted``.
A turn starting mid-line ends the previous span on that same line, so two spans
may share one line; otherwise spans never overlap and never start or end on a
blank line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from dyadscope.evidence.documents import SourceDocument, front_matter_end

__all__ = ["ROLES", "VoiceSpan", "detect_voices", "voice_at"]

ROLES = (
    "expert",
    "official",
    "journalist",
    "moderator",
    "author",
    "editorial",
    "caption",
    "quoted",
)


@dataclass(frozen=True)
class VoiceSpan:
    """Lines ``line_start``–``line_end`` (1-based, inclusive) spoken by ``voice`` as ``role``."""

    doc: str
    line_start: int
    line_end: int
    voice: str
    role: str


# An all-capitals turn at the start of a line: MODERATOR:, MR. KIRBY:, SENIOR ... OFFICIAL:
_UPPER_TURN = re.compile(
    r"^\s*(?:\*\*)?((?:MR|MS|MRS|DR|GEN|ADM)\.\s[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+)?|"
    r"[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+){0,4})(?:\*\*)?:(?:\*\*)?\s"
)
# A reporter's question in a White House transcript: "Q    Thank you."
_QUESTION = re.compile(r"^\s*(?:\*\*)?Q(?:\*\*)?(?:\s{2,}|:\s|\.\s|$)")
# A mixed-case turn: "Vladimir Putin: …", "… Shen Haixiong(retranslated): …"
_MIXED_TURN = re.compile(
    r"(?:^|(?<=[.?!\"”)*])\s|(?<=\s\s))"
    r"((?:[A-Z][\w’'-]+|of|the)(?:\s(?:[A-Z][\w’'-]+|of|the)){1,7})"
    r"\s?(?:\((?:retranslated|translated)\))?:\s?(?=[A-Z\"“])"
)
_MARKED_TURN = re.compile(
    r"((?:[A-Z][\w’'-]+\s){0,2}[A-Z][\w’'-]+\s[A-Z][\w’'-]+)\s?\((?:re)?translated\):"
)
_EXPERT_HEADER = re.compile(r"^\s*([A-Z][\w’'.-]+(?:\s[A-Z][\w’'.-]+){1,2}),\s+(.+)$")
_AFFILIATION = re.compile(
    r"\b(?:Professor|professor|Director|director|Fellow|fellow|Research|research|University|"
    r"Institute|Council|Ambassador|candidate|analyst|Analyst|Center|Centre|Academy|School)\b"
)
_NOT_HEADER = re.compile(r"\b(?:said|says|told|stated|noted|argued|according|Photo)\b")
_CAPTION = re.compile(r"\bPhoto(?::|\s+by\b)|^\s*(?:Source|Caption):", re.IGNORECASE)
_QUOTED = re.compile(
    r"[”\"],?\s+((?:[A-Z][\w’'-]+\s){0,3}[A-Z][\w’'-]+)\s+(?:said|says|stated|told|noted|added)\b"
)
_JOURNALIST = re.compile(r"\b(?:Media|Editor|editor|journalist|Journalist|reporter|Reporter|Q)\b")
_MODERATOR = re.compile(r"^(?:MODERATOR|OPERATOR)$")
_NOT_SPEAKERS = frozenset(
    {"Note", "Photo", "Source", "Caption", "Preamble", "Summary", "Background", "Via"}
)


@dataclass(frozen=True)
class _Change:
    line: int  # 0-based index of the line where the voice starts
    midline: bool  # the turn starts after other text on that line
    voice: str
    role: str
    single: bool = False  # a one-line overlay (caption, quotation): the voice before resumes


def _turn_role(name: str) -> str:
    if _MODERATOR.match(name):
        return "moderator"
    if name == "Q" or _JOURNALIST.search(name):
        return "journalist"
    return "official"


def _clean_name(name: str) -> str:
    return " ".join(name.replace("*", "").split())


def _line_index(lines: tuple[str, ...], start: int) -> tuple[str, list[int]]:
    """The lines from ``start`` joined by spaces, and the offset where each begins."""
    offsets, pos = [], 0
    for line in lines[start:]:
        offsets.append(pos)
        pos += len(line) + 1
    return " ".join(lines[start:]), offsets


def _short_name(name: str) -> str:
    """``President of Russia Vladimir Putin`` -> ``Vladimir Putin`` (the person, not the post).

    >>> _short_name("President of Russia Vladimir Putin")
    'Vladimir Putin'
    """
    words = name.split()
    return " ".join(words[-2:]) if len(words) > 2 else name


def _mixed_turns(lines: tuple[str, ...], start: int) -> list[_Change]:
    """Mixed-case turns found in the running text (a name may be split across two lines)."""
    text, offsets = _line_index(lines, start)
    found: dict[int, tuple[_Change, str, bool]] = {}
    for pattern in (_MIXED_TURN, _MARKED_TURN):
        for m in pattern.finditer(text):
            name = _clean_name(m.group(1))
            words = name.split()
            if words[0] in _NOT_SPEAKERS or not words[-1][:1].isupper():
                continue
            at = m.end(1)  # keyed by where the name ends: both patterns may find one turn
            if at in found:
                continue
            begin = m.start(1)
            k = bisect.bisect_right(offsets, begin) - 1
            change = _Change(start + k, begin > offsets[k], _short_name(name), _turn_role(name))
            found[at] = (change, words[-1], "translated)" in m.group(0))
    counts: dict[str, int] = {}
    journalists = set()
    for change, surname, _ in found.values():
        counts[surname] = counts.get(surname, 0) + 1
        if change.role == "journalist":
            journalists.add(surname)
    any_marked = any(marked for _, _, marked in found.values())
    return sorted(
        (
            _Change(c.line, c.midline, c.voice, "journalist") if surname in journalists else c
            for c, surname, marked in found.values()
            if marked or any_marked or counts[surname] > 1
        ),
        key=lambda c: (c.line, c.midline),
    )


def _turns(lines: tuple[str, ...], start: int) -> list[_Change]:
    changes: list[_Change] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if _QUESTION.match(line):
            changes.append(_Change(i, False, "Q", "journalist"))
        elif (m := _UPPER_TURN.match(line)) and len(_clean_name(m.group(1))) > 2:
            name = _clean_name(m.group(1))
            changes.append(_Change(i, False, name, _turn_role(name)))
    return changes or _mixed_turns(lines, start)


def _expert_headers(lines: tuple[str, ...], start: int) -> list[_Change]:
    found = []
    for i in range(start, len(lines)):
        line = lines[i]
        if len(line) > 320 or _NOT_HEADER.search(line):
            continue
        m = _EXPERT_HEADER.match(line)
        if m and _AFFILIATION.search(m.group(2)):
            found.append(_Change(i, False, m.group(1), "expert"))
    return found if len(found) >= 2 else []


def _overlays(lines: tuple[str, ...], start: int) -> list[_Change]:
    found = []
    for i in range(start, len(lines)):
        line = lines[i]
        if _CAPTION.search(line):
            found.append(_Change(i, False, "caption", "caption", single=True))
        elif m := _QUOTED.search(line):
            found.append(_Change(i, False, m.group(1), "quoted", single=True))
    return found


def detect_voices(doc: SourceDocument) -> list[VoiceSpan]:
    """Spans of the document's lines, each with its voice and role, in line order.

    >>> from dyadscope.evidence.documents import SourceDocument
    >>> lines = ("Intro.", "", "MODERATOR:  Welcome.", "", "Q    Will it last?", "",
    ...          "MR. SMITH:  It will.")
    >>> doc = SourceDocument("t.txt", "t.txt", "text", lines, "0" * 64)
    >>> [(s.line_start, s.line_end, s.voice, s.role) for s in detect_voices(doc)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(1, 1, 'editorial', 'editorial'), (3, 3, 'MODERATOR', 'moderator'),
     (5, 5, 'Q', 'journalist'), (7, 7, 'MR. SMITH', 'official')]
    """
    lines = doc.lines
    start = front_matter_end(lines)
    structure = _turns(lines, start)
    if not structure:
        structure = _expert_headers(lines, start)
    if structure:
        base = _Change(start, False, "editorial", "editorial")
    else:
        base = _Change(start, False, doc.author or doc.issuer or "author", "author")
    singles = {c.line: c for c in _overlays(lines, start)}
    turn_lines = {c.line for c in structure}
    changes = [base, *structure]
    changes += [c for line, c in singles.items() if line not in turn_lines]
    changes.sort(key=lambda c: (c.line, c.midline))

    spans: list[VoiceSpan] = []
    current = base
    n = len(changes)
    for k, change in enumerate(changes):
        if change.single:
            _emit(spans, doc, lines, change.line, change.line, change)
            if k + 1 < n and changes[k + 1].line == change.line + 1:
                continue
            following = changes[k + 1].line if k + 1 < n else len(lines)
            nxt = changes[k + 1] if k + 1 < n else None
            end = following if (nxt and nxt.midline) else following - 1
            _emit(spans, doc, lines, change.line + 1, end, current)
            continue
        current = change
        nxt = changes[k + 1] if k + 1 < n else None
        end = len(lines) - 1 if nxt is None else nxt.line - (0 if nxt.midline else 1)
        _emit(spans, doc, lines, change.line, end, change)
    return spans


def _emit(
    spans: list[VoiceSpan], doc: SourceDocument, lines: tuple[str, ...], a: int, b: int, c: _Change
) -> None:
    """Append lines ``a``..``b`` (0-based) trimmed of blank lines, if any text is left."""
    while a <= b and not lines[a].strip():
        a += 1
    while b >= a and not lines[b].strip():
        b -= 1
    if a > b:
        return
    if spans and spans[-1].voice == c.voice and spans[-1].role == c.role:
        last = spans.pop()
        a = min(a, last.line_start - 1)
    spans.append(VoiceSpan(doc.file, a + 1, b + 1, c.voice, c.role))


def voice_at(spans: list[VoiceSpan], line_start: int, line_end: int) -> list[VoiceSpan]:
    """The spans that share at least one line with ``line_start``–``line_end``.

    >>> s = [VoiceSpan("d", 1, 3, "A", "expert"), VoiceSpan("d", 5, 9, "B", "expert")]
    >>> [v.voice for v in voice_at(s, 3, 5)]
    ['A', 'B']
    """
    return [s for s in spans if s.line_start <= line_end and s.line_end >= line_start]
