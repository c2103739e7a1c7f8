"""GDELT beside ICEWS: a hand-worked example, the real ICEWS extract, and no shared years."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from dyadscope.errors import InputError, MissingData
from dyadscope.events import cameo
from dyadscope.events.compare import compare_sources, icews_yearly
from dyadscope.events.ingest import ingest
from dyadscope.events.schema import GDELT2_COLUMNS

#: (year, actor1, actor2, CAMEO code): the hand-made GDELT events of the example.
EVENTS = [
    (2010, "RUS", "CHN", "040"),  # 2010: 1 verbal cooperation
    (2011, "CHN", "RUS", "040"),  # 2011: 2 verbal cooperation, 1 material conflict
    (2011, "RUS", "CHN", "043"),
    (2011, "RUS", "CHN", "190"),
    (2012, "RUS", "CHN", "040"),  # 2012: 3 verbal cooperation, 1 material cooperation
    (2012, "CHN", "RUS", "042"),
    (2012, "RUS", "CHN", "043"),
    (2012, "CHN", "RUS", "061"),
    (2012, "USA", "RUS", "190"),  # another dyad: counted in no RUS–CHN figure
]

#: ICEWS rows of the example (source, target, year, verb_coop, matl_coop, verb_conf, matl_conf).
ICEWS = pd.DataFrame(
    [
        ("RUS", "CHN", 2009, 3, 0, 0, 1),
        ("RUS", "CHN", 2010, 6, 0, 0, 1),
        ("CHN", "RUS", 2010, 4, 0, 0, 0),
        ("RUS", "CHN", 2011, 12, 0, 0, 0),
        ("CHN", "RUS", 2011, 8, 0, 0, 0),
        ("RUS", "CHN", 2012, 18, 5, 0, 1),
        ("CHN", "RUS", 2012, 12, 0, 0, 0),
    ],
    columns=[
        "source_iso3",
        "target_iso3",
        "year",
        "verb_coop",
        "matl_coop",
        "verb_conf",
        "matl_conf",
    ],
)


def _raw_export(path: Path, template: str) -> Path:
    """Write EVENTS as a raw GDELT 2.0 export, each line a real line with fields replaced."""
    col = {name: i for i, name in enumerate(GDELT2_COLUMNS)}
    lines = []
    for n, (year, a1, a2, code) in enumerate(EVENTS):
        f = template.rstrip("\n").split("\t")
        values = {
            "GLOBALEVENTID": str(900_000_000 + n),
            "SQLDATE": f"{year}0615",
            "MonthYear": f"{year}06",
            "Year": str(year),
            "FractionDate": f"{year}.4521",
            "Actor1Code": a1,
            "Actor1CountryCode": a1,
            "Actor2Code": a2,
            "Actor2CountryCode": a2,
            "EventCode": code,
            "EventBaseCode": code[:3],
            "EventRootCode": code[:2],
            "QuadClass": str(cameo.quad_class(code)),
            "GoldsteinScale": f"{cameo.goldstein()[code]:.1f}",
        }
        for name, value in values.items():
            f[col[name]] = value
        lines.append("\t".join(f))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def example_store(tmp_path: Path, export_2_0: Path) -> Path:
    template = export_2_0.read_text(encoding="utf-8").splitlines()[0]
    raw = _raw_export(tmp_path / "20130101000000.export.CSV", template)
    store = tmp_path / "store"
    report = ingest([raw], store)
    assert sum(f.rows_stored for f in report.files) == len(EVENTS)
    return store


def test_hand_worked_comparison(example_store: Path) -> None:
    """Common years 2010–2012 (ICEWS's 2009 has no GDELT counterpart).

    verbal coop: GDELT 1, 2, 3 and ICEWS 6+4, 12+8, 18+12 = 10, 20, 30 → r = 1.
    material conflict: GDELT 0, 1, 0 and ICEWS 1, 0, 1 → r = −1.
    verbal conflict: 0 in every year in both → undefined (NaN), never 0.
    Shares of verbal coop: GDELT 1/1, 2/3, 3/4; ICEWS 10/11, 20/20, 30/36.
    """
    cmp = compare_sources("RUS", "CHN", other="icews", store_dir=example_store, other_table=ICEWS)
    assert cmp.common_years == [2010, 2011, 2012]
    years = cmp.years.set_index("year")
    assert years.index.tolist() == [2009, 2010, 2011, 2012]
    assert years.loc[2011, ["gdelt_verbal_coop", "gdelt_material_conflict"]].tolist() == [2, 1]
    assert years.loc[2012, "icews_material_coop"] == 5
    assert math.isnan(years.loc[2009, "gdelt_verbal_coop"]) and pd.isna(
        years.loc[2009, "gdelt_months"]
    )
    assert years.loc[2012, "gdelt_months"] == 1

    s = cmp.summary.set_index("category")
    assert s.loc["verbal_coop", "pearson_counts"] == pytest.approx(1.0)
    assert s.loc["material_conflict", "pearson_counts"] == pytest.approx(-1.0)
    assert math.isnan(s.loc["verbal_conflict", "pearson_counts"])
    shares = np.corrcoef([1, 2 / 3, 3 / 4], [10 / 11, 20 / 20, 30 / 36])[0, 1]
    assert s.loc["verbal_coop", "pearson_shares"] == pytest.approx(shares)
    assert s.loc["verbal_coop", ["gdelt_total", "icews_total"]].tolist() == [6, 60]
    assert (s["years"] == 3).all()


def test_directed_keeps_one_direction(example_store: Path) -> None:
    cmp = compare_sources("CHN", "RUS", store_dir=example_store, directed=True, other_table=ICEWS)
    years = cmp.years.set_index("year")
    assert years.loc[2012, ["gdelt_verbal_coop", "gdelt_material_coop"]].tolist() == [1, 1]
    assert years.loc[2012, "icews_verbal_coop"] == 12
    assert 2009 not in years.index  # no CHN→RUS ICEWS row that year


def test_no_shared_year_is_said_plainly(example_store: Path) -> None:
    old = ICEWS.assign(year=ICEWS["year"] - 8)  # 2001–2004
    with pytest.raises(
        MissingData, match=r"2010–2012.*2001–2004.*share no year.*date\(2004, 1, 1\)"
    ):
        compare_sources("RUS", "CHN", store_dir=example_store, other_table=old)


def test_years_with_too_few_months_are_left_out(example_store: Path) -> None:
    """Each example year has events in one month (June) only."""
    with pytest.raises(MissingData, match="at least 2 month"):
        compare_sources("RUS", "CHN", store_dir=example_store, other_table=ICEWS, min_months=2)
    with pytest.raises(InputError, match=r"^min_months must"):
        compare_sources("RUS", "CHN", store_dir=example_store, other_table=ICEWS, min_months=13)


def test_a_dyad_the_other_source_lacks(example_store: Path) -> None:
    with pytest.raises(MissingData, match="ICEWS has no events for USA–RUS"):
        compare_sources("USA", "RUS", store_dir=example_store, other_table=ICEWS)


def test_unknown_source_and_empty_store(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="phoenix"):
        compare_sources("RUS", "CHN", other="phoenix", store_dir=tmp_path)
    with pytest.raises(MissingData, match="ingest"):
        compare_sources("RUS", "CHN", store_dir=tmp_path)


def test_real_icews_extract_figures() -> None:
    """MANIFEST, ICEWS extract: RU↔CN 2002–2014 totals and the 2010 directed rows."""
    both = icews_yearly("RUS", "CHN")
    assert both["year"].tolist() == list(range(2002, 2015))
    totals = both[["verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]].sum()
    assert totals.tolist() == [63_232, 854, 470, 402]
    cn_ru = icews_yearly("CHN", "RUS", directed=True).set_index("year").loc[2010]
    assert cn_ru.tolist() == [1_823, 17, 20, 20]
    assert int(both.set_index("year").loc[2010, "verbal_coop"]) == 1_823 + 1_892


def test_cli_compare_prints_both_tables(
    example_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dyadscope.cli import events_scale
    from dyadscope.events import compare

    real = compare.compare_sources
    monkeypatch.setattr(
        compare, "compare_sources", lambda *a, **k: real(*a, **k, other_table=ICEWS)
    )
    app = typer.Typer()
    events_scale.register_scale_commands(app)
    runner = CliRunner()
    result = runner.invoke(app, ["compare", "rus", "chn", "--events-store", str(example_store)])
    assert result.exit_code == 0, result.output
    assert "correlations over 3 common years" in result.output
    out = runner.invoke(
        app,
        [
            "compare",
            "RUS",
            "CHN",
            "--events-store",
            str(example_store),
            "--format",
            "csv",
            "--summary",
        ],
    )
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0].startswith("category,years,pearson_counts")
    unknown = runner.invoke(
        app, ["compare", "RUS", "CHN", "--events-store", str(example_store), "--with", "x"]
    )
    assert unknown.exit_code == 2 and "icews" in unknown.output
