"""Synthetic raw GDELT files that look like the real thing, for benchmarks and scale tests.

Why: the real samples we may ship are a few thousand rows, while the questions a
benchmark asks ("how does ingest scale to ten million events?") need files of the
size GDELT actually publishes.  :func:`synthesize` writes raw, tab-separated,
header-less export files named and split like GDELT's own (one 2.0 file per 15
minutes, ~1,500–3,000 rows each; one 1.0 file per day), whose columns are drawn from
distributions estimated on real exports.

The distributions live in a small vendored table, ``events/tables/synth_gdelt.json``,
made by ``scripts/fit_synth_tables.py`` from real files at build time (the product
never reads the samples it was fitted on, nor carries the fitting code).  Each
categorical block is sampled *jointly* from its empirical distribution, so the values
inside a block stay consistent:

* the event block (EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale)
  comes from one table row per official CAMEO code, with the official Goldstein value
  and the QuadClass implied by the root code, so every synthetic row agrees with the
  official tables;
* each actor block (code, name, country, group, ethnicity, religions, types) and each
  place block (geo type, name, FIPS country, ADM1/ADM2, lat/long, feature id) is an
  observed combination;
* (NumMentions, NumSources, NumArticles) is an observed triple; AvgTone comes from
  its empirical quantiles; the lag between DATEADDED and SQLDATE from its empirical
  distribution.

Generation is vectorised with numpy and written with pyarrow's CSV writer; blocks
are seeded from ``(seed, block)``, so the same arguments give the same bytes.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dyadscope._io import atomic_path
from dyadscope.errors import InputError
from dyadscope.events.schema import (
    ACTOR_FIELDS,
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
)

__all__ = [
    "ACTORS",
    "COUNT_FIELDS",
    "EVENT_FIELDS",
    "GEOS",
    "GEO_FIELDS",
    "TABLES_PATH",
    "SynthResult",
    "gdelt_columns",
    "load_tables",
    "synthesize",
]

#: The vendored distribution tables (fitted by ``scripts/fit_synth_tables.py``).
TABLES_PATH = Path(__file__).resolve().parent / "tables" / "synth_gdelt.json"

GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
EVENT_FIELDS = ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale")
COUNT_FIELDS = ("NumMentions", "NumSources", "NumArticles")
#: Column prefixes of the two actor blocks and of the three place blocks.
ACTORS = ("Actor1", "Actor2")
GEOS = ("Actor1Geo", "Actor2Geo", "ActionGeo")
#: Seconds between two GDELT 2.0 exports, and between two 1.0 daily files.
_SLOT_SECONDS = {2: 15 * 60, 1: 24 * 3600}
_BLOCK_ROWS = 262_144


def gdelt_columns(version: Literal[1, 2]) -> list[str]:
    """Official columns of a raw GDELT file of ``version`` (61 for 2.0, 58 for 1.0 dailies).

    >>> len(gdelt_columns(2)), len(gdelt_columns(1))
    (61, 58)
    """
    return list(GDELT2_COLUMNS if version == 2 else GDELT1_COLUMNS)


@cache
def load_tables(path: str | os.PathLike[str] = TABLES_PATH) -> dict[str, Any]:
    """The vendored distribution tables (read once per process)."""
    try:
        tables: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        return tables
    except FileNotFoundError:
        raise InputError(
            f"synthetic-data tables not found at {path}; reinstall dyadscope or refit "
            "them with scripts/fit_synth_tables.py from a source checkout"
        ) from None


# --------------------------------------------------------------------------- sampling


class _Sampler:
    """Draws whole blocks of columns from the fitted tables with one RNG."""

    def __init__(self, tables: dict[str, Any], rng: np.random.Generator) -> None:
        self.t = tables
        self.rng = rng

    def index(self, weights: Sequence[float], n: int) -> np.ndarray:
        p = np.asarray(weights, dtype=np.float64)
        cdf = np.cumsum(p / p.sum())
        cdf[-1] = 1.0
        return np.searchsorted(cdf, self.rng.random(n), side="right").astype(np.int32)

    @staticmethod
    def take(
        values: Sequence[Sequence[str]], idx: np.ndarray, names: Sequence[str]
    ) -> dict[str, Any]:
        """Columns ``names`` of the rows ``values[idx]``, as Arrow string arrays."""
        indices = pa.array(idx)
        return {
            name: pa.DictionaryArray.from_arrays(
                indices, pa.array([str(row[j]) for row in values], pa.string())
            )
            for j, name in enumerate(names)
        }


def _block(
    tables: dict[str, Any],
    rng: np.random.Generator,
    ids: np.ndarray,
    added: np.ndarray,
    version: Literal[1, 2],
) -> pa.Table:
    """One block of synthetic rows: ``ids`` are GLOBALEVENTIDs, ``added`` their DATEADDED."""
    n = len(ids)
    s = _Sampler(tables, rng)
    cols: dict[str, pa.Array] = {}

    lag = tables["lag_days"]
    lags = np.asarray(lag["values"], dtype="timedelta64[D]")[s.index(lag["weights"], n)]
    day = added.astype("datetime64[D]") - lags
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (day - day.astype("datetime64[M]")).astype(np.int64) + 1
    cols["GLOBALEVENTID"] = pa.array(ids).cast(pa.string())
    cols["SQLDATE"] = pa.array(year * 10000 + month * 100 + dom).cast(pa.string())
    cols["MonthYear"] = pa.array(year * 100 + month).cast(pa.string())
    cols["Year"] = pa.array(year).cast(pa.string())
    # GDELT's FractionDate counts 30-day months: 2018-10-24 -> 2018 + 294/365.
    cols["FractionDate"] = pa.array(np.round(year + ((month - 1) * 30 + dom) / 365, 4)).cast(
        pa.string()
    )

    for actor in ACTORS:
        block = tables[actor]
        idx = s.index(block["weights"], n)
        cols.update(s.take(block["values"], idx, [f"{actor}{f}" for f in ACTOR_FIELDS]))

    cols["IsRootEvent"] = pa.array((rng.random(n) < tables["is_root_share"]).astype(np.int8)).cast(
        pa.string()
    )
    ev = tables["events"]
    cols.update(s.take(ev["values"], s.index(ev["weights"], n), EVENT_FIELDS))
    cnt = tables["counts"]
    cols.update(s.take(cnt["values"], s.index(cnt["weights"], n), COUNT_FIELDS))
    quantiles = np.asarray(tables["tone_quantiles"])
    tone = np.interp(rng.random(n), np.linspace(0, 1, len(quantiles)), quantiles)
    cols["AvgTone"] = pa.array(tone).cast(pa.string())

    places = tables["places"]
    action = s.index(places["ActionGeo_weights"], n)
    geo_fields = GEO_FIELDS if version == 2 else tuple(f for f in GEO_FIELDS if f != "ADM2Code")
    for geo in GEOS:
        idx = action
        if geo != "ActionGeo":
            own = s.index(places[f"{geo}_weights"], n)
            idx = np.where(rng.random(n) < places["same_as_action"][geo], action, own)
        picked = s.take(places["values"], idx, [f"{geo}_{f}" for f in GEO_FIELDS])
        cols.update({f"{geo}_{f}": picked[f"{geo}_{f}"] for f in geo_fields})

    stamp = "%Y%m%d%H%M%S" if version == 2 else "%Y%m%d"
    slots, inverse = np.unique(added, return_inverse=True)
    labels = [pd.Timestamp(t).strftime(stamp) for t in slots]
    cols["DATEADDED"] = pa.DictionaryArray.from_arrays(
        pa.array(inverse.astype(np.int32)), pa.array(labels)
    ).cast(pa.string())
    urls = tables["url_domains"]
    domain = s.take([[v] for v in urls["values"]], s.index(urls["weights"], n), ["d"])["d"]
    domain = domain.cast(pa.string())
    cols["SOURCEURL"] = pc.binary_join_element_wise(
        pc.binary_join_element_wise("https:/", domain, "/"), "news", cols["GLOBALEVENTID"], "/"
    )
    names = gdelt_columns(version)
    return pa.table([cols[c] for c in names], names=names)


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class SynthResult:
    """What :func:`synthesize` wrote: the files (in time order) and the row counts.

    ``bad_rows`` lines were made malformed on purpose and ``duplicate_rows`` repeat
    the GLOBALEVENTID of an earlier good row, so a correct ingest stores exactly
    ``rows - bad_rows - duplicate_rows`` events.
    """

    files: list[Path]
    rows: int
    seed: int
    version: int
    bad_rows: int = 0
    duplicate_rows: int = 0


def _corrupt_line(line: bytes, kind: int) -> bytes:
    """A malformed variant of a good line: a field too many, a bad SQLDATE, a bad id.

    A field too many (59 or 62) fits no GDELT layout, whereas a field short would
    turn a 58-field 1.0 line into a valid-looking 57-field backfile line.
    """
    if kind == 0:
        return line + b"\tstray"
    fields = line.split(b"\t")
    if kind == 1:
        fields[1] = b"2019-13-99"
    else:
        fields[0] = b"X" + fields[0]
    return b"\t".join(fields)


_FAULT_KINDS = 3


@dataclass
class _Faults:
    """Rows of one block to corrupt (with how) and to turn into repeats of earlier rows."""

    bad: np.ndarray  # bool per row
    kind: np.ndarray  # 0..2 per row, used where ``bad``
    duplicates: int

    @classmethod
    def plan(cls, ids: np.ndarray, rng: np.random.Generator, bad: float, dup: float) -> _Faults:
        """Draw the faults and rewrite ``ids`` in place for the duplicates.

        A duplicate copies the id of an earlier row that is neither bad nor itself a
        duplicate, so every duplicate is exactly one extra copy of a stored event.
        """
        n = len(ids)
        is_bad = rng.random(n) < bad
        kind = rng.integers(0, _FAULT_KINDS, n)
        is_dup = (rng.random(n) < dup) & ~is_bad
        sources = np.flatnonzero(~is_bad & ~is_dup)
        positions = np.flatnonzero(is_dup)
        before = np.searchsorted(sources, positions)
        positions, before = positions[before > 0], before[before > 0]
        picks = sources[(rng.random(len(before)) * before).astype(np.int64)]
        ids[positions] = ids[picks]
        return cls(bad=is_bad, kind=kind, duplicates=len(positions))


def _file_sizes(rows: int, rows_per_file: int | None, rng: np.random.Generator) -> np.ndarray:
    """Rows in each file: fixed, or drawn uniformly in 1,500–3,000 like real 2.0 exports."""
    if rows_per_file is not None:
        n_files = math.ceil(rows / rows_per_file)
        sizes = np.full(n_files, rows_per_file, dtype=np.int64)
    else:
        sizes = rng.integers(1_500, 3_001, size=rows // 1_500 + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), rows) + 1]
    sizes[-1] -= sizes.sum() - rows
    return sizes


def _blocks(sizes: np.ndarray) -> Iterator[tuple[int, int]]:
    """Group consecutive files into blocks of about ``_BLOCK_ROWS`` rows (file ranges)."""
    start, acc = 0, 0
    for i, size in enumerate(sizes):
        acc += int(size)
        if acc >= _BLOCK_ROWS:
            yield start, i + 1
            start, acc = i + 1, 0
    if start < len(sizes):
        yield start, len(sizes)


def _render(
    table: pa.Table, options: pacsv.WriteOptions, bad: np.ndarray, kind: np.ndarray
) -> pa.Table | bytes:
    """The table itself when all its rows are good, else its CSV bytes with lines corrupted."""
    if not bad.any():
        return table
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, options)
    lines = sink.getvalue().to_pybytes().split(b"\n")
    for i in np.flatnonzero(bad):
        lines[i] = _corrupt_line(lines[i], int(kind[i]))
    return b"\n".join(lines)


def _write(
    content: pa.Table | bytes, target: Path, options: pacsv.WriteOptions, *, zipped: bool
) -> Path:
    """Write one export atomically, plain or as a one-member zip like GDELT's downloads."""
    final = target.with_name(target.name + ".zip") if zipped else target
    with atomic_path(final) as tmp, open(tmp, "wb") as raw:
        if zipped:
            with (
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf,
                zf.open(target.name, "w") as fh,
            ):
                _emit(content, fh, options)
        else:
            _emit(content, raw, options)
    return final


