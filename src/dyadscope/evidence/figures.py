"""Figures stated in documents — money, shares, volumes, counts — and the year each is for.

Each figure is normalised to one unit per measure, so figures from different
documents can be compared with each other and with the datasets:

| measure | unit | from |
|---|---|---|
| ``money_usd`` | US$ million | ``US$140 bn``, ``$400 billion``, ``38.75 billion USD`` |
| ``money_cny`` | yuan million | ``100 billion yuan`` (no exchange rate is applied) |
| ``money_rub`` | rouble million | ``5 trillion roubles`` |
| ``share`` | percent | ``20%``, ``15 per cent`` |
| ``gas_volume`` | bcm a year | ``38 bcm``, ``38 billion cubic metres`` |
| ``oil_volume`` | Mt a year | ``30 million tonnes``; ``barrels per day`` × 365 × 0.1364 t |
| ``count`` | count | ``65 projects``, ``500 events`` |

The year: the nearest year (1950–2100) written in the same sentence, preferring one
before the figure ("in 2021, trade reached …"), else the document's own year.
Line numbers are the document's; a figure broken across two lines is found on the
running text and reported on the line where it starts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import pandas as pd

from dyadscope.evidence.documents import SourceDocument, front_matter_end

__all__ = ["FIGURE_COLUMNS", "Figure", "check_figures", "extract_figures"]

FIGURE_COLUMNS = ["doc", "line", "value", "unit", "measure", "year", "context"]

_SCALE = {
    "trillion": 1e6,
    "tn": 1e6,
    "billion": 1e3,
    "bn": 1e3,
    "bln": 1e3,
    "million": 1.0,
    "mn": 1.0,
    "mln": 1.0,
    "m": 1.0,
    "b": 1e3,
    "t": 1e6,
    "thousand": 1e-3,
    None: 1e-6,
}
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_MULT = r"(?:\s*(trillion|billion|million|thousand|bn|bln|mn|mln|tn|m|B|M|T)\b)?"
_MONEY_PRE = re.compile(r"(US\$|USD\s?|\$|¥|RMB\s?|CNY\s?)\s?" + _NUM + _MULT)
_MONEY_POST = re.compile(
    _NUM + _MULT + r"\s?(US dollars|U\.S\. dollars|dollars|USD|yuan|renminbi|RMB|roubles|rubles)\b"
)
_PERCENT = re.compile(_NUM + r"\s?(%|per ?cent\b|percent\b)")
_GAS = re.compile(_NUM + _MULT + r"\s?(bcm|cubic met(?:re|er)s)\b")
_OIL_T = re.compile(_NUM + _MULT + r"\s?(tonnes|tons)\b(?=[^.]{0,40}\boil\b)")
_OIL_B = re.compile(_NUM + _MULT + r"\s?(barrels per day|bpd|b/d)\b")
_COUNT = re.compile(
    r"(?<![\d.,$])(\d{1,3}(?:,\d{3})+|\d+)\s(projects|agreements|documents|contracts|events|"
    r"companies|enterprises|countries|units|exercises|deals)\b"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|2100)\b")
_SENTENCE_END = re.compile(r"[.!?;](?=\s+[A-Z\"“(])")
_CURRENCY = {
    "US$": "usd",
    "USD": "usd",
    "$": "usd",
    "US dollars": "usd",
    "U.S. dollars": "usd",
    "dollars": "usd",
    "¥": "cny",
    "RMB": "cny",
    "CNY": "cny",
    "yuan": "cny",
    "renminbi": "cny",
    "roubles": "rub",
    "rubles": "rub",
}
_MONEY_UNITS = {"usd": "US$ million", "cny": "yuan million", "rub": "rouble million"}
#: Tonnes of crude oil in one barrel (a common average; 7.33 barrels a tonne).
TONNES_PER_BARREL = 0.1364


@dataclass(frozen=True)
class Figure:
    """A number a document states, normalised (``value`` in ``unit``)."""

    doc: str
    line: int
    value: float
    unit: str
    measure: str
    year: int | None
    context: str

    def row(self) -> dict[str, object]:
        """The figure as one row of :data:`FIGURE_COLUMNS`."""
        return {c: getattr(self, c) for c in FIGURE_COLUMNS}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around ``text[start:end]``."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    return begin, (after.start() + 1 if after else len(text))


def _year_for(text: str, start: int, end: int, default: int | None) -> int | None:
    a, b = _sentence(text, start, end)
    before = [m for m in _YEAR.finditer(text, a, start)]
    if before:
        return int(before[-1].group(0))
    after = _YEAR.search(text, end, b)
    return int(after.group(0)) if after else default


def _matches(text: str) -> list[tuple[int, int, float, str, str]]:
    """``(start, end, value, unit, measure)`` of each figure in running ``text``."""
    found: list[tuple[int, int, float, str, str]] = []
    for m in _MONEY_PRE.finditer(text):
        currency = _CURRENCY[m.group(1).strip()]
        value = _number(m.group(2)) * _SCALE[m.group(3).lower() if m.group(3) else None]
        found.append((m.start(), m.end(), value, _MONEY_UNITS[currency], f"money_{currency}"))
    for m in _MONEY_POST.finditer(text):
        currency = _CURRENCY[m.group(3)]
        value = _number(m.group(1)) * _SCALE[m.group(2).lower() if m.group(2) else None]
        found.append((m.start(), m.end(), value, _MONEY_UNITS[currency], f"money_{currency}"))
    for m in _PERCENT.finditer(text):
        found.append((m.start(), m.end(), _number(m.group(1)), "percent", "share"))
    for m in _GAS.finditer(text):
        scale = _SCALE[m.group(2).lower()] * 1e-3 if m.group(2) else 1.0
        if m.group(3) != "bcm" and not m.group(2):
            scale = 1e-9
        found.append((m.start(), m.end(), _number(m.group(1)) * scale, "bcm", "gas_volume"))
    for m in _OIL_T.finditer(text):
        value = _number(m.group(1)) * _SCALE[m.group(2).lower() if m.group(2) else None]
        found.append((m.start(), m.end(), value, "Mt", "oil_volume"))
    for m in _OIL_B.finditer(text):
        barrels = _number(m.group(1)) * _SCALE[m.group(2).lower() if m.group(2) else None] * 1e6
        value = barrels * 365 * TONNES_PER_BARREL / 1e6
        found.append((m.start(), m.end(), round(value, 3), "Mt", "oil_volume"))
    for m in _COUNT.finditer(text):
        found.append((m.start(), m.end(), _number(m.group(1)), "count", f"count_{m.group(2)}"))
    # One figure per place: the longest match wins where two overlap (US$ 5 bn vs 5 bn).
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, float, str, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        kept.append(f)
    return kept


def extract_figures(doc: SourceDocument) -> list[Figure]:
    """Every figure stated in ``doc``, in order.

    >>> from dyadscope.evidence.documents import SourceDocument
    >>> lines = ("In 2021 trade rose to US$140 bn, up 35%.", "Gas: 38 bcm by 2025.")
    >>> doc = SourceDocument("d.txt", "d.txt", "text", lines, "0" * 64)
    >>> [(f.line, f.value, f.unit, f.year) for f in extract_figures(doc)]
    [(1, 140000.0, 'US$ million', 2021), (1, 35.0, 'percent', 2021), (2, 38.0, 'bcm', 2025)]
    """
    start = front_matter_end(doc.lines)
    body = doc.lines[start:]
    offsets, pos = [], 0
    for line in body:
        offsets.append(pos)
        pos += len(line) + 1
    text = " ".join(body)
    figures = []
    for a, b, value, unit, measure in _matches(text):
        k = bisect.bisect_right(offsets, a) - 1
        s, e = _sentence(text, a, b)
        context = " ".join(text[max(s, a - 80) : min(e, b + 80)].split())
        year = _year_for(text, a, b, doc.year)
        figures.append(Figure(doc.file, start + k + 1, value, unit, measure, year, context))
    return figures


# --- checking figures against the data ----------------------------------------------------

_TRADE_WORDS = re.compile(r"\b(trade|turnover|bilateral trade)\b", re.IGNORECASE)
_NOT_TRADE = re.compile(
    r"\b(balance|surplus|deficit|invest\w*|worth|loans?|credit|reserves?|GDP)\b", re.IGNORECASE
)
_ARMS_WORDS = re.compile(r"\b(arms|weapons|military equipment)\b", re.IGNORECASE)
_MILEX_WORDS = re.compile(r"\b(military (spending|expenditure|budget)|defen[cs]e budget)\b", re.I)


def _indicator_for(measure: str, context: str) -> str | None:
    """The dataset indicator a figure maps onto, by its measure and the words around it."""
    if measure == "money_usd" and _TRADE_WORDS.search(context) and not _NOT_TRADE.search(context):
        return "trade_total"
    if measure == "share" and _ARMS_WORDS.search(context):
        return "arms_share_b_from_a"
    if measure == "money_usd" and _MILEX_WORDS.search(context):
        return "milex_a"
    return None


def check_figures(
    figures: pd.DataFrame,
    a: str = "RUS",
    b: str = "CHN",
    store: object | None = None,
) -> pd.DataFrame:
    """Add ``indicator, dataset, dataset_value, gap`` to a figures frame.

    A figure maps onto an indicator by its measure and words around it (trade totals
    in US$, arms shares, military spending); ``dataset_value`` is what
    :func:`dyadscope.indicators.compute` gives for the dyad ``a``–``b`` and the
    figure's year (COW trade first, IMF DOTS for years COW does not cover), in the
    figure's unit; ``gap = value - dataset_value``.  Figures without a counterpart
    stay in the frame with those columns empty; ``dataset`` then says why.
    """
    from dyadscope.data.store import Store, vendored_store
    from dyadscope.indicators import compute

    db = store if isinstance(store, Store) else vendored_store()
    out = figures.copy()
    indicators = [_indicator_for(m, c) for m, c in zip(out["measure"], out["context"], strict=True)]
    years = [int(y) for y, i in zip(out["year"], indicators, strict=True) if i and pd.notna(y)]
    values: dict[tuple[str, int], tuple[float, str]] = {}
    if years:
        lo, hi = min(years), max(years)
        for source in ("dots", "cow"):
            frame = compute(db, a, b, lo, hi, trade_source=source).dropna(subset=["value"])
            for ind, yr, val, src in zip(
                frame["indicator"].tolist(),
                frame["year"].tolist(),
                frame["value"].tolist(),
                frame["source"].tolist(),
                strict=True,
            ):
                values[(str(ind), int(yr))] = (float(val), str(src))
    datasets, dataset_values, gaps = [], [], []
    for indicator, year, value in zip(indicators, out["year"], out["value"], strict=True):
        hit = values.get((indicator, int(year))) if indicator and pd.notna(year) else None
        if indicator is None:
            datasets.append("no counterpart")
            dataset_values.append(float("nan"))
            gaps.append(float("nan"))
        elif hit is None:
            said = f"for {int(year)}" if pd.notna(year) else "without a year"
            datasets.append(f"{indicator}: no data {said}")
            dataset_values.append(float("nan"))
            gaps.append(float("nan"))
        else:
            scale = 100.0 if indicator.startswith("arms_share") else 1.0
            datasets.append(f"{indicator} ({hit[1].split(' (')[0].split(',')[0]})")
            dataset_values.append(hit[0] * scale)
            gaps.append(float(value) - hit[0] * scale)
    out["indicator"] = indicators
    out["dataset"] = datasets
    out["dataset_value"] = dataset_values
    out["gap"] = gaps
    return out
