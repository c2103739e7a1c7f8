"""The engines for notebooks: theory, scenarios, event series, the brief, citations.

Thin wrappers: each resolves the dyad once (:class:`~dyadscope.data.dyad.Dyad`),
fills in the store (the vendored data by default), calls one library function and
stamps provenance on the frames it returns.  They are exposed where a user looks for
them: ``dyadscope.theory.power``, ``dyadscope.scenario.run``,
``dyadscope.event_series``, ``dyadscope.brief``, ``dyadscope.cite``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dyadscope.api._common import check_output, check_year, get_store, output, stamp
from dyadscope.data.dyad import Dyad, resolve_state
from dyadscope.errors import InputError

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd
    import pyarrow as pa

    from dyadscope.case.schema import Case
    from dyadscope.data.store import Store
    from dyadscope.scenario.montecarlo import ScenarioResult
    from dyadscope.theory.external import ExternalResult
    from dyadscope.theory.games import GameResult, Payoffs
    from dyadscope.theory.interdependence import InterdependenceResult
    from dyadscope.theory.power import PowerResult
    from dyadscope.theory.threat import ThreatResult

__all__ = [
    "brief",
    "cite",
    "event_series",
    "external",
    "game",
    "interdependence",
    "power",
    "scenario_run",
    "threat",
]


_Result = TypeVar("_Result")


def _stamp_result(result: _Result, source: str, unit: str) -> _Result:
    """Provenance on every frame of a theory or scenario result; assumptions as notes."""
    frames = result.frames() if hasattr(result, "frames") else {}
    for frame in frames.values():
        stamp(frame, unit=unit, source=source, notes=list(getattr(result, "assumptions", [])))
    return result


def power(
    a: str | Dyad = "RUS",
    b: str | None = "CHN",
    *,
    rival: str = "USA",
    start: int = 1946,
    end: int | None = None,
    store: Store | str | Path | None = None,
) -> PowerResult:
    """Balance of power: major-power CINC shares, polarity, and (A+B) against ``rival``.

    >>> import dyadscope
    >>> res = dyadscope.theory.power("russia", "china", start=2010, end=2010)
    >>> bool(res.rc_vs_us["balances"].iloc[0])
    True
    """
    from dyadscope.theory.power import balance_of_power

    dyad = Dyad.resolve(a, b)
    rival_code = resolve_state(rival, "rival")
    if rival_code in dyad:
        raise InputError(f"rival: {rival_code} is one of the dyad {dyad}")
    start = check_year(start, "start")
    end = check_year(end, "end")
    res = balance_of_power(
        get_store(store), start, end, coalition=(dyad.a, dyad.b), rival=rival_code
    )
    return _stamp_result(res, "COW NMC (table nmc)", "year")


def threat(
    a: str | Dyad = "RUS",
    b: str | None = "CHN",
    *,
    year: int | None = None,
    states: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    events_store: str | Path | None = None,
    store: Store | str | Path | None = None,
) -> ThreatResult:
    """Balance of threat (Walt) among ``states`` (default: the major powers plus the dyad).

    ``year`` defaults to the last year both NMC and the UNGA votes cover.
    """
    from dyadscope.theory.section import latest_common_year
    from dyadscope.theory.threat import balance_of_threat, default_states

    dyad = Dyad.resolve(a, b)
    db = get_store(store)
    year = check_year(year, "year")
    if year is None:
        year = latest_common_year(db)
    members = (
        default_states(dyad.a, dyad.b)
        if states is None
        else [resolve_state(s, "states") for s in states]
    )
    res = balance_of_threat(db, year, members, weights=weights, events_store=events_store)
    return _stamp_result(res, "COW NMC, MIDs, contiguity, ATOP, UNGA votes", "state pair")


def interdependence(
    a: str | Dyad | Store,
    b: str | None = None,
    start: int | None = None,
    end: int | None = None,
    *args: Any,
    trade_source: str = "cow",
    store: Store | str | Path | None = None,
) -> InterdependenceResult:
    """Sensitivity, vulnerability and leverage of A and B (Keohane and Nye).

    ``start`` defaults to 1870 (COW trade begins), ``end`` to the last NMC year.  The
    engine's own form, ``interdependence(store, a, b, start, end)``, still works.

    >>> import dyadscope
    >>> res = dyadscope.theory.interdependence("russia", "china", 2010, 2012)
    >>> (res.a, res.b)
    ('RUS', 'CHN')
    """
    from dyadscope.data.store import Store
    from dyadscope.theory.interdependence import interdependence as engine

    if isinstance(a, Store):  # the engine's positional form: (store, a, b, start, end)
        return engine(a, b, start, end, *args, trade_source=trade_source)  # type: ignore[arg-type]
    if args:
        raise InputError(f"interdependence: unexpected extra arguments {args!r}")
    dyad = Dyad.resolve(a, b)
    db = get_store(store)
    start, end = check_year(start, "start"), check_year(end, "end")
    if end is None:
        row = db.con.execute("SELECT max(year) FROM nmc").fetchone()
        assert row is not None  # an aggregate query always returns one row
        end = int(row[0])
    start = 1870 if start is None else start
    if start > end:
        raise InputError(f"start ({start}) is after end ({end}); swap them")
    res = engine(db, dyad.a, dyad.b, start, end, trade_source=trade_source)  # type: ignore[arg-type]
    return _stamp_result(res, "COW trade / IMF DOTS, SIPRI (via dyadscope.indicators)", "year")


def external(
    a: str | Dyad = "RUS",
    b: str | None = "CHN",
    third: str = "USA",
    *,
    events_store: str | Path | None = None,
    store: Store | str | Path | None = None,
    **options: Any,
) -> ExternalResult:
    """Granger test: does conflict with ``third`` drive A–B cooperation?

    ``options`` go to :func:`dyadscope.theory.externally_driven` (``ic``, ``maxlags``,
    ``alpha``).
    """
    from dyadscope.theory.external import externally_driven

    dyad = Dyad.resolve(a, b)
    third_code = resolve_state(third, "third")
    if third_code in dyad:
        raise InputError(f"third: {third_code} is one of the dyad {dyad}")
    res = externally_driven(get_store(store), dyad.a, dyad.b, third_code, events_store, **options)
    return _stamp_result(res, str(res.source), str(res.frequency))


def game(
    a: str | Dyad | None = None,
    b: str | None = None,
    *,
    case: Case | str | os.PathLike[str] | None = None,
    payoffs: Payoffs | tuple[float, float, float, float] | None = None,
    turns: int = 200,
    repetitions: int = 5,
    seed: int = 1,
) -> GameResult:
    """The alliance game (iterated prisoner's dilemma) with payoffs from the dyad's case.

    With ``a``/``b`` and no ``case``, the case about that dyad is found; with neither,
    ``payoffs`` (or Axelrod's 5, 3, 1, 0) are used.
    """
    from dyadscope.theory.games import alliance_game

    case_obj: Case | None = None
    if case is None and a is not None:
        case_obj = _case_for(Dyad.resolve(a, b), None)
    elif case is not None:
        case_obj = _load(case)
    res = alliance_game(payoffs, case_obj, turns=turns, repetitions=repetitions, seed=seed)
    given = "payoffs from the case" if case_obj else "payoffs given"
    return _stamp_result(res, given, "strategy")


def _load(case: Case | str | os.PathLike[str]) -> Case:
    """The case itself, or the case read from its path."""
    from dyadscope.case import load_case

    if isinstance(case, (str, os.PathLike)):
        return load_case(Path(case))
    return case


def _case_for(dyad: Dyad, case: Case | str | os.PathLike[str] | None) -> Case:
    from dyadscope.case import find_case

    if case is None:
        return find_case(dyad.a, dyad.b)
    return _load(case)


def scenario_run(
    a: str | Dyad = "RUS",
    b: str | None = "CHN",
    scenario: str = "baseline",
    *,
    case: Case | str | os.PathLike[str] | None = None,
    draws: int = 10_000,
    seed: int = 1,
    **options: Any,
) -> ScenarioResult:
    """Monte Carlo outcome shares (of plausible maps) for one scenario of the dyad's case.

    ``case`` is a :class:`~dyadscope.case.Case` or a path (default: the case about the
    dyad); ``options`` go to :func:`dyadscope.scenario.run_scenario`.

    >>> import dyadscope
    >>> res = dyadscope.scenario.run("RUS", "CHN", draws=200, seed=1)
    >>> round(float(res.probabilities["share"].sum()), 6)
    1.0
    """
    from dyadscope.scenario.montecarlo import run_scenario

    case_obj = _case_for(Dyad.resolve(a, b), case)
    res = run_scenario(case_obj, scenario, draws=draws, seed=seed, **options)
    for frame in (res.probabilities, res.convergence, res.activations):
        stamp(
            frame,
            unit="outcome share of draws",
            source=f"case {res.case_id} ({res.settings.get('case_source')})",
            notes=list(res.assumptions),
        )
    return res


def event_series(
    a: str | Dyad,
    b: str | None = None,
    *,
    store: str | os.PathLike[str] | None = None,
    freq: str = "month",
    directed: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor_types: Sequence[str] = (),
    root_only: bool = False,
    engine: str = "duckdb",
    to: str = "pandas",
) -> pd.DataFrame | pa.Table:
    """The dyad's GDELT event series from an events store folder (see ``dyadscope.events``).

    ``store`` is the events store folder (default ``$DYADSCOPE_HOME/events``); this
    calls :func:`dyadscope.events.series` with the resolved ISO3 codes.
    """
    from dyadscope.events import series

    check_output(to)
    dyad = Dyad.resolve(a, b)
    frame = series(
        store,
        dyad.a,
        dyad.b,
        freq=freq,
        directed=directed,
        start=start,
        end=end,
        actor_types=tuple(actor_types),
        root_only=root_only,
        engine=engine,
    )
    stamp(
        frame,
        unit=f"{'directed ' if directed else ''}dyad-{freq}",
        source=f"GDELT events store {store or '$DYADSCOPE_HOME/events'} ({engine} engine)",
        coding="states as ISO3 (GDELT actor CAMEO country codes); CAMEO event codes, "
        "Goldstein scale and QuadClass",
        notes=list(frame.attrs.get("notes", [])),
    )
    return output(frame, to)


def brief(
    a: str | Dyad = "RUS",
    b: str | None = "CHN",
    output: str | Path = "out/brief.html",
    *,
    case: str | Path | None = None,
    events_store: str | Path | None = None,
    start: int = 1946,
    end: int | None = None,
    draws: int = 5_000,
    seed: int = 1,
) -> Path:
    """Write the self-contained HTML brief for the dyad to ``output``; return its path."""
    from dyadscope.report.brief import BriefOptions, build_brief

    dyad = Dyad.resolve(a, b)
    opts = BriefOptions(
        start=check_year(start, "start") or 1946,
        end=check_year(end, "end"),
        draws=draws,
        seed=seed,
        events_store=Path(events_store) if events_store is not None else None,
    )
    return build_brief(dyad.a, dyad.b, case_path=case, output=output, options=opts)


def cite(what: Any = None) -> list[str]:
    """Citations for what you used: a frame from this API, dataset names, or indicator ids.

    ``None`` cites every dataset dyadscope knows.  A frame is read through its
    ``attrs["datasets"]`` (or, failing that, its indicator columns).

    >>> import dyadscope
    >>> dyadscope.cite(dyadscope.indicators("RUS", "CHN", 2010, 2010, only="capability"))[0][:6]
    'Singer'
    """
    from dyadscope.api.frames import datasets_of
    from dyadscope.data.registry import adapters
    from dyadscope.data.registry import cite as registry_cite

    if what is None:
        return registry_cite(None)
    names: list[str]
    if hasattr(what, "attrs") and hasattr(what, "columns"):
        names = list(what.attrs.get("datasets") or [])
        if not names:
            ids = what["indicator"].unique() if "indicator" in what.columns else what.columns
            names = datasets_of([str(i) for i in ids])
    elif hasattr(what, "schema") and what.schema.metadata:
        import json

        names = json.loads(what.schema.metadata.get(b"datasets", b"[]"))
    else:
        items = [what] if isinstance(what, str) else list(_iter(what))
        known = adapters()
        names = [i for i in items if i in known]
        names += datasets_of([i for i in items if i not in known])
        unknown = [i for i in items if i not in known and not datasets_of([i])]
        if unknown:
            raise InputError(
                f"what: {', '.join(map(repr, unknown))} is neither a dataset ({', '.join(known)}) "
                "nor an indicator id"
            )
    if not names:
        raise InputError("what: names no dataset to cite; pass a frame from dyadscope's API")
    return registry_cite(list(dict.fromkeys(names)))


def _iter(what: Any) -> Iterable[str]:
    if not isinstance(what, Iterable):
        raise InputError(f"what: expected a frame, a dataset name or a list, got {what!r}")
    return (str(x) for x in what)
