"""Official CAMEO event codes, Goldstein scores and actor types, vendored with checksums.

Many GDELT clients ship Goldstein tables copied with errors (one popular package
disagrees with the official scale on 278 of 310 codes).  dyadscope vendors GDELT's
own lookup files under ``events/tables/`` with a SHA-256 manifest
(``CAMEO_MANIFEST.json``), checks the sums on load, and offers
:func:`check_goldstein_table` to compare any other table against them.

CAMEO structure used here: an event code is 2–4 digits whose first two are its
root (``"0251"`` → ``"02"``); roots 01–05 are verbal cooperation (QuadClass 1),
06–09 material cooperation (2), 10–14 verbal conflict (3) and 15–20 material
conflict (4).

>>> goldstein()["016"]
-2.0
>>> root_code("0251"), quad_class("0251")
('02', 1)
"""

from __future__ import annotations

import csv
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dyadscope._io import sha256_file
from dyadscope.errors import ChecksumMismatch, SchemaError
from dyadscope.errors import TableMismatch as TableMismatch  # re-exported: its old home

TABLES_DIR = Path(__file__).resolve().parent / "tables"
MANIFEST_NAME = "CAMEO_MANIFEST.json"

#: (first root, last root, QuadClass) of the four CAMEO quad classes.
_QUAD_RANGES: tuple[tuple[int, int, int], ...] = ((1, 5, 1), (6, 9, 2), (10, 14, 3), (15, 20, 4))

