"""Dyad-year frames for notebooks: indicators, peacesciencer-style dyad-years, add_* joins.

Every function takes states in any spelling (resolved once into a
:class:`~dyadscope.data.dyad.Dyad`), an optional ``store`` (the vendored data by
default) and ``to="pandas"|"arrow"``; every frame carries ``unit``, ``source``,
``coding`` and ``notes`` (and ``datasets``, for :func:`dyadscope.cite`) in
``DataFrame.attrs`` — or in the Arrow schema metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadscope.api._common import (
    check_output,
    check_span,
    check_year,
    get_store,
    joined_sources,
    output,
    stamp,
    store_years,
)
from dyadscope.data.dyad import Dyad, resolve_state
from dyadscope.errors import InputError, MissingData

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from dyadscope.data.store import Store

__all__ = [
    "ADD_FAMILIES",
    "add_alliances",
    "add_arms",
    "add_capabilities",
    "add_contiguity",
    "add_energy",
    "add_energy_shares",
    "add_gdp",
    "add_igos",
    "add_indicators",
    "add_mids",
    "add_milex",
    "add_rivalry",
    "add_territorial_threat",
    "add_trade",
    "add_unga",
    "create_dyad_years",
    "dyad_years",
    "indicators",
]

#: ``add_*`` function name → the indicator family it joins.
ADD_FAMILIES: dict[str, str] = {
    "add_capabilities": "capability",
    "add_trade": "trade",
    "add_unga": "unga",
    "add_arms": "arms",
    "add_alliances": "alliances",
    "add_contiguity": "geography",
    "add_mids": "mids",
    "add_igos": "igos",
    "add_milex": "milex",
    "add_gdp": "gdp",
    "add_energy": "energy",
    "add_energy_shares": "energy_shares",
    "add_rivalry": "rivalry",
    "add_territorial_threat": "threat",
}

#: ``add_*`` refuses frames with more distinct dyads than this unless told otherwise:
#: each dyad is computed on its own (about 0.15 s a family on a laptop).
MAX_DYADS = 500


def _only(only: Sequence[str] | str | None) -> list[str] | None:
    """Check ``only`` (family names or indicator ids) here, so the error names ``only``."""
    from dyadscope.indicators import FAMILIES, INDICATORS

    if only is None:
        return None
    items = [only] if isinstance(only, str) else list(only)
    tokens = [t.strip().lower() for item in items for t in str(item).split(",") if t.strip()]
    unknown = [t for t in tokens if t not in FAMILIES and t not in INDICATORS]
    if unknown or not tokens:
        raise InputError(
            f"only: unknown indicator or family {', '.join(map(repr, unknown)) or '(empty)'}; "
            f"families: {', '.join(FAMILIES)}; indicators: {', '.join(INDICATORS)}"
        )
    return tokens


def _options(periods: int | None, trade_source: str) -> None:
    if periods is not None and (isinstance(periods, bool) or not isinstance(periods, int)):
        raise InputError(f"periods: expected a number of years (int) or None, got {periods!r}")
    if periods is not None and periods < 1:
        raise InputError(f"periods: must be a positive number of years, got {periods}")
    if trade_source not in ("auto", "cow", "dots"):
        raise InputError(f"trade_source: must be 'auto', 'cow' or 'dots', got {trade_source!r}")


def _span(store: Store, start: int | None, end: int | None) -> tuple[int, int]:
    start, end = check_year(start, "start"), check_year(end, "end")
    if start is None or end is None:
        first, last = store_years(store)
        start = first if start is None else start
        end = last if end is None else end
    check_span(start, end)
    return start, end


def datasets_of(indicator_ids: Sequence[str]) -> list[str]:
    """Dataset names (for :func:`dyadscope.cite`) behind some indicator ids."""
    from dyadscope.data.registry import adapters
    from dyadscope.indicators import INDICATORS

    tables = {t for i in indicator_ids if i in INDICATORS for t in INDICATORS[i].tables}
    return [name for name, cls in adapters().items() if cls.table.name in tables]


def indicators(
    a: str | Dyad,
    b: str | None = None,
    start: int | None = None,
    end: int | None = None,
    *,
    only: Sequence[str] | str | None = None,
    periods: int | None = None,
    trade_source: str = "auto",
    store: Store | str | Path | None = None,
    to: str = "pandas",
) -> pd.DataFrame | pa.Table:
    """Every indicator for the dyad, tidy: ``a, b, year, indicator, value, source``.

    ``a``/``b`` take any spelling (``"russia"``, ``"CN"``, ``"SUN"``) or ``a`` a
    :class:`~dyadscope.data.dyad.Dyad`.  ``start``/``end`` default to the years the
    store covers; ``only`` keeps families or indicator ids; ``periods=N`` sums flows
    over N-year periods; ``trade_source`` is ``"auto"`` (DOTS where it covers the
    dyad, COW before), ``"cow"`` or ``"dots"``.  Missing is NaN.

    >>> import dyadscope
    >>> df = dyadscope.indicators("russia", "china", 2010, 2010, only="capability")
    >>> df["indicator"].tolist(), df.attrs["unit"]
    (['cinc_a', 'cinc_b', 'cinc_ratio_b_a'], 'dyad-year')
    """
    from dyadscope.indicators import compute

    check_output(to)
    dyad = Dyad.resolve(a, b)
    keep = _only(only)
    _options(periods, trade_source)
    db = get_store(store)
    start, end = _span(db, start, end)
    tidy = compute(
        db,
        dyad.a,
        dyad.b,
        start,
        end,
        only=keep,
        periods=periods,
        trade_source=trade_source,  # type: ignore[arg-type]
    )
    _stamp_sources(tidy, dict(zip(tidy["indicator"], tidy["source"], strict=False)))
    return output(tidy, to)


def _stamp_sources(frame: pd.DataFrame, sources: dict[str, str]) -> None:
    """Provenance ``attrs`` of an indicator frame from its indicator -> source map."""
    stamp(
        frame,
        unit=frame.attrs.get("unit", "dyad-year"),
        source=joined_sources(sources),
        notes=frame.attrs.get("notes", []),
        sources=sources,
        datasets=datasets_of(list(sources)),
    )


def dyad_years(
    a: str | Dyad,
    b: str | None = None,
    start: int | None = None,
    end: int | None = None,
    *,
    directed: bool = False,
    only: Sequence[str] | str | None = None,
    periods: int | None = None,
    trade_source: str = "auto",
    store: Store | str | Path | None = None,
    to: str = "pandas",
) -> pd.DataFrame | pa.Table:
    """The dyad as a wide dyad-year frame: ``a, b, year`` and one column per indicator.

    With ``directed=True`` both (A, B) and (B, A) rows appear.  Other parameters as
    :func:`indicators`.

    >>> import dyadscope
    >>> dy = dyadscope.dyad_years("RUS", "CHN", 2012, 2013, only="trade", directed=True)
    >>> dy[["a", "b", "year"]].values.tolist()
    [['CHN', 'RUS', 2012], ['RUS', 'CHN', 2012], ['CHN', 'RUS', 2013], ['RUS', 'CHN', 2013]]
    """
    from dyadscope.indicators import dyad_years as wide_frame

    check_output(to)
    dyad = Dyad.resolve(a, b)
    keep = _only(only)
    _options(periods, trade_source)
    db = get_store(store)
    start, end = _span(db, start, end)
    wide = wide_frame(
        db,
        dyad.a,
        dyad.b,
        start,
        end,
        directed,
        only=keep,
        periods=periods,
        trade_source=trade_source,  # type: ignore[arg-type]
    )
    _stamp_sources(wide, dict(wide.attrs.get("sources", {})))
    return output(wide, to)


def create_dyad_years(
    states: Sequence[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    *,
    directed: bool = False,
    store: Store | str | Path | None = None,
    to: str = "pandas",
) -> pd.DataFrame | pa.Table:
    """Every pair of states in the international system, by year (peacesciencer's verb).

    System membership is the COW state list as the ``nmc`` table records it (a state
    is in the system in a year when NMC has a row for it).  ``states`` (any spelling)
    keeps only pairs of those states.  Undirected rows put the lower COW code first;
    ``directed=True`` gives both orders.  Columns: ``a, b, ccode_a, ccode_b, year``
    (``a``/``b`` are NA for COW states with no ISO3 code, e.g. Bavaria).  Join indicator
    families onto it with the ``add_*`` functions.

    >>> import dyadscope
    >>> dy = dyadscope.create_dyad_years(["RUS", "CHN", "USA"], 1950, 1951)
    >>> dy[["a", "b", "year"]].values.tolist()[:3]
    [['USA', 'RUS', 1950], ['USA', 'CHN', 1950], ['RUS', 'CHN', 1950]]
    """
    check_output(to)
    db = get_store(store)
    if not db.has("nmc"):
        raise MissingData(
            "store: has no table nmc, which defines system membership; pass store=None "
            "for the vendored data"
        )
    start, end = check_year(start, "start"), check_year(end, "end")
    row = db.con.execute("SELECT min(year), max(year) FROM nmc").fetchone()
    assert row is not None  # an aggregate query always returns one row
    first, last = row
    start = int(first) if start is None else start
    end = int(last) if end is None else end
    check_span(start, end)
    keep: list[str] | None = None
    if states is not None:
        if isinstance(states, str):
            states = [states]
        keep = list(dict.fromkeys(resolve_state(s, "states") for s in states))
        if len(keep) < 2:
            raise InputError(f"states: need at least two different states, got {keep}")
    where = (
        ""
        if keep is None
        else "AND x.iso3 IN (SELECT unnest($keep)) " + ("AND y.iso3 IN (SELECT unnest($keep))")
    )
    order = "x.ccode <> y.ccode" if directed else "x.ccode < y.ccode"
    sql = f"""
        WITH members AS (
            SELECT * FROM (SELECT DISTINCT ccode, iso3, year FROM nmc
                           WHERE year BETWEEN $start AND $end)
            QUALIFY iso3 IS NULL OR count(*) OVER (PARTITION BY iso3, year) = 1
                    OR ccode = {_expected_code_sql()})
        SELECT x.iso3 AS a, y.iso3 AS b, x.ccode AS ccode_a, y.ccode AS ccode_b, x.year
        FROM members x JOIN members y ON x.year = y.year AND {order} {where}
        ORDER BY x.year, x.ccode, y.ccode
    """
    params: dict[str, Any] = {"start": start, "end": end}
    if keep is not None:
        params["keep"] = keep
    frame = db.con.execute(sql, params).df()
    frame["a"] = frame["a"].astype("string")
    frame["b"] = frame["b"].astype("string")
    for col in ("ccode_a", "ccode_b", "year"):
        frame[col] = frame[col].astype("int64")
    src = db.provenance().set_index("table")
    version = src.loc["nmc", "version"] if "nmc" in src.index else None
    label = f"table nmc, version {version!s}" if version else "table nmc"
    stamp(
        frame,
        unit="directed dyad-year" if directed else "dyad-year",
        source=f"COW state system membership ({label})",
        notes=[],
        sources={},
        datasets=["nmc"],
    )
    return output(frame, to)


def _expected_code_sql() -> str:
    """SQL: the COW code ``countries.cow_code`` gives a row's ``iso3`` in its ``year``.

    Why: NMC lists some states under two codes in a transition year (Germany as 255 and
    260 in 1990); a state-year must appear once, under the code the indicators read.
    """
    from dyadscope._sql import quote_literal
    from dyadscope.data.countries import COW_PREDECESSORS, iso3_to_cow

    cases = " ".join(
        f"WHEN {quote_literal(iso3)} THEN (CASE WHEN year BETWEEN {first} AND {last} THEN {code} "
        f"ELSE {iso3_to_cow(iso3)} END)"
        for iso3, (code, first, last) in COW_PREDECESSORS.items()
    )
    return f"(CASE iso3 {cases} ELSE ccode END)"


def add_indicators(
    frame: pd.DataFrame,
    only: Sequence[str] | str,
    *,
    trade_source: str = "auto",
    store: Store | str | Path | None = None,
    max_dyads: int | None = MAX_DYADS,
    to: str = "pandas",
) -> pd.DataFrame | pa.Table:
    """Join indicators (families or ids in ``only``) onto any frame with ``a, b, year``.

    ``a``/``b`` may be any spelling; each distinct (a, b) pair is computed once over
    its own years, read from A's side (directed indicators follow the row's order),
    and joined on ``a, b, year``; rows the data do not cover get NaN.  The frame's
    attrs are kept and extended with the new sources, datasets and notes.  Each dyad
    costs a query per family, so frames with more than ``max_dyads`` distinct dyads are
    refused (pass ``max_dyads=None`` to go ahead).

    >>> import dyadscope
    >>> base = dyadscope.create_dyad_years(["RUS", "CHN"], 2000, 2001)
    >>> dyadscope.add_capabilities(base)["cinc_ratio_b_a"].round(2).tolist()
    [3.16, 3.09]
    """
    import pandas as pd

    from dyadscope.indicators import compute, to_wide

    check_output(to)
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in ("a", "b", "year") if c not in frame.columns]
    if missing:
        raise InputError(f"frame: needs columns a, b and year; missing {', '.join(missing)}")
    keep = _only(only)
    _options(None, trade_source)
    db = get_store(store)
    known = frame.dropna(subset=["a", "b", "year"])
    spans = known.groupby(["a", "b"], sort=False)["year"].agg(["min", "max"])
    if max_dyads is not None and len(spans) > max_dyads:
        raise InputError(
            f"frame: {len(spans)} distinct dyads, more than max_dyads={max_dyads}; each "
            "dyad is computed on its own, so filter the frame or pass max_dyads=None"
        )
    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    sources: dict[str, str] = {}
    pairs: list[tuple[Any, Any]] = spans.index.to_list()
    for (a, b), first, last in zip(pairs, spans["min"], spans["max"], strict=True):
        dyad = Dyad.resolve(str(a), str(b))
        tidy = compute(
            db,
            dyad.a,
            dyad.b,
            int(first),
            int(last),
            only=keep,
            trade_source=trade_source,  # type: ignore[arg-type]
        )
        notes.extend(tidy.attrs.get("notes", []))
        sources.update(zip(tidy["indicator"], tidy["source"], strict=False))
        wide = to_wide(tidy)
        wide["a"], wide["b"] = a, b  # join on the frame's own spelling
        parts.append(wide)
    if not parts:
        raise InputError("frame: has no rows with a, b and year to join onto")
    added = pd.concat(parts, ignore_index=True)
    clash = [c for c in added.columns if c not in ("a", "b", "year") and c in frame.columns]
    if clash:
        raise InputError(f"frame: already has column(s) {', '.join(clash)}; drop them first")
    added["year"] = added["year"].astype(frame["year"].dtype)
    out = frame.merge(added, on=["a", "b", "year"], how="left", validate="many_to_one")
    old = {str(k): v for k, v in frame.attrs.items()}
    all_sources = {**old.get("sources", {}), **sources}
    stamp(
        out,
        **{k: v for k, v in old.items() if k not in _PROVENANCE},
        unit=old.get("unit", "dyad-year"),
        source=joined_sources([old.get("source", ""), *sources.values()]),
        notes=[*old.get("notes", []), *notes],
        sources=all_sources,
        datasets=list(dict.fromkeys([*old.get("datasets", []), *datasets_of(list(sources))])),
    )
    return output(out, to)


_PROVENANCE = ("unit", "source", "notes", "sources", "datasets")


def _adder(name: str, family: str) -> Any:
    def add(
        frame: pd.DataFrame,
        *,
        trade_source: str = "auto",
        store: Store | str | Path | None = None,
        max_dyads: int | None = MAX_DYADS,
        to: str = "pandas",
    ) -> pd.DataFrame | pa.Table:
        return add_indicators(
            frame, [family], trade_source=trade_source, store=store, max_dyads=max_dyads, to=to
        )

    add.__name__ = add.__qualname__ = name
    add.__doc__ = (
        f"Join the ``{family}`` indicators onto ``frame`` (columns ``a, b, year``).\n\n"
        f"Same as ``add_indicators(frame, only=['{family}'], ...)``; see :func:`add_indicators`."
    )
    return add


add_capabilities = _adder("add_capabilities", "capability")
add_trade = _adder("add_trade", "trade")
add_unga = _adder("add_unga", "unga")
add_arms = _adder("add_arms", "arms")
add_alliances = _adder("add_alliances", "alliances")
add_contiguity = _adder("add_contiguity", "geography")
add_mids = _adder("add_mids", "mids")
add_igos = _adder("add_igos", "igos")
add_milex = _adder("add_milex", "milex")
add_gdp = _adder("add_gdp", "gdp")
add_energy = _adder("add_energy", "energy")
add_energy_shares = _adder("add_energy_shares", "energy_shares")
add_rivalry = _adder("add_rivalry", "rivalry")
add_territorial_threat = _adder("add_territorial_threat", "threat")
