"""The building blocks a brief is made of.

Each section of the brief is a :class:`Section` holding a list of blocks.  A
block is plain data (text, a table, a chart, a download); the Jinja2 template
decides how each kind looks.  Keeping sections as data means the logic that
decides *what* to show lives in Python, is testable without HTML, and the
template stays dumb.  The brief's options (:class:`BriefOptions`) and its key
figures (:class:`Card`) live here too, so that ``report.brief`` (which renders) and
``report.assemble`` (which gathers) both import this module and not each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import pandas as pd

#: Called with the name of each step of the brief as it starts (a progress display).
StepCallback = Callable[[str], None]


@dataclass
class BriefOptions:
    """Knobs for the expensive parts of the brief (defaults suit a laptop)."""

    start: int = 1946
    end: int | None = None
    draws: int = 5_000
    seed: int = 1
    sobol_n: int = 256
    events_store: Path | None = None
    #: The date the brief states as its build date (default today); fixes staleness flags.
    build_date: dt.date | None = None
    #: "minimal" (the vendored partial plotly.js) or "full" (plotly's own bundle).
    bundle: str = "minimal"


@dataclass(frozen=True)
class Card:
    """A key figure shown at the top of the brief."""

    label: str
    value: str
    note: str
    #: Change over the last five years of data, e.g. "+3.1 pp since 2009".
    change: str = ""
    #: An inline SVG sparkline (generated from numbers only, never from input text).
    spark: str = ""


def card(label: str, value: Any, note: str) -> Card:
    """Build a card, formatting floats compactly.

    >>> card("CINC ratio", 3.14159, "2016").value
    '3.14'
    """
    text = f"{value:.3g}" if isinstance(value, float) else str(value)
    return Card(label=label, value=text, note=note)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (escaped when rendered)."""

    text: str
    tone: Literal["plain", "note", "warning"] = "plain"
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of plain-text items."""

    items: list[str]
    title: str | None = None
    kind: Literal["bullets"] = "bullets"


@dataclass(frozen=True)
class Table:
    """A table; cells are plain text and are escaped when rendered."""

    columns: list[str]
    rows: list[list[str]]
    caption: str | None = None
    title: str | None = None
    #: Render folded (an HTML <details> element) with the title as its summary.
    collapsed: bool = False
    kind: Literal["table"] = "table"

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        caption: str | None = None,
        digits: int = 3,
        title: str | None = None,
    ) -> Table:
        """Build a table from a frame, formatting numbers and showing NA for missing."""
        rows = [[_cell(v, digits) for v in row] for row in df.itertuples(index=False)]
        return cls(columns=[str(c) for c in df.columns], rows=rows, caption=caption, title=title)


@dataclass(frozen=True)
class Chart:
    """A Plotly chart (HTML fragment without plotly.js) with its provenance."""

    html: str
    title: str
    source_note: str = ""
    download: Download | None = None
    #: A sentence saying what the chart shows and its latest value (the text alternative).
    alt: str = ""
    #: The chart's data as a table, shown folded under the chart ("table view").
    table: Table | None = None
    kind: Literal["chart"] = "chart"


#: Characters a ``data:`` URI keeps as they are in an HTML attribute (RFC 3986 sub-delims
#: and unreserved, less ``'`` and ``&``, which the template would escape to entities).
_URI_SAFE = ",;:/?@=+$-_.!~*()"


@dataclass(frozen=True)
class Download:
    """A file the reader can download from the brief itself (a data: URI)."""

    filename: str
    data: bytes
    mime: str = "text/csv"
    kind: Literal["download"] = "download"

    @property
    def href(self) -> str:
        # Percent-encoded, not base64: CSV is mostly URL-safe text, so the link is a
        # fifth shorter than its base64 form (the page has a 2 MB budget).
        text = quote(self.data, safe=_URI_SAFE)
        return f"data:{self.mime};charset=utf-8,{text}"

    @classmethod
    def csv(cls, df: pd.DataFrame, filename: str) -> Download:
        return cls(filename=filename, data=df.to_csv(index=False, na_rep="NA").encode("utf-8"))


@dataclass(frozen=True)
class KeyPoints:
    """Numbered statements, each linking to the part of the brief that carries its evidence.

    ``items`` are ``(text, href, source)``: ``href`` is an in-page anchor (``#ind-unga``).
    """

    items: list[tuple[str, str, str]]
    title: str | None = None
    kind: Literal["keypoints"] = "keypoints"


Block = Paragraph | Bullets | Table | Chart | Download | KeyPoints


@dataclass
class Section:
    """One numbered section of the brief."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    lead: str | None = None

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


def _cell(value: object, digits: int) -> str:
    if value is None or value is pd.NA:
        return "NA"
    if isinstance(value, float):
        if value != value:
            return "NA"
        if value.is_integer() and abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    return str(value)