#: Human names of the QuadClass values.
QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def _manifest() -> list[dict[str, object]]:
    data = json.loads((TABLES_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    return list(data["files"])


def verify_tables() -> None:
    """Check every vendored table against the SHA-256 in the manifest.

    Raises :class:`~dyadscope.errors.ChecksumMismatch` naming the file, so an
    edited or corrupted table is never used silently.
    """
    for entry in _manifest():
        path = TABLES_DIR / str(entry["file"])
        digest = sha256_file(path)
        if digest != entry["sha256"]:
            raise ChecksumMismatch(
                f"{path}: SHA-256 {digest} does not match {entry['sha256']} in {MANIFEST_NAME}; "
                "reinstall dyadscope to restore the official CAMEO tables"
            )


def _read_official(name: str) -> list[tuple[str, str]]:
    verify_tables()
    with open(TABLES_DIR / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [(r[0].strip(), r[1].strip()) for r in rows[1:] if r]


@functools.cache
def goldstein() -> dict[str, float]:
    """Official Goldstein score of every CAMEO event code (codes are strings)."""
    return {code: float(value) for code, value in _read_official("CAMEO.goldsteinscale.txt")}


@functools.cache
def event_descriptions() -> dict[str, str]:
    """Official description of every CAMEO event code."""
    return dict(_read_official("CAMEO.eventcodes.txt"))


@functools.cache
def actor_types() -> dict[str, str]:
    """Official CAMEO actor type codes and labels (``GOV`` → ``Government``)."""
    return dict(_read_official("CAMEO.type.txt"))


def root_code(code: str) -> str:
    """The two-digit root of a CAMEO event code (``"0251"`` → ``"02"``)."""
    root = code.strip()[:2]
    if len(root) != 2 or not root.isdigit() or not 1 <= int(root) <= 20:
        raise SchemaError(f"{code!r} is not a CAMEO event code (root must be 01–20)")
    return root


def quad_class(code: str) -> int:
    """QuadClass (1–4) of a CAMEO event or root code."""
    root = int(root_code(code))
    return next(q for lo, hi, q in _QUAD_RANGES if lo <= root <= hi)


def event_table() -> pd.DataFrame:
    """The official table as a frame: code, description, goldstein, root, quad_class.

    This is what ingest joins against to check each event's Goldstein value and
    QuadClass.

    >>> int(event_table().set_index("code").loc["190", "quad_class"])
    4
    """
    scores = goldstein()
    descriptions = event_descriptions()
    codes = sorted(scores)
    return pd.DataFrame(
        {
            "code": codes,
            "description": [descriptions.get(c) for c in codes],
            "goldstein": [scores[c] for c in codes],
            "root": [root_code(c) for c in codes],
            "quad_class": [quad_class(c) for c in codes],
        }
    )


def read_goldstein_table(path: str | os.PathLike[str]) -> dict[str, float]:
    """Read a third-party Goldstein table: official TSV, gdeltPyR TSV or py-gdelt JSON.

    Accepted layouts: a JSON object ``{code: number | {"value": number}}``; a
    tab-separated file with a header naming a code column (``CAMEOEVENTCODE``,
    ``cameoCode`` or ``code``) and a Goldstein column (``GOLDSTEINSCALE``/
    ``GoldsteinScale``).  Codes are kept as strings.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise SchemaError(f"{path}: expected a JSON object of code → Goldstein value")
        out: dict[str, float] = {}
        for code, value in data.items():
            number = value.get("value") if isinstance(value, dict) else value
            if not isinstance(number, int | float):
                raise SchemaError(f"{path}: code {code!r} has no numeric Goldstein value")
            out[str(code)] = float(number)
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows:
        raise SchemaError(f"{path}: empty table")
    header = [h.strip().lower() for h in rows[0]]
    code_col = next(
        (header.index(n) for n in ("cameoeventcode", "cameocode", "code") if n in header), None
    )
    score_col = next(
        (header.index(n) for n in ("goldsteinscale", "goldstein") if n in header), None
    )
    if code_col is None or score_col is None:
        raise SchemaError(
            f"{path}: line 1: header {rows[0]!r} lacks a code column (CAMEOEVENTCODE) "
            "or a Goldstein column (GOLDSTEINSCALE)"
        )
    out = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            out[row[code_col].strip()] = float(row[score_col])
        except (IndexError, ValueError):
            raise SchemaError(
                f"{path}: line {lineno}: field GOLDSTEINSCALE is not a number: {row!r}"
            ) from None
    return out


@dataclass(frozen=True)
class TableCheck:
    """How a Goldstein table compares with the official one."""

    source: str
    shared: int
    disagree: dict[str, tuple[float, float]]  # code -> (official, theirs)
    only_official: list[str]
    only_theirs: list[str]

    @property
    def ok(self) -> bool:
        """True when every shared code has the official score."""
        return not self.disagree


def compare_goldstein(table: dict[str, float], source: str = "table") -> TableCheck:
    """Compare ``table`` code by code with the official Goldstein scores."""
    official = goldstein()
    shared = sorted(set(official) & set(table))
    disagree = {c: (official[c], table[c]) for c in shared if abs(official[c] - table[c]) > 1e-9}
    return TableCheck(
        source=source,
        shared=len(shared),
        disagree=disagree,
        only_official=sorted(set(official) - set(table)),
        only_theirs=sorted(set(table) - set(official)),
    )


def check_goldstein_table(path: str | os.PathLike[str]) -> TableCheck:
    """Check a Goldstein table file against the official one; reject it on any disagreement.

    Raises :class:`TableMismatch` whose message names every disagreeing code with
    both values, e.g. ``016: official -2.0, file 3.4``.  Codes only one side has
    are reported in the returned :class:`TableCheck`, not treated as errors.

    >>> check_goldstein_table(TABLES_DIR / "CAMEO.goldsteinscale.txt").ok
    True
    """
    result = compare_goldstein(read_goldstein_table(path), source=str(path))
    if result.disagree:
        detail = "; ".join(
            f"{code}: official {off}, file {theirs}"
            for code, (off, theirs) in result.disagree.items()
        )
        raise TableMismatch(
            f"{path}: {len(result.disagree)} of {result.shared} shared CAMEO codes disagree with "
            f"the official Goldstein scale: {detail}. Use the official table.",
            codes=list(result.disagree),
        )
    return result
