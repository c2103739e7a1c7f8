"""Read source documents (plain text, Markdown, HTML, PDF) into numbered lines and metadata.

A document is cited as ``file name:line range``, so every reader here keeps the
line numbering an editor (or ``grep -n``) shows: Markdown front matter, for
instance, is read as metadata but its lines still count.  Analysis (search,
figures) works on *re-flowed* text — hard-wrapped lines joined, words broken by a
hyphen at a line end mended — but every passage and figure keeps the original
line numbers (:func:`reflow`).

Metadata comes, in this order of precedence, from a ``metadata.json`` beside the
files (a list of objects with ``file``, ``title``, ``issuer``, ``date``, ``url``,
``licence``), the Markdown front matter (``title``, ``date``, ``source_url`` or
``url``), and finally the first non-blank line as a title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dyadscope.errors import DocumentError, MissingExtra

__all__ = [
    "FORMATS",
    "DocumentError",
    "MissingExtra",
    "SourceDocument",
    "read_document",
    "read_metadata_json",
    "reflow",
]

#: Suffixes read, and the format each is read as.
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

#: Largest document read, in bytes.
MAX_DOCUMENT_BYTES = 20_000_000


@dataclass(frozen=True)
class SourceDocument:
    """One document: its numbered lines (1-based when cited) and what is known about it."""

    file: str
    path: str
    format: str
    lines: tuple[str, ...]
    sha256: str
    title: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    url: str | None = None
    licence: str | None = None
    author: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def doc_id(self) -> str:
        """A stable id: the first 16 hex digits of the SHA-256 of the file's bytes."""
        return self.sha256[:16]

    @property
    def year(self) -> int | None:
        """The year of the document's date, if it has one."""
        return self.date.year if self.date else None


def _split_lines(text: str) -> tuple[str, ...]:
    """Lines as editors number them (split on ``\\n`` only; see case.references.read_lines)."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if text.endswith("\n") or not text:
        lines = lines[:-1]
    return tuple(lines)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"{path}: line {line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None


def _to_date(value: Any, path: Path, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DocumentError(
            f"{path}: {what} 'date' is {value!r}, not a date; write it as YYYY-MM-DD"
        ) from None


def _front_matter(path: Path, lines: tuple[str, ...]) -> dict[str, Any]:
    """The YAML front matter of a Markdown file (between ``---`` lines), or ``{}``.

    >>> _front_matter(Path("n.md"), ("---", "title: A note", "date: 2024-01-02", "---", "Body"))
    {'title': 'A note', 'date': datetime.date(2024, 1, 2)}
    """
    if not lines or lines[0].strip() != "---":
        return {}
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise DocumentError(f"{path}: line 1: front matter opened by '---' is never closed")
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark else ""
        raise DocumentError(f"{path}: {where}malformed front matter: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError(f"{path}: line 2: front matter must be a mapping of fields")
    return data


def read_metadata_json(folder: Path) -> dict[str, dict[str, Any]]:
    """``metadata.json`` beside the documents as ``{file name: record}`` (``{}`` when absent)."""
    path = folder / "metadata.json"
    if not path.is_file():
        return {}
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: not valid JSON ({exc}); fix or remove it") from None
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and isinstance(r.get("file"), str) for r in records
    ):
        raise DocumentError(f"{path}: expected a list of objects, each with a 'file' field")
    return {r["file"]: r for r in records}


def _html_lines(path: Path, text: str) -> tuple[str, ...]:
    try:
        import trafilatura  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise MissingExtra(
            f"{path}: reading HTML needs trafilatura; install the 'documents' extra "
            "(pip install 'dyadscope[documents]')"
        ) from None
    extracted = trafilatura.extract(text, include_comments=False, include_tables=True)
    if not extracted:
        raise DocumentError(f"{path}: no main text found in the HTML page")
    return _split_lines(str(extracted))


def _pdf_lines(path: Path) -> tuple[str, ...]:
    try:
        import pypdf  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise MissingExtra(
            f"{path}: reading PDF needs pypdf; install the 'documents' extra "
            "(pip install 'dyadscope[documents]')"
        ) from None
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for a damaged file
        raise DocumentError(f"{path}: cannot read the PDF ({exc})") from None
    return _split_lines("\n".join(pages))


def _author(issuer: str | None) -> str | None:
    """The author named in an issuer string (``'…, author Vladimir Putin'``)."""
    if issuer and (m := re.search(r"\bauthor ([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){0,3})", issuer)):
        return m.group(1)
    return None


def read_document(
    path: str | Path, metadata: dict[str, dict[str, Any]] | None = None
) -> SourceDocument:
    """Read one document; ``metadata`` is :func:`read_metadata_json` of its folder.

    Raises :class:`DocumentError` (or :class:`MissingExtra`) naming the file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "note.md"
    >>> _ = p.write_text("---\\ntitle: A note\\ndate: 2024-01-02\\n---\\nBody.\\n")
    >>> doc = read_document(p)
    >>> doc.title, doc.date.isoformat(), doc.lines[-1]
    ('A note', '2024-01-02', 'Body.')
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise DocumentError(f"{path}: unknown document format {path.suffix!r}; known: {known}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{path}: larger than {MAX_DOCUMENT_BYTES} bytes; split it")
    sha = hashlib.sha256(data).hexdigest()
    front: dict[str, Any] = {}
    if fmt == "pdf":
        lines = _pdf_lines(path)
    else:
        text = _decode(path, data)
        if "\x00" in text:
            raise DocumentError(f"{path}: contains NUL bytes; not a text document")
        if fmt == "html":
            lines = _html_lines(path, text)
        else:
            lines = _split_lines(text)
            if fmt == "markdown":
                front = _front_matter(path, lines)
    record = (metadata or {}).get(path.name, {})

    def pick(*keys: str, source: dict[str, Any]) -> str | None:
        for key in keys:
            value = source.get(key)
            if value not in (None, ""):
                return " ".join(str(value).split())
        return None

    title = pick("title", source=record) or pick("title", source=front)
    if title is None:
        title = next((ln.strip() for ln in lines if ln.strip() and ln.strip() != "---"), None)
    date = _to_date(record.get("date"), path, "metadata.json") or _to_date(
        front.get("date"), path, "front matter"
    )
    issuer = pick("issuer", "publisher", source=record) or pick("issuer", "publisher", source=front)
    return SourceDocument(
        file=path.name,
        path=str(path),
        format=fmt,
        lines=lines,
        sha256=sha,
        title=title,
        issuer=issuer,
        date=date,
        url=pick("url", "source_url", source=record) or pick("url", "source_url", source=front),
        licence=pick("licence", "license", source=record)
        or pick("licence", "license", source=front),
        author=_author(issuer) or pick("author", source=front),
        extra={"facts": record.get("facts")} if record.get("facts") else {},
    )


def front_matter_end(lines: tuple[str, ...]) -> int:
    """Number of leading lines that are front matter (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return end + 1
    return 0


def reflow(lines: tuple[str, ...] | list[str]) -> str:
    """Hard-wrapped lines joined into running text, words split by a line-end hyphen mended.

    The caller keeps the line range, so the result is for analysis only.

    >>> reflow(["The trade tar-", "get was raised.", "", "Next."])
    'The trade target was raised. Next.'
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out
