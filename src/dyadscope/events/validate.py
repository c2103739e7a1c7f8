"""Type, check and geo-code the lines a file was loaded into (see :mod:`.parse`).

Every line gets either the canonical typed columns of
:data:`~dyadscope.events.schema.CANONICAL_COLUMNS` or a ``reason`` that sends it to
quarantine: the first problem found, naming the field and its value, e.g.
``bad date in SQLDATE: '20191345'`` or ``unknown event code in EventCode: '999'``.
Checks, in order: the field count (from :mod:`.parse`), GLOBALEVENTID, SQLDATE,
EventCode against the official CAMEO table, QuadClass in 1–4, every numeric field
(GoldsteinScale first), DATEADDED.  Missing optional fields are NULL, never 0.

Rows whose GoldsteinScale or QuadClass disagree with the official table for their
event code are kept (they are GDELT's data as published) but flagged, so ingest
can count them per file.  Actor country codes (CAMEO) and geographic country codes
(FIPS 10-4) are mapped to ISO3 through :mod:`dyadscope.data.countries`: every
possible code is mapped once per process into a small lookup table that the SQL
joins, so no Python runs per row.
"""

from __future__ import annotations

import functools
import itertools
import os
import string
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dyadscope._sql import quote_identifier, quote_literal
from dyadscope.data.countries import Scheme, to_iso3
from dyadscope.events.cameo import event_table
from dyadscope.events.parse import load_batch
from dyadscope.events.schema import (
    CANONICAL_COLUMNS,
    GDELT2_COLUMNS,
    OFFICIAL_TO_CANONICAL,
    official_type,
)

OFFICIAL_BY_CANONICAL = {v: k for k, v in OFFICIAL_TO_CANONICAL.items()}

CAMEO_TABLE = "cameo_codes"
_REQUIRED = ("GLOBALEVENTID", "SQLDATE", "EventCode", "QuadClass")
_ISO_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("actor1_iso3", "actor1_country_code", "cameo"),
    ("actor2_iso3", "actor2_country_code", "cameo"),
    ("actor1_geo_iso3", "actor1_geo_country_code", "fips"),
    ("actor2_geo_iso3", "actor2_geo_country_code", "fips"),
    ("action_geo_iso3", "action_geo_country_code", "fips"),
)


@functools.cache
def _iso3_lookup(scheme: Scheme) -> pd.DataFrame:
    """Every code of ``scheme`` that names a state, with its ISO3 (computed once).

    CAMEO actor country codes are three capital letters and FIPS 10-4 codes two
    characters, so all candidates are enumerated and mapped by
    :func:`dyadscope.data.countries.to_iso3`; ingest then joins this small table
    instead of calling Python per row.
    """
    alphabet = (
        string.ascii_uppercase if scheme == "cameo" else string.ascii_uppercase + string.digits
    )
    width = 3 if scheme == "cameo" else 2
    codes = pd.Series(["".join(c) for c in itertools.product(alphabet, repeat=width)])
    iso3 = to_iso3(codes, scheme, errors="coerce")
    keep = iso3.notna()
    return pd.DataFrame({"code": codes[keep].to_numpy(), "iso3": iso3[keep].astype(str).to_numpy()})


def register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temp lookup tables ingest joins: official CAMEO codes and ISO3 maps."""
    frames = {
        CAMEO_TABLE: event_table()[["code", "goldstein", "quad_class"]].rename(
            columns={
                "code": "cameo_code",
                "goldstein": "cameo_goldstein",
                "quad_class": "cameo_quad",
            }
        ),
        "iso_cameo": _iso3_lookup("cameo"),
        "iso_fips": _iso3_lookup("fips"),
    }
    for name, frame in frames.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")


def _show(col: str) -> str:
    """SQL rendering a field's value for a message: quoted, at most 60 characters."""
    return f"'''' || left(coalesce({col}, ''), 60) || ''''"


def _canonical(official: str) -> str:
    return OFFICIAL_TO_CANONICAL[official]


def _reason_sql() -> str:
    """The first problem of a line, or NULL when it is a good event.

    Runs over a relation holding both the text of each official field (quoted
    official names) and its typed value (canonical names), so every cast is done once.
    """
    checks = ["pre_reason"]
    for name in _REQUIRED:
        missing = quote_literal(f"missing {name}")
        checks.append(f"CASE WHEN {quote_identifier(name)} IS NULL THEN {missing} END")
    checks += [
        "CASE WHEN global_event_id IS NULL "
        f"THEN 'bad GLOBALEVENTID: ' || {_show('GLOBALEVENTID')} END",
        f"CASE WHEN event_date IS NULL THEN 'bad date in SQLDATE: ' || {_show('SQLDATE')} END",
        "CASE WHEN c.cameo_code IS NULL "
        f"THEN 'unknown event code in EventCode: ' || {_show('EventCode')} END",
        "CASE WHEN quad_class IS NULL OR quad_class NOT IN (1, 2, 3, 4) "
        f"THEN 'bad QuadClass: ' || {_show('QuadClass')} END",
    ]
    numeric = [c for c in GDELT2_COLUMNS if official_type(c) in ("INTEGER", "DOUBLE")]
    numeric.sort(key=lambda c: c != "GoldsteinScale")
    for name in numeric:
        if name == "QuadClass":
            continue
        typed = _canonical(name)
        bad = f"{typed} IS NULL"
        if official_type(name) == "DOUBLE":
            bad = f"({bad} OR NOT isfinite({typed}))"
        label = quote_literal(f"non-numeric {name}: ")
        checks.append(
            f"CASE WHEN {quote_identifier(name)} IS NOT NULL AND {bad} "
            f"THEN {label} || {_show(name)} END"
        )
    checks.append(
        'CASE WHEN "DATEADDED" IS NOT NULL AND date_added IS NULL '
        f"THEN 'bad timestamp in DATEADDED: ' || {_show('DATEADDED')} END"
    )
    return "coalesce(" + ",\n    ".join(checks) + ")"