def _emit(content: pa.Table | bytes, fh: Any, options: pacsv.WriteOptions) -> None:
    if isinstance(content, bytes):
        fh.write(content)
    else:
        pacsv.write_csv(content, fh, options)


def synthesize(
    rows: int,
    out_dir: str | os.PathLike[str],
    *,
    gdelt: Literal[1, 2] = 2,
    seed: int = 0,
    rows_per_file: int | None = None,
    start: datetime = datetime(2019, 1, 1),
    first_id: int = 800_000_000,
    zipped: bool = False,
    bad_fraction: float = 0.0,
    duplicate_fraction: float = 0.0,
    tables: dict[str, Any] | None = None,
) -> SynthResult:
    """Write ``rows`` synthetic raw GDELT events into ``out_dir``, split like real exports.

    GDELT 2.0 files are named ``YYYYMMDDHHMMSS.export.CSV``, one per 15 minutes from
    ``start``; 1.0 files ``YYYYMMDD.export.CSV``, one per day.  Each file holds
    ``rows_per_file`` rows, or 1,500–3,000 when it is None.  GLOBALEVENTIDs run from
    ``first_id``.  With ``zipped`` each file is a ``.CSV.zip`` holding one CSV, as
    GDELT distributes them.  ``bad_fraction`` of the lines are made malformed (a
    field too many, an impossible SQLDATE or a non-numeric GLOBALEVENTID) and
    ``duplicate_fraction`` repeat an earlier event's GLOBALEVENTID, to test that an
    ingest accounts for every row.  The same arguments always give the same CSVs.

    >>> result = synthesize(10_000, "bench-data/raw", seed=1)  # doctest: +SKIP
    >>> result.files[0].name  # doctest: +SKIP
    '20190101000000.export.CSV'
    """
    if gdelt not in (1, 2):
        raise InputError(f"gdelt must be 1 or 2, not {gdelt!r}")
    if rows < 1:
        raise InputError(f"rows must be a positive number of events, not {rows}")
    if rows_per_file is not None and rows_per_file < 1:
        raise InputError(f"rows_per_file must be positive, not {rows_per_file}")
    for option, value in (
        ("bad_fraction", bad_fraction),
        ("duplicate_fraction", duplicate_fraction),
    ):
        if not 0 <= value < 1:
            raise InputError(f"{option} must be in [0, 1), not {value}")
    if (start - datetime(start.year, 1, 1)).total_seconds() % _SLOT_SECONDS[gdelt]:
        every = "15 minutes" if gdelt == 2 else "day"
        raise InputError(f"start {start:%Y-%m-%d %H:%M}: GDELT {gdelt}.0 files start every {every}")
    tables = tables if tables is not None else load_tables()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sizes = _file_sizes(rows, rows_per_file, np.random.default_rng([seed, 0]))
    slot = np.timedelta64(_SLOT_SECONDS[gdelt], "s")
    stamps = np.datetime64(start, "s") + slot * np.arange(len(sizes))
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    stamp_fmt = "%Y%m%d%H%M%S" if gdelt == 2 else "%Y%m%d"
    options = pacsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")
    files: list[Path] = []
    bad_rows = duplicate_rows = 0
    for block_no, (f0, f1) in enumerate(_blocks(sizes)):
        lo, hi = int(offsets[f0]), int(offsets[f1])
        ids = np.arange(first_id + lo, first_id + hi)
        # Faults draw from their own stream: a fault-free run is unchanged by them.
        faults = _Faults.plan(
            ids, np.random.default_rng([seed, 2, block_no]), bad_fraction, duplicate_fraction
        )
        bad_rows += int(faults.bad.sum())
        duplicate_rows += faults.duplicates
        added = np.repeat(stamps[f0:f1], sizes[f0:f1])
        table = _block(tables, np.random.default_rng([seed, 1, block_no]), ids, added, gdelt)
        for f in range(f0, f1):
            name = f"{pd.Timestamp(stamps[f]).strftime(stamp_fmt)}.export.CSV"
            rows_f = slice(int(offsets[f]) - lo, int(offsets[f + 1]) - lo)
            part = table.slice(rows_f.start, int(sizes[f]))
            content = _render(part, options, faults.bad[rows_f], faults.kind[rows_f])
            files.append(_write(content, out / name, options, zipped=zipped))
    return SynthResult(
        files=files,
        rows=rows,
        seed=seed,
        version=gdelt,
        bad_rows=bad_rows,
        duplicate_rows=duplicate_rows,
    )
