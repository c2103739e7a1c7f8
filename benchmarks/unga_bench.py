"""Benchmark: all-pairs UNGA agreement, DuckDB (dyadscope) vs straightforward pandas.

Both sides compute, for every year 1946–2020 and every pair of states that voted
on a common roll call, ``n``, the same-vote share and Cohen's κ, from the same
vendored roll calls. dyadscope runs :func:`dyadscope.indicators.unga_agreement_matrix`
(one DuckDB query for all years); the baseline is the obvious pandas program (per
year: self-merge the votes on ``rcid``, keep each pair once, group and aggregate).

The pandas side gets its input already in memory (the read from the store is not
timed), so the ratio favours the baseline. Both sides apply the same year rule: only
years the roll calls cover in full (:func:`dyadscope.indicators.last_complete_year`;
the vendored votes stop in January 2020, so 2020 is left out of both). Results must be
identical: the same pairs and ``n``, and shares and κ equal to 1e-12; the run raises
``AssertionError`` otherwise (the test suite's smoke run relies on it).

Run: ``python -m benchmarks.unga_bench`` (``--quick`` for two years only).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np
import pandas as pd

from dyadscope.data.store import Store, vendored_store
from dyadscope.indicators import unga_agreement_matrix
from dyadscope.indicators.unga import last_complete_year

FULL_YEARS = range(1946, 2021)
QUICK_YEARS = range(2018, 2020)
TARGET_RATIO = 5.0
_CATEGORIES = ("yes", "no", "abstain")
_KEYS = ["year", "iso3_a", "iso3_b"]


def comparable_years(store: Store, years: range) -> list[int]:
    """The years of ``years`` the roll calls cover in full: both sides compute these."""
    last = last_complete_year(store)
    return [y for y in years if last is None or y <= last]


def load_votes(store: Store, years: list[int]) -> pd.DataFrame:
    """Votes with their roll call's year, as the pandas baseline's input."""
    return store.con.execute(
        """SELECT r.year, v.rcid, v.iso3, v.vote
           FROM unga_votes v JOIN unga_rollcalls r USING (rcid)
           WHERE list_contains($years, r.year)""",
        {"years": years},
    ).df()


def pandas_agreement(votes: pd.DataFrame) -> pd.DataFrame:
    """The same definition as dyadscope's, written the straightforward pandas way."""
    frames = []
    for year, v in votes.groupby("year"):
        pairs = v[["rcid", "iso3", "vote"]].merge(v[["rcid", "iso3", "vote"]], on="rcid")
        pairs = pairs[pairs["iso3_x"] < pairs["iso3_y"]]
        flags = {"same": pairs["vote_x"] == pairs["vote_y"]}
        for cat in _CATEGORIES:
            flags[f"a_{cat}"] = pairs["vote_x"] == cat
            flags[f"b_{cat}"] = pairs["vote_y"] == cat
        data = pd.DataFrame(flags).astype("int64")
        data["iso3_a"], data["iso3_b"] = pairs["iso3_x"], pairs["iso3_y"]
        g = data.groupby(["iso3_a", "iso3_b"]).sum()
        n = data.groupby(["iso3_a", "iso3_b"]).size()
        same = g["same"] / n
        p_e = sum(g[f"a_{c}"] * g[f"b_{c}"] for c in _CATEGORIES) / (n.astype(float) * n)
        kappa = (same - p_e) / (1 - p_e).where(p_e != 1)
        out = pd.DataFrame({"n": n, "same_vote": same, "kappa": kappa}).reset_index()
        out.insert(0, "year", year)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(_KEYS).reset_index(drop=True)


def check_identical(ours: pd.DataFrame, base: pd.DataFrame) -> None:
    """Raise AssertionError unless both frames hold the same pairs and values."""
    x, y = _sorted(ours), _sorted(base)
    assert len(x) == len(y), f"row counts differ: {len(x)} vs {len(y)}"
    for key in _KEYS:
        assert (x[key].astype(str).to_numpy() == y[key].astype(str).to_numpy()).all(), key
    assert (x["n"].to_numpy() == y["n"].to_numpy()).all(), "n differs"
    for col in ("same_vote", "kappa"):
        a, b = x[col].to_numpy(dtype=float), y[col].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), f"{col}: NaN positions differ"
        ok = ~np.isnan(a)
        assert np.allclose(a[ok], b[ok], rtol=0, atol=1e-12), f"{col} differs"


def main(quick: bool = False) -> dict[str, Any]:
    """Time both implementations in one run, check they agree, print and return the ratio."""
    asked = QUICK_YEARS if quick else FULL_YEARS
    store = vendored_store()
    years = comparable_years(store, asked)
    t0 = time.perf_counter()
    ours = unga_agreement_matrix(store, years)
    t_duckdb = time.perf_counter() - t0
    votes = load_votes(store, years)
    t0 = time.perf_counter()
    base = pandas_agreement(votes)
    t_pandas = time.perf_counter() - t0
    check_identical(ours, base)
    ratio = t_pandas / t_duckdb
    result = {
        "benchmark": "unga_agreement_all_pairs",
        "years": f"{years[0]}-{years[-1]}",
        "years_left_out": [y for y in asked if y not in years],
        "pairs": len(ours),
        "duckdb_s": round(t_duckdb, 3),
        "pandas_s": round(t_pandas, 3),
        "ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "identical": True,
    }
    print(
        f"UNGA all-pairs agreement {result['years']} ({len(ours):,} dyad-years): "
        f"dyadscope/DuckDB {t_duckdb:.2f} s, pandas {t_pandas:.2f} s, "
        f"ratio {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x), results identical"
        + (
            f"; left out (partly covered): {result['years_left_out']}"
            if result["years_left_out"]
            else ""
        )
    )
    return result


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
