"""A declarative adapter for the common case: one CSV, renamed columns, checked codes.

Most datasets need the same steps: read the file with its declared column kinds,
rename to the canonical names, turn COW's ``-9`` into NULL, check every COW or ISO3
code against :mod:`dyadscope.data.countries`, and derive an ``iso3`` column.
:class:`CsvAdapter` does them from class attributes; a dataset that needs more
overrides :meth:`CsvAdapter.transform`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, TypeVar

import pandas as pd

from dyadscope.data.countries import Scheme
from dyadscope.data.registry import Adapter
from dyadscope.data.validate import COW_MISSING, Kind, check_codes, read_csv_checked

__all__ = ["COW_LICENCE", "CsvAdapter", "frozen"]

_K = TypeVar("_K")
_V = TypeVar("_V")


def frozen(mapping: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """A read-only view of ``mapping``: adapter declarations are class data, never mutated.

    >>> frozen({"ccode": "int"})["ccode"]
    'int'
    """
    return MappingProxyType(dict(mapping))


COW_LICENCE = (
    "Correlates of War data: free to use with citation "
    "(https://correlatesofwar.org/data-sets/); see the project's terms"
)


class CsvAdapter(Adapter):
    """Read one delimited file; rename, check codes and derive ISO3 columns declaratively."""

    raw_columns: ClassVar[Mapping[str, Kind]]
    #: raw column name -> canonical column name (columns not listed keep their name).
    renames: ClassVar[Mapping[str, str]] = frozen({})
    #: canonical code column -> scheme whose codes it must hold.
    code_columns: ClassVar[Mapping[str, Scheme]] = frozen({})
    #: canonical ISO3 column to add -> code column it is derived from.
    iso3_columns: ClassVar[Mapping[str, str]] = frozen({})
    #: whether COW's negative missing codes (-9 …) in numeric columns mean NULL.
    cow_missing: ClassVar[bool] = False
    sep: ClassVar[str] = ","
    header_starts_with: ClassVar[str | None] = None

    def read(self, path: Path) -> pd.DataFrame:
        """Read ``path`` and return the canonical columns plus ``_row``."""
        frame = read_csv_checked(
            path,
            self.raw_columns,
            sep=self.sep,
            header_starts_with=self.header_starts_with,
            missing_codes=COW_MISSING if self.cow_missing else (),
        )
        frame = frame.rename(columns=dict(self.renames))
        frame = self.transform(frame, path)
        iso3 = {
            column: check_codes(frame, column, scheme, path)
            for column, scheme in self.code_columns.items()
        }
        for target, source in self.iso3_columns.items():
            frame[target] = iso3[source] if source in iso3 else frame[source]
        return frame

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Dataset-specific reshaping after renaming; the default changes nothing."""
        return frame
