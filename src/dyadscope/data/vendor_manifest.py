"""The vendored extracts: their manifest, checksum checks and loading into a store.

``dyadscope/data/vendor/MANIFEST.json`` lists every vendored file with the dataset and
table it holds, where it came from, version, citation, licence, SHA-256, rows,
columns and coverage.  ``scripts/vendor_data.py`` writes it; this module only reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from dyadscope._io import sha256_file
from dyadscope.data.store import Provenance, Store
from dyadscope.errors import ChecksumMismatch

__all__ = ["VendoredFile", "load_vendored", "vendor_dir", "vendored_files", "verify"]

MANIFEST = "MANIFEST.json"


def vendor_dir() -> Path:
    """The folder holding the vendored files inside the installed package."""
    return Path(str(resources.files("dyadscope.data.vendor")))


@dataclass(frozen=True)
class VendoredFile:
    """One manifest entry."""

    file: str
    dataset: str
    table: str | None
    source: str
    version: str
    citation: str
    licence: str
    sha256: str
    rows: int
    columns: list[str]
    first_year: int | None
    last_year: int | None

    @property
    def path(self) -> Path:
        """Where the file lies in the installed package."""
        return vendor_dir() / self.file

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> VendoredFile:
        """Build from one manifest record (unknown keys are ignored)."""
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in entry.items() if k in fields})


def vendored_files() -> list[VendoredFile]:
    """Every file listed in the vendored manifest."""
    text = (vendor_dir() / MANIFEST).read_text(encoding="utf-8")
    return [VendoredFile.from_json(e) for e in json.loads(text)["files"]]


def verify(entry: VendoredFile) -> None:
    """Raise :class:`ChecksumMismatch` if a vendored file differs from its manifest entry."""
    actual = sha256_file(entry.path)
    if actual != entry.sha256:
        raise ChecksumMismatch(
            f"{entry.path}: SHA-256 {actual} differs from the manifest's {entry.sha256}; "
            "reinstall dyadscope or rerun scripts/vendor_data.py"
        )


def load_vendored(store: Store) -> Store:
    """Load every vendored table into ``store`` (checksums verified first), in one transaction."""
    entries = [e for e in vendored_files() if e.table is not None]
    for entry in entries:
        verify(entry)
    with store.transaction():
        for entry in entries:
            prov = Provenance(
                dataset=entry.dataset,
                table=entry.table or "",
                source=entry.source,
                version=entry.version,
                sha256=entry.sha256,
                rows=entry.rows,
                first_year=entry.first_year,
                last_year=entry.last_year,
            )
            store.attach_parquet(prov.table, entry.path, prov)
    return store
