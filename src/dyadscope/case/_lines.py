"""Line ranges: how a case points at a passage of a source document.

A citation names a document and an inclusive, 1-based range of lines, written
``"45-47"`` or ``"45"`` for a single line.  Keeping the text form in the YAML
keeps cases readable; :class:`LineRange` is the parsed form code works with.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dyadscope.errors import LineRangeError as LineRangeError  # re-exported: its old home

# An en dash is accepted because analysts often type one; it is normalised to "-".
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?$")


class LineRange(NamedTuple):
    """An inclusive, 1-based range of lines in a document.

    >>> LineRange.parse("45-47")
    LineRange(start=45, end=47)
    >>> str(LineRange(12, 12))
    '12'
    """

    start: int
    end: int

    @classmethod
    def parse(cls, text: str | int) -> LineRange:
        """Parse ``"a-b"`` or ``"a"`` (or a bare integer) into a range.

        Raises :class:`LineRangeError` with a message saying what is wrong, so the
        validator can report it against the YAML path of the citation.

        >>> LineRange.parse(" 3 – 9 ")
        LineRange(start=3, end=9)
        """
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise LineRangeError(f"expected a line range like '45-47', got {text!r}")
        match = _RANGE.match(str(text))
        if match is None:
            raise LineRangeError(f"malformed line range {text!r}; write 'a-b' or 'a', e.g. '45-47'")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        if start < 1:
            raise LineRangeError(f"line range {text!r} starts at line {start}; lines count from 1")
        if start > end:
            raise LineRangeError(
                f"line range {text!r} runs backwards ({start} > {end}); write '{end}-{start}'"
            )
        return cls(start, end)

    def __str__(self) -> str:
        """Format as the YAML writes it: ``"a-b"``, or ``"a"`` for one line."""
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"
