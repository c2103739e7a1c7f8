"""ONE test suite for every registered event engine (DuckDB, Spark, plugins).

Every engine runs the same queries on one store ingested from the real GDELT
fixtures (the 2.0 export, the mixed 1.0 sample and the Georgia extract).  Each
engine must (1) match figures computed independently with pandas from the raw
files, (2) satisfy the identities of the aggregate definitions, and (3) give the
DuckDB engine's numbers exactly for counts and within 1e-9 for floats.
Engines that cannot run here are marked with an explicit reason, never skipped
silently.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dyadscope.events.aggregate import COUNT_COLUMNS, SERIES_COLUMNS
from dyadscope.events.engines import available_engines, get_engine
from dyadscope.events.engines.base import EventEngine, SeriesQuery
from dyadscope.events.ingest import ingest
from dyadscope.events.schema import GDELT1_COLUMNS, GDELT2_COLUMNS

#: Options each engine is built with in tests (Spark on two local cores).
ENGINE_OPTIONS: dict[str, dict[str, str]] = {"spark": {"master": "local[2]"}}

#: Few queries, chosen to cover every frequency, both directions and every filter:
#: Spark spends seconds per query, and the suite must stay under two minutes.
QUERIES: dict[str, SeriesQuery] = {
    "rus-chn-month": SeriesQuery("RUS", "CHN", freq="month"),
    "rus-geo-quarter-directed": SeriesQuery("RUS", "GEO", freq="quarter", directed=True),
    "geo-rus-year-directed": SeriesQuery("GEO", "RUS", freq="year", directed=True),
    "rus-geo-year": SeriesQuery("RUS", "GEO", freq="year"),
    "geo-usa-month-gov-root-range": SeriesQuery(
        "GEO",
        "USA",
        freq="month",
        actor_types=("GOV",),
        root_only=True,
        start=dt.date(2011, 9, 15),
        end=dt.date(2012, 12, 31),
    ),
}


def _engine_param(name: str) -> object:
    marks = []
    if name == "spark":
        marks.append(pytest.mark.spark)
        if importlib.util.find_spec("pyspark") is None:
            why = "not runnable here: the optional extra dyadscope[spark] is not installed"
            marks.append(pytest.mark.skip(reason=why))
        elif shutil.which("java") is None:
            marks.append(pytest.mark.skip(reason="not runnable here: Spark needs a Java runtime"))
    return pytest.param(name, marks=marks, id=name)


@pytest.fixture(scope="module")
def full_store(
    tmp_path_factory: pytest.TempPathFactory, export_2_0: Path, reed_events: Path, georgia: Path
) -> Path:
    store = tmp_path_factory.mktemp("parity-store")
    report = ingest([export_2_0, reed_events, georgia], store)
    assert not report.failed
    return store


@pytest.fixture(scope="module", params=[_engine_param(n) for n in available_engines()])
def engine(request: pytest.FixtureRequest) -> EventEngine:
    return get_engine(request.param, **ENGINE_OPTIONS.get(request.param, {}))


Series = Callable[[EventEngine, str], pd.DataFrame]


@pytest.fixture(scope="module")
def series(full_store: Path) -> Series:
    """Run each (engine, query) once per module and hand every test its own copy.

    Results are immutable facts about the store, so computing them once keeps the
    Spark runs within budget without letting one test's edits reach another.
    """
    results: dict[tuple[str, str], pd.DataFrame] = {}

    def run(engine: EventEngine, qid: str) -> pd.DataFrame:
        key = (engine.name, qid)
        if key not in results:
            results[key] = engine.series(full_store, QUERIES[qid])
        return results[key].copy()

    return run


@pytest.fixture(scope="module")
def duckdb_reference(full_store: Path) -> dict[str, pd.DataFrame]:
    """Every query answered by a DuckDB engine of its own, outside ``series``' cache.

    So the DuckDB case of :func:`test_same_numbers_as_duckdb` compares two separate
    runs (is the engine deterministic?) rather than one cached frame with itself.
    """
    engine = get_engine("duckdb")
    return {qid: engine.series(full_store, query) for qid, query in QUERIES.items()}


@pytest.fixture(scope="module")
def raw_events(export_2_0: Path, reed_events: Path, georgia: Path) -> pd.DataFrame:
    """All fixture rows read with pandas, deduplicated on GLOBALEVENTID (first kept)."""
    keep = ["GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "GoldsteinScale"]
    two = pd.read_csv(export_2_0, sep="\t", header=None, names=list(GDELT2_COLUMNS), dtype=str)
    reed = pd.read_csv(reed_events, sep="\t", header=None, names=list(GDELT1_COLUMNS), dtype=str)
    geo = pd.read_csv(georgia, dtype=str, keep_default_na=False, na_values=["NA", ""])
    frames = [f[keep] for f in (two, reed, geo)]
    return pd.concat(frames, ignore_index=True).drop_duplicates("GLOBALEVENTID")


@pytest.mark.parametrize("qid", list(QUERIES))
def test_same_numbers_as_duckdb(
    engine: EventEngine, series: Series, duckdb_reference: dict[str, pd.DataFrame], qid: str
) -> None:
    got = series(engine, qid)
    ref = duckdb_reference[qid]
    assert list(got.columns) == list(SERIES_COLUMNS)
    pd.testing.assert_frame_equal(got[["a", "b", "period"]], ref[["a", "b", "period"]])
    counts = list(COUNT_COLUMNS)
    pd.testing.assert_frame_equal(got[counts], ref[counts], check_exact=True)
    floats = [c for c in SERIES_COLUMNS[3:] if c not in COUNT_COLUMNS]
    pd.testing.assert_frame_equal(got[floats], ref[floats], rtol=0, atol=1e-9)


def test_yearly_dyad_counts_match_pandas_on_the_raw_files(
    engine: EventEngine, series: Series, raw_events: pd.DataFrame
) -> None:
    """RUS–GEO (either direction) per year, recomputed from the raw files with pandas.

    CAMEO country codes of states are ISO3 for these two, so the raw codes can be
    compared directly; the events share divides by every stored event of that year.
    """
    got = series(engine, "rus-geo-year").set_index("period")
    raw = raw_events.assign(year=raw_events["SQLDATE"].str[:4])
    pair = raw[
        ((raw["Actor1CountryCode"] == "RUS") & (raw["Actor2CountryCode"] == "GEO"))
        | ((raw["Actor1CountryCode"] == "GEO") & (raw["Actor2CountryCode"] == "RUS"))
    ]
    events = pair.groupby("year").size()
    goldstein = pair.assign(g=pair["GoldsteinScale"].astype(float)).groupby("year")["g"].sum()
    totals = raw.groupby("year").size()
    assert events.sum() > 50  # not a vacuous comparison
    expected = pd.DataFrame({"events": events, "goldstein_sum": goldstein}).reindex(got.index)
    assert (got["events"] == expected["events"].fillna(0)).all()
    assert np.allclose(got["goldstein_sum"], expected["goldstein_sum"], equal_nan=True, atol=1e-9)
    share = expected["events"].fillna(0) / totals.reindex(got.index)
    assert np.allclose(got["events_share"], share, atol=1e-12)


def test_undirected_is_the_sum_of_both_directions(engine: EventEngine, series: Series) -> None:
    both = series(engine, "rus-geo-year").set_index("period")
    back = series(engine, "geo-rus-year-directed").set_index("period")
    quarterly = series(engine, "rus-geo-quarter-directed")
    forth = quarterly.assign(period=quarterly["period"].str[:4]).groupby("period")["events"].sum()
    assert (both["events"] == back["events"] + forth.reindex(both.index, fill_value=0)).all()


@pytest.mark.parametrize("qid", list(QUERIES))
def test_aggregate_identities_and_bounds(engine: EventEngine, series: Series, qid: str) -> None:
    df = series(engine, qid)
    assert not df.empty
    quads = df[["verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]]
    assert (quads.sum(axis=1) == df["events"]).all()
    roots = df[[c for c in df.columns if c.startswith("root_")]]
    assert (roots.sum(axis=1) == df["events"]).all()
    has = df["events"] > 0
    assert df.loc[has, "coop_share"].between(0, 1).all()
    assert df.loc[has, "conflict_index"].between(-1, 1).all()
    assert df.loc[has, "goldstein_mean"].between(-10, 10).all()
    assert np.allclose(
        df.loc[has, "goldstein_mean"] * df.loc[has, "events"], df.loc[has, "goldstein_sum"]
    )
    # A period without dyad events has nothing to average: NaN, never 0.
    assert df.loc[~has, ["goldstein_mean", "coop_share", "conflict_index"]].isna().all().all()
    assert df["events_share"].between(0, 1).all()


def test_filters_only_narrow(engine: EventEngine, series: Series, full_store: Path) -> None:
    """Government, root-only, dated GEO–USA events are a subset of all GEO–USA events."""
    narrow = series(engine, "geo-usa-month-gov-root-range")
    wide = engine.series(full_store, SeriesQuery("GEO", "USA", freq="month"))
    assert narrow["period"].min() >= "2011-09" and narrow["period"].max() <= "2012-12"
    merged = narrow.merge(wide, on="period", suffixes=("", "_all"))
    assert len(merged) == len(narrow)
    assert (merged["events"] <= merged["events_all"]).all()
    assert merged["events"].sum() < merged["events_all"].sum()
    assert merged["events"].sum() > 0