def _typed_sql(official: str) -> str:
    """SQL turning the text of ``official`` into its canonical type and name."""
    canonical = _canonical(official)
    kind = official_type(official)
    if official == "SQLDATE":
        return (
            'CASE WHEN strlen("SQLDATE") = 8 '
            f"THEN CAST(try_strptime(\"SQLDATE\", '%Y%m%d') AS DATE) END AS {canonical}"
        )
    if official == "DATEADDED":
        return (
            'CASE strlen("DATEADDED") '
            "WHEN 14 THEN try_strptime(\"DATEADDED\", '%Y%m%d%H%M%S') "
            f"WHEN 8 THEN try_strptime(\"DATEADDED\", '%Y%m%d') END AS {canonical}"
        )
    if kind == "VARCHAR":
        return f"{quote_identifier(official)} AS {canonical}"
    return f"TRY_CAST({quote_identifier(official)} AS {kind}) AS {canonical}"


def build_typed(
    con: duckdb.DuckDBPyConnection, loaded: str, out: str, names: dict[int, str]
) -> None:
    """Create temp table ``out`` from the loaded view ``loaded``: typed columns plus checks.

    ``names`` gives each ``file_idx`` its source file name.  ``out`` has
    ``file_idx``, the canonical columns, ``reason`` (NULL for good rows), ``raw``
    (kept only for rows with a reason), ``goldstein_disagree`` and
    ``quadclass_disagree``.  Needs :func:`register_lookups` on ``con``.
    """
    typed = [_typed_sql(c) for c in GDELT2_COLUMNS if c != "Year"]
    derived = {
        "gdelt_layout": "t.layout",
        "source_file": "n.source_file",
        "source_line": "t.line",
        **{target: f"{target}.iso3" for target, _, _ in _ISO_SOURCES},
    }
    columns = [
        f"{derived[name]} AS {name}" if name in derived else f"t.{name}"
        for name, _ in CANONICAL_COLUMNS
    ]
    joins = " ".join(
        f"LEFT JOIN iso_{scheme} {target} ON {target}.code = t.{source}"
        for target, source, scheme in _ISO_SOURCES
    )
    files = ", ".join(f"({int(idx)}, {quote_literal(name)})" for idx, name in names.items())
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {out} AS
        WITH n(file_idx, source_file) AS (VALUES {files}),
        t AS (SELECT *, {", ".join(typed)} FROM {loaded})
        SELECT * REPLACE (CASE WHEN reason IS NOT NULL THEN raw END AS raw) FROM (
        SELECT t.file_idx, {", ".join(columns)},
          {_reason_sql()} AS reason,
          t.raw,
          coalesce(abs(t.goldstein_scale - c.cameo_goldstein) > 1e-9, false)
            AS goldstein_disagree,
          coalesce(t.quad_class <> c.cameo_quad, false) AS quadclass_disagree
        FROM t JOIN n USING (file_idx)
        LEFT JOIN {CAMEO_TABLE} c ON t.event_code = c.cameo_code
        {joins})"""
    )


@dataclass
class ParsedFile:
    """One file parsed without a store: good events and quarantined lines."""

    events: pd.DataFrame  # canonical columns, plus goldstein_disagree / quadclass_disagree
    quarantine: pd.DataFrame  # source_file, line, reason, raw
    layouts: dict[str, int]


def parse_file(path: str | os.PathLike[str]) -> ParsedFile:
    """Parse one GDELT file into canonical events and quarantined lines, in memory.

    Nothing is deduplicated or stored; this is for looking at a file, and what
    :func:`dyadscope.events.ingest.ingest` runs for each file it stores.

    >>> parsed = parse_file("20191024143000.export.CSV")  # doctest: +SKIP
    >>> len(parsed.events), round(parsed.events["goldstein_scale"].mean(), 6)  # doctest: +SKIP
    (2111, 0.452203)
    """
    src = Path(path)
    con = duckdb.connect()
    try:
        register_lookups(con)
        with tempfile.TemporaryDirectory(prefix="dyadscope-parse-") as work:
            failed = load_batch(con, [(0, src)], "loaded", Path(work))
            if failed:
                raise failed[0]
            build_typed(con, "loaded", "typed", {0: src.name})
        canonical = ", ".join(name for name, _ in CANONICAL_COLUMNS)
        events = con.execute(
            f"SELECT {canonical}, goldstein_disagree, quadclass_disagree FROM typed "
            "WHERE reason IS NULL ORDER BY source_line"
        ).df()
        quarantine = con.execute(
            "SELECT source_file, source_line AS line, reason, raw FROM typed "
            "WHERE reason IS NOT NULL ORDER BY line"
        ).df()
        layouts = dict(
            con.execute(
                "SELECT coalesce(gdelt_layout, '(none)'), count(*) FROM typed "
                "GROUP BY ALL ORDER BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    return ParsedFile(events=events, quarantine=quarantine, layouts=layouts)
