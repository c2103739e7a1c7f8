"""The brief's structure against a committed snapshot, and no raw identifiers in its text.

The snapshot (``snapshots/brief_structure.json``) holds the section ids, the h1–h3
headings in document order and the charts of the Russia–China brief built with fixed
options. A change to any of them fails here until the snapshot is rewritten on
purpose, after reading the diff::

    DYADSCOPE_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/report/test_brief_structure.py

The page is parsed with the standard library's HTML parser: only text a reader sees
counts (not attributes, scripts or styles).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dyadscope.case import load_case
from dyadscope.report.brief import BriefOptions, build_brief
from dyadscope.scenario.section import BRIEF_SOBOL_N

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "brief_structure.json"
UPDATE = os.environ.get("DYADSCOPE_UPDATE_SNAPSHOTS") == "1"
# The brief's own (fixed) Sobol sample: at 64 base points no index is distinguishable.
OPTIONS = BriefOptions(draws=500, sobol_n=BRIEF_SOBOL_N, seed=3)
#: A snake_case identifier (``cinc_a``, ``delta_star_minus``): a word with an underscore.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: File names a reader is meant to see (download links such as ``rus_chn_trade.csv``).
FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|json|txt|md|html|parquet|yaml)\b")
#: Upstream table names cited as such ("via peacesciencer td_rivalries").
CITED_TABLE = re.compile(r"\bpeacesciencer \w+")


@dataclass
class Page:
    """What a reader of the brief sees: sections, headings, charts and visible text."""

    sections: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def structure(self) -> dict[str, object]:
        return {
            "sections": self.sections,
            "headings": self.headings,
            "chart_count": len(self.charts),
            "charts": self.charts,
        }


class _Reader(HTMLParser):
    """Collects a :class:`Page`; text inside ``script`` and ``style`` is not visible."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._hidden = 0
        self._heading: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id") or ""
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "section" and ident:
            self.page.sections.append(ident)
        elif tag in ("h1", "h2", "h3"):
            self._heading, self._buffer = tag, []
        if ident.startswith("chart-"):
            self.page.charts.append(ident)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        elif tag == self._heading:
            text = " ".join("".join(self._buffer).split())
            self.page.headings.append(f"{tag}: {text}")
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.page.text.append(data)
        if self._heading:
            self._buffer.append(data)


def read_page(html: str) -> Page:
    """Parse ``html`` into the :class:`Page` a reader sees."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    out = tmp_path_factory.mktemp("brief-structure") / "brief.html"
    build_brief("RUS", "CHN", output=out, options=OPTIONS)
    return read_page(out.read_text(encoding="utf-8"))


def test_reader_sees_only_visible_text() -> None:
    """A worked example: headings, sections and charts found; script text and ids unseen."""
    page = read_page(
        '<section id="s1"><h2>1.<span>Sum</span>  mary</h2><div id="chart-x" data-k="a_b">'
        "</div><script>var cinc_a = 1;</script><p>Shares &amp; more</p></section>"
    )
    assert page.structure() == {
        "sections": ["s1"],
        "headings": ["h2: 1.Sum mary"],
        "chart_count": 1,
        "charts": ["chart-x"],
    }
    assert "".join(page.text) == "1.Sum  maryShares & more"


def test_structure_matches_the_snapshot(page: Page) -> None:
    got = page.structure()
    if UPDATE:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got["sections"] == expected["sections"]
    assert got["headings"] == expected["headings"]
    assert got["chart_count"] == expected["chart_count"] == len(expected["charts"])
    assert got["charts"] == expected["charts"]


def _raw_identifiers(page: Page) -> list[str]:
    """snake_case words and case factor ids in the visible text (file names aside)."""
    text = CITED_TABLE.sub(" ", FILE_NAME.sub(" ", " ".join(page.text)))
    found = set(SNAKE.findall(text))
    # Single-word ids ("estrangement") are ordinary English words in prose.
    found |= {
        f.id
        for f in load_case().factors
        if "_" in f.id and re.search(rf"\b{re.escape(f.id)}\b", text)
    }
    return sorted(found)


def test_raw_identifier_check_finds_leftovers() -> None:
    """The check itself: ids are found in prose, not in file names or attributes."""
    page = read_page(
        '<p data-x="coop_ab">Cooperation (coop_ab) rose; see rus_chn_trade.csv and'
        " us_sanctions_pressure.</p>"
    )
    assert _raw_identifiers(page) == ["coop_ab", "us_sanctions_pressure"]


def test_no_raw_identifiers_in_visible_text(page: Page) -> None:
    assert _raw_identifiers(page) == []
