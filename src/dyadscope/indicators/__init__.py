"""Dyad-year indicators for any pair of states, computed inside DuckDB.

One module per family (``capability``, ``trade``, ``unga``, ``arms``, ``alliances``);
each declares its indicators once and computes them with SQL over the store's
canonical tables. This module assembles them:

* :func:`compute` — the tidy frame ``a, b, year, indicator, value, source``;
* :func:`dyad_years` — the same, joined wide (one row per dyad-year, peacesciencer-style);
* :func:`coverage` — first and last year an indicator has a value for a dyad;
* :func:`unga_agreement_matrix` — UNGA agreement for every pair of states;
* :data:`INDICATORS` / :data:`FAMILIES` — the registry with each indicator's metadata.

The module is callable: ``dyadscope.indicators("RUS", "CHN")`` is
:func:`dyadscope.api.indicators` (any spelling, the vendored store by default).

Missing is NA, never 0: a year outside a dataset's coverage, a dyad a vendored
extract does not hold, or a flow nobody reported gives NaN, and the frame's
``attrs["notes"]`` says why where the reason is not obvious.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from dyadscope._callable import make_callable
from dyadscope.errors import DyadscopeError, InputError
from dyadscope.indicators import (
    alliances,
    arms,
    capability,
    economy,
    energy,
    rivalry,
    trade,
    unga,
)
from dyadscope.indicators._base import (
    Align,
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    TradeSource,
    empty_result,
)
from dyadscope.indicators.unga import unga_agreement_matrix

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "FAMILIES",
    "INDICATORS",
    "Family",
    "Indicator",
    "citations",
    "compute",
    "coverage",
    "dyad_years",
    "family_frames",
    "indicator_table",
    "to_wide",
    "unga_agreement_matrix",
]

#: Every family, in display order, by name.
FAMILIES: dict[str, Family] = {
    fam.name: fam
    for module in (capability, economy, trade, energy, unga, arms, alliances, rivalry)
    for fam in module.FAMILIES
}

#: Every indicator by id, in display order.
INDICATORS: dict[str, Indicator] = {
    ind.id: ind for fam in FAMILIES.values() for ind in fam.indicators
}

TIDY_COLUMNS = ["a", "b", "year", "indicator", "value", "source"]

#: Earliest year :func:`coverage` looks at (no dataset here starts earlier).
_FIRST_YEAR = 1800


def indicator_table() -> pd.DataFrame:
    """The registry as a frame: id, family, description, unit, directed, source, …

    >>> indicator_table().set_index("id").loc["trade_share_a", "unit"]
    'share (0-1)'
    """
    return pd.DataFrame([ind.as_record() for ind in INDICATORS.values()])


def citations(used: Iterable[str] | pd.DataFrame) -> list[str]:
    """Citations of the datasets behind some indicators, like peacesciencer's ``ps_cite``.

    ``used`` is a list of indicator ids, or a frame from :func:`compute` (its
    ``indicator`` column) or :func:`dyad_years` (its indicator columns).

    >>> citations(["cinc_a"])[0].startswith("Singer")
    True
    """
    from dyadscope.data.registry import adapters, cite

    names: Iterable[str]
    if isinstance(used, pd.DataFrame):
        names = used["indicator"].unique() if "indicator" in used.columns else used.columns
    else:
        names = list(used)
    tables = {t for n in names if n in INDICATORS for t in INDICATORS[n].tables}
    datasets = [name for name, cls in adapters().items() if cls.table.name in tables]
    return cite(datasets)


def _select(only: Sequence[str] | None) -> tuple[list[Family], set[str]]:
    """Families to run and indicator ids to keep, from family names or indicator ids."""
    if not only:
        return list(FAMILIES.values()), set(INDICATORS)
    tokens = [t.strip().lower() for item in only for t in str(item).split(",") if t.strip()]
    unknown = [t for t in tokens if t not in FAMILIES and t not in INDICATORS]
    if unknown:
        raise InputError(
            f"only: unknown indicator or family {', '.join(map(repr, unknown))}; "
            f"families: {', '.join(FAMILIES)}; indicators: {', '.join(INDICATORS)}"
        )
    keep = {i for t in tokens for i in (FAMILIES[t].ids if t in FAMILIES else (t,))}
    fams = [f for f in FAMILIES.values() if keep.intersection(f.ids)]
    return fams, keep


def _states(a: str, b: str) -> tuple[str, str, int | None, int | None, list[str]]:
    """Resolve both states to ISO3 and COW codes; a state without a COW code is noted."""
    from dyadscope.data.countries import iso3_to_cow
    from dyadscope.data.dyad import Dyad

    iso_a, iso_b = Dyad.resolve(a, b)
    notes: list[str] = []
    codes: list[int | None] = []
    for iso in (iso_a, iso_b):
        try:
            codes.append(int(iso3_to_cow(iso)))
        except DyadscopeError:
            codes.append(None)
            notes.append(f"{iso} has no COW state code; COW-based indicators are NA")
    return iso_a, iso_b, codes[0], codes[1], notes


def _period_span(start: int, end: int, periods: int) -> tuple[int, int]:
    """First and last year of the whole ``periods``-year periods inside [start, end]."""
    first = -(-start // periods) * periods
    last = (end + 1) // periods * periods - 1
    if last < first:
        raise InputError(
            f"periods {periods}: no whole {periods}-year period (starting at a year "
            f"divisible by {periods}) lies between {start} and {end}; widen the range"
        )
    return first, last


def _latest_span(start: int, end: int, periods: int, latest: int | None) -> tuple[int, int]:
    """Whole ``periods``-year windows ending at ``min(end, latest)``, back to ``start``.

    >>> _latest_span(2000, 2024, 5, 2024)
    (2000, 2024)
    >>> _latest_span(2000, 2030, 5, 2024)  # SIPRI's convention: 2020-24 is the last window
    (2000, 2024)
    """
    last = min(end, latest) if latest is not None else end
    n = (last - start + 1) // periods
    if n < 1:
        raise InputError(
            f"periods={periods}: no whole {periods}-year window ending in {last} starts "
            f"at or after {start}; widen the range"
        )
    return last - n * periods + 1, last


def _flow_query(
    fam: Family, base: DyadQuery, start: int, end: int, periods: int, align: Align
) -> DyadQuery:
    """The query of a flow family with ``periods``: aligned years, period and offset."""
    if align == "latest":
        has = fam.latest_year is not None and not base.missing(fam.tables)
        latest = fam.latest_year(base) if has and fam.latest_year else None
        first, last = _latest_span(start, end, periods, latest)
    elif fam.partial_periods:
        # the latest, partial period is shown with the years it covers
        first, last = -(-start // periods) * periods, end
        if first > end:
            first, last = _period_span(start, end, periods)  # raises: no period starts
    else:
        first, last = _period_span(start, end, periods)
    return replace(base, start=first, end=last, period=periods, offset=first % periods)


def _check_args(start: int, end: int, periods: int | None, trade_source: str) -> None:
    for name, year in (("start", start), ("end", end)):
        if not 1 <= year <= 9999:
            raise InputError(f"{name} must be a year from 1 to 9999, got {year}")
    if start > end:
        raise InputError(f"start {start} is after end {end}")
    if periods is not None and periods < 1:
        raise InputError(f"periods must be a positive number of years, got {periods}")
    if trade_source not in ("auto", "cow", "dots"):
        raise InputError(f"trade_source must be 'auto', 'cow' or 'dots', got {trade_source!r}")


def _run_family(fam: Family, q: DyadQuery) -> FamilyResult:
    absent = q.missing(fam.tables)
    if absent:
        note = (
            f"{fam.name}: the store has no table {', '.join(absent)}; values are NA "
            "(load the dataset with `dyadscope data load`)"
        )
        return empty_result(fam, q, note)
    return fam.run(q)


def compute(
    store: Store,
    a: str,
    b: str,
    start: int,
    end: int,
    *,
    only: Sequence[str] | None = None,
    periods: int | None = None,
    trade_source: TradeSource = "auto",
    align: Align = "start",
) -> pd.DataFrame:
    """Indicators for the dyad (A, B) as a tidy frame, one row per (year, indicator).

    ``a``/``b`` take any spelling :func:`dyadscope.data.countries.resolve` knows.
    ``only`` keeps families (``trade``, ``unga`` …) or single indicator ids.
    ``periods=N`` sums the flow families (trade, arms) over whole N-year periods
    starting at years divisible by N (``year`` = first year of the period) and
    computes their shares from the summed flows; a period with any year lacking data
    is NA (arms: the latest partial period is kept, with a note naming its years).
    ``align="latest"`` ends the periods at the data's latest year instead (SIPRI's
    2020-24 convention). Other families stay annual. ``trade_source`` picks COW, IMF
    DOTS, or ``"auto"``: DOTS where it covers the dyad, COW before (see ``trade``).

    Columns: ``a, b, year, indicator, value, source`` (``source`` = dataset and
    version). ``attrs["notes"]`` explains NAs caused by what the store holds.

    >>> from dyadscope.data.store import vendored_store
    >>> df = compute(vendored_store(), "RUS", "CHN", 2010, 2010, only=["capability"])
    >>> df[["indicator", "value"]].round(4).values.tolist()
    [['cinc_a', 0.0391], ['cinc_b', 0.2092], ['cinc_ratio_b_a', 5.3531]]
    """
    from dyadscope.data.countries import cow_name, cow_predecessor

    _check_args(start, end, periods, trade_source)
    fams, keep = _select(only)
    iso_a, iso_b, ca, cb, notes = _states(a, b)
    pred_a, pred_b = cow_predecessor(iso_a), cow_predecessor(iso_b)
    for iso, pred in ((iso_a, pred_a), (iso_b, pred_b)):
        if pred and pred[1] <= end and start <= pred[2]:
            code, first, last = pred
            notes.append(
                f"{iso}: COW-based values for {max(first, start)}–{min(last, end)} are those "
                f"of COW {code} ({cow_name(code)}), the code COW gives the state then"
            )
    base = DyadQuery.for_store(
        store,
        a=iso_a,
        b=iso_b,
        ccode_a=ca,
        ccode_b=cb,
        start=start,
        end=end,
        trade_source=trade_source,
        predecessor_a=pred_a,
        predecessor_b=pred_b,
    )
    frames: list[pd.DataFrame] = []
    offsets: dict[str, int] = {}
    for fam in fams:
        q = base
        if fam.flow and periods and periods > 1:
            q = _flow_query(fam, base, start, end, periods, align)
            offsets[fam.name] = q.offset
        result = _run_family(fam, q)
        notes.extend(result.notes)
        ids = [i for i in fam.ids if i in keep]
        long = result.frame.melt(
            id_vars="year", value_vars=ids, var_name="indicator", value_name="value"
        )
        long["source"] = long["indicator"].map(result.sources)
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "a", iso_a)
    out.insert(1, "b", iso_b)
    rank = out["indicator"].map({ind: n for n, ind in enumerate(INDICATORS)})
    out = out.assign(_rank=rank).sort_values(["_rank", "year"], kind="stable")
    out = out.reset_index(drop=True)[TIDY_COLUMNS]
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out.attrs["unit"] = "dyad-year" if not periods or periods == 1 else f"dyad-{periods}-year"
    out.attrs["notes"] = list(dict.fromkeys(notes))
    out.attrs["period_offsets"] = offsets
    return out


def dyad_years(
    store: Store,
    a: str,
    b: str,
    start: int,
    end: int,
    directed: bool = False,
    *,
    only: Sequence[str] | None = None,
    periods: int | None = None,
    trade_source: TradeSource = "auto",
    align: Align = "start",
) -> pd.DataFrame:
    """A peacesciencer-style dyad-year frame: one row per year, one column per indicator.

    Keys are ``a, b, year``. With ``directed=True`` both directed dyads appear,
    (A, B) and (B, A), so directed indicators (``cinc_a``, ``trade_share_a`` …) read
    from each side's point of view. With ``periods``, flow columns are filled on the
    first year of each period only. ``attrs`` carries ``unit``, ``sources`` and ``notes``.

    >>> from dyadscope.data.store import vendored_store
    >>> dy = dyad_years(vendored_store(), "RUS", "CHN", 2000, 2014, directed=True)
    >>> dy.shape  # 15 years x 2 directions; a, b, year + 62 indicators
    (30, 65)
    """
    pairs = [(a, b), (b, a)] if directed else [(a, b)]
    tidy = [
        compute(
            store,
            x,
            y,
            start,
            end,
            only=only,
            periods=periods,
            trade_source=trade_source,
            align=align,
        )
        for x, y in pairs
    ]
    long = pd.concat(tidy, ignore_index=True)
    wide = to_wide(long)
    wide.attrs["unit"] = "directed dyad-year" if directed else "dyad-year"
    wide.attrs["sources"] = dict(zip(long["indicator"], long["source"], strict=False))
    wide.attrs["notes"] = list(dict.fromkeys(n for t in tidy for n in t.attrs["notes"]))
    wide.attrs["period_offsets"] = tidy[0].attrs.get("period_offsets", {})
    return wide


def to_wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """Pivot a tidy indicator frame to one row per (a, b, year), indicators as columns.

    Columns keep the registry order; NaN stays NaN (no fill).

    >>> tidy = pd.DataFrame({"a": ["RUS"] * 2, "b": ["CHN"] * 2, "year": [2010] * 2,
    ...                      "indicator": ["cinc_b", "cinc_a"], "value": [0.2, 0.04],
    ...                      "source": ["COW NMC v7.0"] * 2})
    >>> list(to_wide(tidy).columns)
    ['a', 'b', 'year', 'cinc_a', 'cinc_b']
    """
    wide = tidy.pivot(index=["a", "b", "year"], columns="indicator", values="value")
    cols = [i for i in INDICATORS if i in wide.columns]
    wide = wide.reindex(columns=cols).reset_index()
    wide.columns.name = None
    out = wide.sort_values(["year", "a"], kind="stable").reset_index(drop=True)
    out.attrs["period_offsets"] = dict(tidy.attrs.get("period_offsets", {}))
    return out


def family_frames(wide: pd.DataFrame, periods: int | None = None) -> dict[str, pd.DataFrame]:
    """Split a wide dyad-year frame into one frame per family (keys kept in each).

    Why: a table of 25 indicator columns is unreadable in a terminal; one table per
    family (with its source underneath) is how the CLI and the brief show them.
    With ``periods``, flow families keep only the first year of each period.

    >>> wide = pd.DataFrame({"a": ["RUS"], "b": ["CHN"], "year": [2010],
    ...                      "cinc_a": [0.04], "unga_kappa": [0.24]})
    >>> sorted(family_frames(wide))
    ['capability', 'unga']
    """
    keys = [k for k in ("a", "b", "year") if k in wide.columns]
    out: dict[str, pd.DataFrame] = {}
    for fam in FAMILIES.values():
        cols = [c for c in fam.ids if c in wide.columns]
        if not cols:
            continue
        part = wide[keys + cols]
        if fam.flow and periods and periods > 1:
            offset = wide.attrs.get("period_offsets", {}).get(fam.name, 0)
            part = part[(part["year"] - offset) % periods == 0]
        out[fam.name] = part.reset_index(drop=True)
    return out


def coverage(
    store: Store, indicator: str, a: str, b: str, *, trade_source: TradeSource = "auto"
) -> tuple[int, int] | None:
    """First and last year in which ``indicator`` has a value for (A, B), or None.

    Why: before reading a series a user needs to know where it is defined for this
    dyad — e.g. COW trade stops in 2014, and a vendored extract may not hold the dyad.

    >>> from dyadscope.data.store import vendored_store
    >>> coverage(vendored_store(), "unga_same_vote", "RUS", "CHN")  # PRC seated in 1971
    (1971, 2024)
    """
    if indicator not in INDICATORS:
        raise InputError(f"unknown indicator {indicator!r}; known: {', '.join(INDICATORS)}")
    last = pd.Timestamp.now(tz="UTC").year
    df = compute(store, a, b, _FIRST_YEAR, last, only=[indicator], trade_source=trade_source)
    years = df.loc[df["value"].notna(), "year"]
    if years.empty:
        return None
    return int(years.min()), int(years.max())


# ``dyadscope.indicators(...)`` is the API verb; this module stays importable as before.
make_callable(__name__, "dyadscope.api.frames:indicators")
