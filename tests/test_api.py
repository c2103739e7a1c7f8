"""The public Python API: what `import dyadscope` offers a notebook, and the README's code."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import dyadscope
from dyadscope.errors import InputError, UnknownCountry

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
API_DOC = ROOT / "docs" / "api.md"

HEAVY = ("pandas", "numpy", "duckdb", "pyarrow", "pydantic", "typing")


# --- the package surface --------------------------------------------------------------


def test_import_dyadscope_loads_nothing_heavy() -> None:
    """`import dyadscope` must stay fast: no pandas, DuckDB, Arrow … until first use."""
    code = f"import sys, dyadscope; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_all_names_resolve_and_are_documented() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for name in dyadscope.__all__:
        assert getattr(dyadscope, name) is not None, name
        if not name.startswith("_"):
            assert f"`{name}" in doc or f"dyadscope.{name}" in doc, f"docs/api.md lacks {name}"
    api = importlib.import_module("dyadscope.api")
    assert set(api.__all__) - {"ADD_FAMILIES"} - set(dyadscope.__all__) == {
        "external",
        "game",
        "interdependence",
        "power",
        "scenario_run",
        "threat",
    }  # the engines live where a user looks: dyadscope.theory.*, dyadscope.scenario.run
    assert "indicators" in dir(dyadscope)
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        _ = dyadscope.nonesuch


def test_every_indicator_family_has_an_add_function() -> None:
    from dyadscope.api.frames import ADD_FAMILIES
    from dyadscope.indicators import FAMILIES

    assert sorted(ADD_FAMILIES.values()) == sorted(FAMILIES)
    for name in ADD_FAMILIES:
        assert name in dyadscope.__all__ and callable(getattr(dyadscope, name))


def test_indicators_is_both_the_subpackage_and_the_verb(store) -> None:
    import dyadscope.indicators as module
    from dyadscope.indicators import compute

    assert dyadscope.indicators is module
    assert "only" in inspect.signature(dyadscope.indicators).parameters
    got = dyadscope.indicators("russia", "china", 2010, 2012, only="capability")
    want = compute(store, "RUS", "CHN", 2010, 2012, only=["capability"])
    pd.testing.assert_frame_equal(got, want, check_like=False)


def test_theory_verbs_keep_the_engine_modules_importable(store) -> None:
    from dyadscope.theory import interdependence
    from dyadscope.theory.power import balance_of_power

    assert dyadscope.theory.power.balance_of_power is balance_of_power
    legacy = interdependence(store, "RUS", "CHN", 2010, 2012)  # the engine's own form
    new = dyadscope.theory.interdependence("Russia", "PRC", 2010, 2012)
    pd.testing.assert_frame_equal(legacy.dependence, new.dependence)
    assert new.dependence.attrs["notes"] == new.assumptions
    power = dyadscope.theory.power("russia", "china", start=2010, end=2010)
    assert power.rc_vs_us["coalition"].iloc[0] == "RUS+CHN"
    with pytest.raises(InputError, match=r"^rival: RUS is one of the dyad"):
        dyadscope.theory.power("RUS", "CHN", rival="SUN")


# --- provenance and output type -------------------------------------------------------


def test_indicators_default_span_and_provenance(shared_data: Path) -> None:
    """CINC 2010 RUS 0.0390844, CHN 0.2092237 (MANIFEST.md §5), read from the default span."""
    df = dyadscope.indicators("RUS", "CHN")
    nmc = pd.read_csv(shared_data / "cow" / "cow_nmc_v7.csv")
    assert df["year"].min() == 1816 and df["year"].max() >= int(nmc["year"].max())
    row = df[(df["year"] == 2010) & (df["indicator"] == "cinc_a")]
    assert row["value"].iloc[0] == pytest.approx(0.0390844, abs=1e-7)
    assert set(df.attrs) >= {"unit", "source", "coding", "notes", "sources", "datasets"}
    assert df.attrs["unit"] == "dyad-year"
    assert "COW NMC v7.0" in df.attrs["source"] and "ISO 3166-1" in df.attrs["coding"]
    assert df.attrs["sources"]["cinc_a"] == "COW NMC v7.0"
    assert any("from 1992" in n for n in df.attrs["notes"])  # the trade source switch


def test_arrow_output_carries_the_same_provenance() -> None:
    frame = dyadscope.dyad_years("RUS", "CHN", 2012, 2013, only="trade")
    table = dyadscope.dyad_years("RUS", "CHN", 2012, 2013, only="trade", to="arrow")
    meta = table.schema.metadata
    for key in ("unit", "source", "coding", "notes", "sources", "datasets"):
        assert json.loads(meta[key.encode()]) == frame.attrs[key], key
    pd.testing.assert_frame_equal(table.to_pandas(), frame, check_dtype=False)


def test_vendored_store_is_loaded_once_per_process() -> None:
    from dyadscope.api._common import get_store

    assert get_store(None) is get_store(None)


# --- errors name the parameter ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"a": "RUS", "b": "narnia"}, r"^b: unknown country 'narnia'"),
        ({"a": "RUS", "b": "SUN"}, r"^a and b: a dyad needs two different states"),
        ({"a": "RUS", "b": "CHN", "start": 2010, "end": 2000}, r"^start \(2010\) is after end"),
        ({"a": "RUS", "b": "CHN", "start": "2010"}, r"^start: expected a year"),
        ({"a": "RUS", "b": "CHN", "only": ["trade", "nope"]}, r"^only: unknown .*'nope'"),
        ({"a": "RUS", "b": "CHN", "periods": 0}, r"^periods: must be a positive"),
        ({"a": "RUS", "b": "CHN", "trade_source": "wto"}, r"^trade_source: must be"),
        ({"a": "RUS", "b": "CHN", "to": "polars"}, r"^to: must be 'pandas' or 'arrow'"),
        ({"a": "RUS", "b": "CHN", "store": "/nonexistent.duckdb"}, r"^store: no store file"),
    ],
)
def test_errors_name_the_python_parameter(kwargs: dict, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as info:
        dyadscope.indicators(**kwargs)
    assert "--" not in str(info.value)  # never a CLI flag
    if "narnia" in str(kwargs):
        assert isinstance(info.value, UnknownCountry)


# --- peacesciencer-style frames ---------------------------------------------------------


def test_create_dyad_years_counts_system_pairs(shared_data: Path) -> None:
    """Every year has n(n-1)/2 pairs of the n states NMC lists (2 orders if directed).

    In 1990 NMC lists West Germany (260) and the Yemen Arab Republic (678) beside the
    unified states (255, 679); each folds into its ISO3 state, so 1990 has n - 2 states.
    """
    nmc = pd.read_csv(shared_data / "cow" / "cow_nmc_v7.csv")
    n = nmc[nmc["year"].between(1990, 1992)].groupby("year")["ccode"].nunique().to_dict()
    n[1990] -= 2
    dy = dyadscope.create_dyad_years(start=1990, end=1992)
    assert dy.groupby("year").size().to_dict() == {y: k * (k - 1) // 2 for y, k in n.items()}
    assert (dy["ccode_a"] < dy["ccode_b"]).all()
    assert not dy[["a", "b", "year"]].duplicated().any()
    directed = dyadscope.create_dyad_years(start=1991, end=1991, directed=True)
    assert len(directed) == n[1991] * (n[1991] - 1)
    assert list(dy.columns) == ["a", "b", "ccode_a", "ccode_b", "year"]


def test_create_dyad_years_reads_year_aware_cow_codes() -> None:
    """Germany is COW 260 in 1989 and 255 in 1990; both rows say DEU."""
    dy = dyadscope.create_dyad_years(["germany", "RUS"], 1989, 1990)
    assert dy[["a", "b", "year"]].values.tolist() == [
        ["DEU", "RUS", 1989],
        ["DEU", "RUS", 1990],
    ]
    assert dy["ccode_a"].tolist() == [260, 255]
    with pytest.raises(InputError, match=r"^states: need at least two"):
        dyadscope.create_dyad_years(["RUS", "SUN"], 2000, 2000)


@pytest.mark.parametrize("name", ["add_capabilities", "add_trade", "add_alliances", "add_igos"])
def test_add_functions_match_dyad_years(name: str) -> None:
    """add_* on a created frame gives, row for row, what dyad_years gives for each dyad."""
    from dyadscope.api.frames import ADD_FAMILIES

    base = dyadscope.create_dyad_years(["RUS", "CHN", "USA"], 2000, 2001)
    out = getattr(dyadscope, name)(base)
    assert len(out) == len(base) and out.attrs["unit"] == "dyad-year"
    fam = ADD_FAMILIES[name]
    for (a, b), rows in out.groupby(["a", "b"]):
        want = dyadscope.dyad_years(a, b, 2000, 2001, only=fam)
        cols = [c for c in want.columns if c not in ("a", "b", "year")]
        got = rows[cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want[cols], check_dtype=False)
    assert set(out.attrs["datasets"]) >= {"nmc"}
    assert dyadscope.cite(out)


def test_add_indicators_on_a_users_frame_keeps_attrs_and_refuses_clashes() -> None:
    frame = pd.DataFrame({"a": ["russia", "RUS"], "b": ["china", "CHN"], "year": [2010, 2011]})
    frame.attrs["unit"] = "my unit"
    out = dyadscope.add_capabilities(frame)
    assert out["a"].tolist() == ["russia", "RUS"]  # the user's spelling is kept
    assert out["cinc_a"].notna().all() and out.attrs["unit"] == "my unit"
    with pytest.raises(InputError, match=r"^frame: already has column"):
        dyadscope.add_capabilities(out)
    with pytest.raises(InputError, match=r"^frame: needs columns a, b and year; missing year"):
        dyadscope.add_trade(frame.drop(columns="year"))
    with pytest.raises(InputError, match="max_dyads=1"):
        dyadscope.add_indicators(frame.assign(b=["china", "USA"]), "igos", max_dyads=1)


# --- engines, events, citations ---------------------------------------------------------


def test_scenario_run_finds_the_case_for_the_dyad() -> None:
    res = dyadscope.scenario.run("china", "russia", draws=300, seed=3)
    assert res.case_id == "russia_china"
    assert res.probabilities["share"].sum() == pytest.approx(1.0)
    assert res.probabilities.attrs["source"].startswith("case russia_china")


def test_event_series_calls_the_events_library_with_resolved_codes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import dyadscope.events

    seen: dict = {}

    def fake(store_dir, a, b, **kw):
        seen.update(store_dir=store_dir, a=a, b=b, **kw)
        return pd.DataFrame({"period": ["2019-10"], "events": [3]})

    monkeypatch.setattr(dyadscope.events, "series", fake)
    out = dyadscope.event_series("russia", "PRC", store=tmp_path, freq="year", to="arrow")
    assert (seen["a"], seen["b"], seen["store_dir"], seen["freq"]) == (
        "RUS",
        "CHN",
        tmp_path,
        "year",
    )
    assert json.loads(out.schema.metadata[b"unit"]) == "dyad-year"


def test_event_series_on_a_real_store(shared_data: Path, tmp_path: Path) -> None:
    from dyadscope.events import ingest, series

    store_2_0 = tmp_path / "events"
    ingest([shared_data / "gdelt" / "20191024143000.export.CSV"], store_2_0)

    got = dyadscope.event_series("United States", "china", store=store_2_0, freq="year")
    want = series(store_2_0, "USA", "CHN", freq="year")
    pd.testing.assert_frame_equal(got, want)
    assert "GDELT" in got.attrs["source"]


def test_cite_reads_frames_names_and_indicator_ids() -> None:
    from dyadscope.data.registry import cite

    assert dyadscope.cite(["nmc"]) == cite(["nmc"]) == dyadscope.cite("cinc_a")
    assert len(dyadscope.cite()) == len(cite(None))
    with pytest.raises(InputError, match=r"^what: 'nope' is neither a dataset"):
        dyadscope.cite(["nope"])


def test_brief_resolves_the_dyad_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(UnknownCountry, match=r"^b: unknown country"):
        dyadscope.brief("RUS", "narnia", tmp_path / "b.html")
    assert not (tmp_path / "b.html").exists()


# --- the README's Python section runs as written ----------------------------------------


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("path", [README, API_DOC], ids=["README", "api.md"])
def test_documented_python_examples_run(path: Path, tmp_path: Path, monkeypatch) -> None:
    blocks = _python_blocks(path)
    assert blocks, f"{path.name} has no python examples"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, f"{path.name} python block", "exec"), namespace)


# --- docs/ARCHITECTURE.md's import direction holds ------------------------------------

_LOW = {"errors", "_io", "_sql", "_callable", "__init__"}
_ALLOWED = {
    "data": _LOW | {"data"},
    "case": _LOW | {"case", "data"},
    "indicators": _LOW | {"indicators", "case", "data"},
    "events": _LOW | {"events", "indicators", "case", "data"},
    "evidence": _LOW | {"_sql", "evidence", "indicators", "case", "data"},
    "theory": _LOW | {"theory", "scenario", "events", "indicators", "case", "data", "api"},
    "scenario": _LOW | {"scenario", "theory", "events", "indicators", "case", "data", "api"},
    "report": _LOW
    | {"report", "theory", "scenario", "events", "evidence", "indicators", "case", "data"},
    "api": _LOW
    | {"api", "report", "theory", "scenario", "events", "evidence", "indicators", "case", "data"},
}


@pytest.mark.parametrize("package", sorted(_ALLOWED))
def test_imports_point_down_the_layers(package: str) -> None:
    """Each layer imports only its own layer and the ones below (api re-exports excepted)."""
    import ast

    src = ROOT / "src" / "dyadscope" / package
    bad = []
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                parts = name.split(".")
                if parts[0] == "dyadscope" and len(parts) > 1 and parts[1] not in _ALLOWED[package]:
                    bad.append(f"{path.relative_to(src)} imports {name}")
    assert not bad, bad


@pytest.mark.parametrize(
    "module",
    [
        "dyadscope.api._common",
        "dyadscope.api.frames",
        "dyadscope.api.engines",
        "dyadscope.data.dyad",
        "dyadscope._callable",
    ],
)
def test_api_docstring_examples_run(module: str) -> None:
    import doctest

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_modules_below_the_api_accept_a_dyad(store) -> None:
    """A Dyad built once passes down: indicators.compute and the theory mapping take it."""
    from dyadscope import Dyad
    from dyadscope.indicators import compute
    from dyadscope.theory._common import resolve_states

    d = Dyad.resolve("russia", "china")
    by_dyad = compute(store, d, None, 2010, 2010, only=["capability"])
    pd.testing.assert_frame_equal(
        by_dyad, compute(store, "RUS", "CHN", 2010, 2010, only=["capability"])
    )
    assert resolve_states(store, d) == {"RUS": 365, "CHN": 710}
