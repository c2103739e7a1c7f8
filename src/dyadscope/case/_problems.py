"""One validation problem, located by its YAML path (and line, when read from a file)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

PathPart = str | int
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def format_path(path: Sequence[PathPart]) -> str:
    """Render a location the way a reader finds it in the YAML: ``factors[12].evidence[0].lines``.

    Keys that are not plain identifiers are quoted so an odd key cannot make the path
    ambiguous.

    >>> format_path(("scenarios", 1, "clamps", "a b"))
    "scenarios[1].clamps['a b']"
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out or "<top level>"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a case: where (YAML path, optional line) and what."""

    path: tuple[PathPart, ...]
    message: str
    line: int | None = None

    def with_line(self, line: int | None) -> Problem:
        """The same problem, pinned to a line of the YAML file."""
        return replace(self, line=line)

    def __str__(self) -> str:
        where = format_path(self.path)
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"
