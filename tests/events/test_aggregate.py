"""The aggregate definitions, on a hand-worked store and on the real GDELT 2.0 export.

Hand-worked store (official Goldstein values: 040 = 1.0, 0874 = 10.0, 190 = -10.0,
111 = -2.0):

====  =======  =========  =====  ========  ====  ============================
 id   date     actors     code   mentions  root  notes
====  =======  =========  =====  ========  ====  ============================
 1    2020-01  RUS → CHN  040    10        no    both actors GOV
 2    2020-01  CHN → RUS  190    2         yes
 3    2020-01  RUS → CHN  0874   4         no
 4    2020-01  USA → CHN  040    1         no    not the dyad
 5    2020-02  USA → FRA  040    1         no    not the dyad
 6    2020-04  RUS → CHN  111    1         yes
====  =======  =========  =====  ========  ====  ============================

Undirected RUS–CHN, 2020-01: events 3 of 4 stored (share 0.75); Goldstein sum
1 − 10 + 10 = 1, mean 1/3, mentions-weighted (1·10 − 10·2 + 10·4) / 16 = 1.875;
QuadClass 1/1/0/1; coop share 2/3; conflict index (0 + 2 − 1 − 2) / 6 = −1/6.
2020-02: no dyad event among 1 stored → events 0, share 0, means NaN.
2020-04: one verbal conflict (111): mean −2, conflict index 1/2 = 0.5.
Directed RUS → CHN, 2020-01: events 1 and 3: sum 11, mean 5.5, weighted 50/14,
conflict index (−1 − 2) / 4 = −0.75.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.errors import InputError, MissingData
from dyadscope.events import engines
from dyadscope.events.aggregate import SERIES_COLUMNS, series_sql
from dyadscope.events.engines import SeriesQuery, get_engine
from dyadscope.events.ingest import ingest
from dyadscope.events.schema import GDELT2_COLUMNS

POS = {name: i for i, name in enumerate(GDELT2_COLUMNS)}
SNAPSHOTS = Path(__file__).parent / "snapshots"

EVENTS = [
    # id, date, actor1, actor2, code, mentions, root, type1 of actor1, type2 of actor2
    (1, "20200115", "RUS", "CHN", "040", 10, 0, "GOV", "GOV"),
    (2, "20200120", "CHN", "RUS", "190", 2, 1, "", ""),
    (3, "20200131", "RUS", "CHN", "0874", 4, 0, "MIL", ""),
    (4, "20200101", "USA", "CHN", "040", 1, 0, "GOV", ""),
    (5, "20200210", "USA", "FRA", "040", 1, 0, "", ""),
    (6, "20200401", "RUS", "CHN", "111", 1, 1, "GOV", ""),
]
GOLDSTEIN = {"040": 1.0, "0874": 10.0, "190": -10.0, "111": -2.0}
QUAD = {"040": "1", "0874": "2", "190": "4", "111": "3"}


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = []
    for gid, day, a1, a2, code, mentions, root, t1, t2 in EVENTS:
        f = [""] * 61
        f[POS["GLOBALEVENTID"]] = str(gid)
        f[POS["SQLDATE"]] = day
        f[POS["Actor1CountryCode"]], f[POS["Actor2CountryCode"]] = a1, a2
        f[POS["Actor1Type1Code"]], f[POS["Actor2Type2Code"]] = t1, t2
        f[POS["IsRootEvent"]] = str(root)
        f[POS["EventCode"]], f[POS["EventBaseCode"]] = code, code[:3]
        f[POS["EventRootCode"]] = code[:2]
        f[POS["QuadClass"]] = QUAD[code]
        f[POS["GoldsteinScale"]] = str(GOLDSTEIN[code])
        f[POS["NumMentions"]] = str(mentions)
        lines.append("\t".join(f))
    folder = tmp_path_factory.mktemp("hand")
    (folder / "hand.CSV").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest([folder / "hand.CSV"], folder / "store")
    return folder / "store"


def _series(store: Path, **kw: object) -> pd.DataFrame:
    return get_engine("duckdb").series(store, SeriesQuery("RUS", "CHN", **kw))  # type: ignore[arg-type]


def test_columns_are_the_interface() -> None:
    assert SERIES_COLUMNS[:14] == (
        "a", "b", "period", "events", "events_share", "goldstein_sum", "goldstein_mean",
        "goldstein_weighted_mean", "verbal_coop", "material_coop", "verbal_conflict",
        "material_conflict", "coop_share", "conflict_index",
    )  # fmt: skip
    assert SERIES_COLUMNS[14:] == tuple(f"root_{i:02d}" for i in range(1, 21))


def test_hand_worked_monthly_undirected(hand_store: Path) -> None:
    s = _series(hand_store).set_index("period")
    assert list(s.index) == ["2020-01", "2020-02", "2020-04"]
    jan = s.loc["2020-01"]
    assert (jan.a, jan.b, jan.events) == ("RUS", "CHN", 3)
    assert jan.events_share == pytest.approx(0.75)
    assert jan.goldstein_sum == pytest.approx(1.0)
    assert jan.goldstein_mean == pytest.approx(1 / 3)
    assert jan.goldstein_weighted_mean == pytest.approx(1.875)
    assert (jan.verbal_coop, jan.material_coop, jan.verbal_conflict, jan.material_conflict) == (
        1, 1, 0, 1,
    )  # fmt: skip
    assert jan.coop_share == pytest.approx(2 / 3)
    assert jan.conflict_index == pytest.approx(-1 / 6)
    assert (jan.root_04, jan.root_08, jan.root_19, jan.root_01) == (1, 1, 1, 0)
    feb = s.loc["2020-02"]
    assert feb.events == 0 and feb.events_share == 0
    assert math.isnan(feb.goldstein_mean) and math.isnan(feb.coop_share)
    apr = s.loc["2020-04"]
    assert apr.goldstein_mean == -2.0 and apr.conflict_index == pytest.approx(0.5)
    assert apr.root_11 == 1


def test_hand_worked_directed(hand_store: Path) -> None:
    jan = _series(hand_store, directed=True).set_index("period").loc["2020-01"]
    assert jan.events == 2 and jan.goldstein_sum == pytest.approx(11.0)
    assert jan.goldstein_weighted_mean == pytest.approx(50 / 14)
    assert jan.conflict_index == pytest.approx(-0.75)
    back = get_engine("duckdb").series(hand_store, SeriesQuery("CHN", "RUS", directed=True))
    assert back.set_index("period").loc["2020-01", "conflict_index"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("freq", "periods", "shares"),
    [("quarter", ["2020-Q1", "2020-Q2"], [3 / 5, 1.0]), ("year", ["2020"], [4 / 6])],
)
def test_hand_worked_quarter_and_year(
    hand_store: Path, freq: str, periods: list[str], shares: list[float]
) -> None:
    s = _series(hand_store, freq=freq)
    assert s["period"].tolist() == periods
    assert s["events_share"].tolist() == pytest.approx(shares)


def test_filters(hand_store: Path) -> None:
    gov = _series(hand_store, actor_types=("gov",)).set_index("period")["events"]
    assert gov.to_dict() == {"2020-01": 1, "2020-02": 0, "2020-04": 0}
    root = _series(hand_store, root_only=True).set_index("period")["events"]
    assert root.to_dict() == {"2020-01": 1, "2020-02": 0, "2020-04": 1}
    late = _series(hand_store, start=dt.date(2020, 2, 1), end=dt.date(2020, 12, 31))
    assert late["period"].tolist() == ["2020-02", "2020-04"]


def test_undirected_is_symmetric_and_sums_both_directions(hand_store: Path) -> None:
    engine = get_engine("duckdb")
    ab = engine.series(hand_store, SeriesQuery("RUS", "CHN"))
    ba = engine.series(hand_store, SeriesQuery("CHN", "RUS"))
    counts = ["events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]
    pd.testing.assert_frame_equal(ab[counts], ba[counts])
    fwd = engine.series(hand_store, SeriesQuery("RUS", "CHN", directed=True))
    bwd = engine.series(hand_store, SeriesQuery("CHN", "RUS", directed=True))
    assert (fwd["events"] + bwd["events"]).tolist() == ab["events"].tolist()
    assert ab["conflict_index"].dropna().between(-1, 1).all()


def test_real_export_rus_chn(export_2_0: Path, store_2_0: Path) -> None:
    """MANIFEST.md §1: 2 RUS–CHN events, both CHN → RUS; shares use all events of the month."""
    engine = get_engine("duckdb")
    s = engine.series(store_2_0, SeriesQuery("RUS", "CHN"))
    assert int(s["events"].sum()) == 2
    month_totals: dict[str, int] = {}
    for line in export_2_0.read_text(encoding="utf-8").splitlines():
        day = line.split("\t")[1]
        key = f"{day[:4]}-{day[4:6]}"
        month_totals[key] = month_totals.get(key, 0) + 1
    assert s["period"].tolist() == sorted(month_totals)
    oct19 = s.set_index("period").loc["2019-10"]
    assert oct19.events_share == pytest.approx(oct19.events / month_totals["2019-10"])
    chn_rus = engine.series(store_2_0, SeriesQuery("CHN", "RUS", directed=True))
    rus_chn = engine.series(store_2_0, SeriesQuery("RUS", "CHN", directed=True))
    assert int(chn_rus["events"].sum()) == 2 and int(rus_chn["events"].sum()) == 0


def test_empty_store_is_missing_data(tmp_path: Path) -> None:
    with pytest.raises(MissingData, match="events ingest"):
        get_engine("duckdb").series(tmp_path, SeriesQuery("RUS", "CHN"))


def test_sql_snapshot() -> None:
    """The generated SQL is reviewed text: a change to it must be deliberate."""
    query = SeriesQuery("RUS", "CHN", freq="quarter", actor_types=("GOV",), root_only=True,
                        start=dt.date(2014, 1, 1))  # fmt: skip
    for dialect in ("duckdb", "spark"):
        expected = (SNAPSHOTS / f"series_{dialect}.sql").read_text(encoding="utf-8")
        assert series_sql(query, dialect=dialect) + "\n" == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"a": "RU"}, {"a": "R1S"}, {"freq": "week"}, {"actor_types": ("GOVT",)},
     {"actor_types": ("XYZ",)}, {"start": dt.date(2020, 2, 1), "end": dt.date(2020, 1, 1)}],
)  # fmt: skip
def test_bad_queries_are_input_errors(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"a": "RUS", "b": "CHN", **kwargs}
    with pytest.raises(InputError):
        SeriesQuery(**args)  # type: ignore[arg-type]


def test_registry(hand_store: Path) -> None:
    with pytest.raises(engines.UnknownEngine, match="duckdb"):
        get_engine("nope")

    class Fixed(engines.EventEngine):
        """A stand-in engine: the registry accepts outside engines the same way."""

        name = "fixed-test"
        accepted_options = ("master",)

        def series(self, store_dir: Path, query: SeriesQuery) -> pd.DataFrame:
            return pd.DataFrame({"a": [query.a], "master": [self.options.get("master")]})

    engines.register_engine(Fixed)
    try:
        out = get_engine("FIXED-TEST", master="spark://x:7077").series(
            hand_store, SeriesQuery("rus", "chn")
        )
        assert out.to_dict("records") == [{"a": "RUS", "master": "spark://x:7077"}]
        assert "fixed-test" in engines.available_engines()
        with pytest.raises(InputError, match="'fixed-test' takes no option 'maser'"):
            get_engine("fixed-test", maser="spark://x:7077")
    finally:
        engines.ENGINES.pop("fixed-test")
