"""Fit the distribution tables of dyadscope's synthetic GDELT (``events/tables/synth_gdelt.json``).

The product only samples from the vendored table (:mod:`dyadscope.events.synth`); this
script, which needs real raw GDELT files, is how the table is made. Refit it from the
samples in ``../shared/data/gdelt`` (the files the vendored table lists in ``sources``)::

    .venv/bin/python scripts/fit_synth_tables.py \\
        ../shared/data/gdelt/20191024143000.export.CSV \\
        ../shared/data/gdelt/gdelt1_reed9999/20160728.export.CSV \\
        ../shared/data/gdelt/gdelt1_reed9999/1982.csv

``tests/events/test_synth.py`` refits from those files and checks that the result is
exactly the vendored table (no hand edits).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dyadscope._io import atomic_path
from dyadscope.errors import InputError, SchemaError
from dyadscope.events import cameo
from dyadscope.events.schema import ACTOR_FIELDS, GDELT2_COLUMNS, layout_for_field_count
from dyadscope.events.synth import (
    ACTORS,
    COUNT_FIELDS,
    EVENT_FIELDS,
    GEO_FIELDS,
    GEOS,
    TABLES_PATH,
    load_tables,
)

#: Pseudo-count given to every official code, so rare codes still occur at scale.
_CODE_SMOOTHING = 0.1


def _md5(path: Path) -> str:
    """Hex MD5 of a file (GDELT publishes MD5 sums; the table records the samples')."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "md5").hexdigest()


def _read_raw(path: Path) -> tuple[pd.DataFrame, int]:
    """Read a raw header-less GDELT file as text; return it with its GDELT version."""
    frame = pd.read_csv(path, sep="\t", header=None, dtype=str, keep_default_na=False, quoting=3)
    try:
        layout = layout_for_field_count(frame.shape[1])
    except SchemaError as exc:
        raise SchemaError(f"{path}: {exc}") from None
    frame.columns = list(layout.columns)
    for col in GDELT2_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    return frame, 2 if layout.columns == GDELT2_COLUMNS else 1


def _weighted(series: pd.Series | pd.DataFrame) -> dict[str, list[Any]]:
    """Empirical distribution of a column (or of whole rows): values and counts."""
    counts = series.value_counts(sort=True)
    values = [list(v) if isinstance(v, tuple) else v for v in counts.index]
    return {"values": values, "weights": [int(c) for c in counts.to_numpy()]}


def _check_event_block(data: pd.DataFrame) -> None:
    """Refuse samples whose Goldstein value or QuadClass disagrees with the official tables."""
    official = data["EventCode"].map(cameo.goldstein())
    unknown = sorted(set(data.loc[official.isna(), "EventCode"]))
    if unknown:
        raise SchemaError(f"sample event codes not in the official CAMEO table: {unknown[:10]}")
    bad_goldstein = data.loc[official != data["GoldsteinScale"].astype(float), "EventCode"]
    implied = data["EventCode"].map(lambda c: str(cameo.quad_class(c)))
    bad_quad = data.loc[implied != data["QuadClass"], "EventCode"]
    if len(bad_goldstein) or len(bad_quad):
        raise SchemaError(
            f"{len(bad_goldstein)} sample rows disagree with the official Goldstein table "
            f"(codes {sorted(set(bad_goldstein))[:10]}) and {len(bad_quad)} with the "
            f"root-code QuadClass (codes {sorted(set(bad_quad))[:10]}); fit on clean files"
        )


def fit_tables(sample_paths: Sequence[str | os.PathLike[str]]) -> dict[str, Any]:
    """Estimate the synthetic-data distributions from real raw GDELT files.

    ``sample_paths`` are raw exports (1.0 or 2.0; the version is read from the column
    count).  The event block takes the official CAMEO/Goldstein tables of
    :mod:`dyadscope.events.cameo`, and refuses samples that disagree with them.  Event
    codes are weighted by their count in the samples plus a small pseudo-count, so
    every official code can occur; the date lag and the mention counts come from the
    2.0 files only, because 1.0 backfiles were added years after the events.

    >>> tables = fit_tables(["20191024143000.export.CSV"])  # doctest: +SKIP
    >>> write_tables(tables)  # doctest: +SKIP
    """
    frames: list[pd.DataFrame] = []
    sources = []
    for raw in sample_paths:
        path = Path(raw)
        frame, version = _read_raw(path)
        frame["_version"] = version
        frames.append(frame)
        sources.append({"file": path.name, "md5": _md5(path), "rows": len(frame)})
    data = pd.concat(frames, ignore_index=True)
    v2 = data[data["_version"] == 2]
    if v2.empty:
        raise InputError("fit_tables needs at least one raw GDELT 2.0 export (61 columns)")

    _check_event_block(data)
    observed = data["EventCode"].value_counts()
    # GDELT events carry 3- or 4-digit codes; the 2-digit root rows only label families.
    event_rows, event_weights = [], []
    for code, score in cameo.goldstein().items():
        if len(code) < 3:
            continue
        root = code[:2]
        event_rows.append([code, code[:3], root, str(cameo.quad_class(code)), f"{score:.1f}"])
        event_weights.append(round(int(observed.get(code, 0)) + _CODE_SMOOTHING, 6))

    places = pd.concat(
        [
            data[[f"{geo}_{f}" for f in GEO_FIELDS]].set_axis(list(GEO_FIELDS), axis=1)
            for geo in GEOS
        ],
        ignore_index=True,
    ).drop_duplicates(ignore_index=True)
    place_key = {tuple(row): i for i, row in enumerate(places.itertuples(index=False))}
    geo_weights = {}
    for geo in GEOS:
        keys = data[[f"{geo}_{f}" for f in GEO_FIELDS]].itertuples(index=False, name=None)
        counts = np.bincount([place_key[k] for k in keys], minlength=len(places))
        geo_weights[geo] = [int(c) for c in counts]
    same_place = {
        geo: float(
            (
                data[[f"{geo}_{f}" for f in GEO_FIELDS]].to_numpy()
                == data[[f"ActionGeo_{f}" for f in GEO_FIELDS]].to_numpy()
            )
            .all(axis=1)
            .mean()
        )
        for geo in GEOS[:2]
    }
    added = pd.to_datetime(v2["DATEADDED"].str[:8], format="%Y%m%d")
    lag = (added - pd.to_datetime(v2["SQLDATE"], format="%Y%m%d")).dt.days
    domains = v2["SOURCEURL"].str.extract(r"^https?://([^/\s]+)", expand=False).dropna()
    tone = data["AvgTone"].astype(float).to_numpy()
    return {
        "about": (
            "Distributions for dyadscope.events.synth, fitted by scripts/fit_synth_tables.py "
            "on the raw GDELT files listed in 'sources'. Each block is an empirical joint "
            "distribution."
        ),
        "sources": sources,
        "events": {"fields": list(EVENT_FIELDS), "values": event_rows, "weights": event_weights},
        **{
            f"{actor}": {
                "fields": list(ACTOR_FIELDS),
                **_weighted(data[[f"{actor}{f}" for f in ACTOR_FIELDS]]),
            }
            for actor in ACTORS
        },
        "places": {
            "fields": list(GEO_FIELDS),
            "values": places.to_numpy().tolist(),
            **{f"{geo}_weights": geo_weights[geo] for geo in GEOS},
            "same_as_action": same_place,
        },
        "is_root_share": float((data["IsRootEvent"] == "1").mean()),
        "counts": {"fields": list(COUNT_FIELDS), **_weighted(v2[list(COUNT_FIELDS)])},
        "tone_quantiles": [float(q) for q in np.quantile(tone, np.linspace(0, 1, 101))],
        "lag_days": _weighted(lag.astype(int)),
        "url_domains": _weighted(domains),
    }


def write_tables(tables: dict[str, Any], path: str | os.PathLike[str] = TABLES_PATH) -> Path:
    """Write fitted tables as JSON (atomically), one compact line per top-level key."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in tables.items()]
    with atomic_path(path) as tmp:
        tmp.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        tmp.chmod(0o644)
    load_tables.cache_clear()
    return Path(path)


def main(argv: Sequence[str]) -> int:
    """Refit the vendored tables from the raw GDELT files named in ``argv``."""
    if not argv:
        print("usage: scripts/fit_synth_tables.py RAW_GDELT_FILE...", file=sys.stderr)
        return 2
    path = write_tables(fit_tables(argv))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
