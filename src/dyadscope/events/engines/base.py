"""The event-engine contract: one query object, one abstract method.

An engine turns an ingested events store (see :mod:`dyadscope.events.ingest`)
into a dyad series.  Every engine runs the SAME aggregate definitions, generated
as SQL text by :func:`dyadscope.events.aggregate.series_sql`, so DuckDB on a laptop
and Spark on a cluster give the same numbers.  Keeping the contract this small is
what lets a new engine be added (and tested by the shared parity suite) without
touching the rest of the package.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd

from dyadscope.errors import InputError
from dyadscope.events.cameo import actor_types

Freq = Literal["month", "quarter", "year"]
FREQS: tuple[str, ...] = ("month", "quarter", "year")


@dataclass(frozen=True)
class SeriesQuery:
    """What series to compute: a dyad, a frequency and optional filters.

    ``a`` and ``b`` are ISO3 codes (upper case).  ``directed=False`` pools both
    directions (a→b and b→a) and labels them with ``a`` first; ``directed=True``
    counts only events whose Actor1 is ``a`` and whose Actor2 is ``b``.
    ``start``/``end`` bound the event date (SQLDATE), both inclusive.
    ``actor_types`` keeps events where BOTH actors carry one of the CAMEO type
    codes (in Type1, Type2 or Type3), e.g. ``("GOV",)`` for government-to-government
    events.  ``root_only`` keeps events GDELT flags as root events (IsRootEvent = 1),
    i.e. those from a document's lead paragraph.

    >>> SeriesQuery("rus", "chn", freq="year").a
    'RUS'
    """

    a: str
    b: str
    freq: Freq = "month"
    directed: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    actor_types: tuple[str, ...] = field(default_factory=tuple)
    root_only: bool = False

    def __post_init__(self) -> None:
        for name in ("a", "b"):
            code = getattr(self, name)
            if not isinstance(code, str) or len(code.strip()) != 3 or not code.strip().isalpha():
                raise InputError(f"SeriesQuery.{name}: {code!r} is not an ISO3 code (3 letters)")
            object.__setattr__(self, name, code.strip().upper())
        if self.a == self.b:
            raise InputError(
                f"a dyad needs two different states; got {self.a!r} and {self.b!r} "
                "(SeriesQuery.a and SeriesQuery.b)"
            )
        if self.freq not in FREQS:
            raise InputError(f"SeriesQuery.freq: {self.freq!r} is not one of {', '.join(FREQS)}")
        if self.start and self.end and self.start > self.end:
            raise InputError(f"SeriesQuery: start {self.start} is after end {self.end}")
        types = tuple(sorted({t.strip().upper() for t in self.actor_types if t.strip()}))
        known = actor_types()
        for t in types:
            if t not in known:
                raise InputError(
                    f"SeriesQuery.actor_types: {t!r} is not a CAMEO actor type; "
                    f"known types: {', '.join(sorted(known))}"
                )
        object.__setattr__(self, "actor_types", types)


class EventEngine(ABC):
    """An engine that computes dyad series from an events store folder.

    Subclasses set ``name`` and implement :meth:`series`; they are made available
    through :func:`dyadscope.events.engines.register_engine`.  ``options`` names
    the options an engine takes; any other option is refused with an
    :class:`~dyadscope.errors.InputError` naming it (a misspelt option must not be
    silently ignored).

    >>> class Quiet(EventEngine):
    ...     name = "quiet"
    ...     def series(self, store_dir, query): ...
    >>> Quiet(threads=2)
    Traceback (most recent call last):
    dyadscope.errors.InputError: events engine 'quiet' takes no option 'threads' (it takes none)
    """

    name: ClassVar[str]
    #: Names of the options this engine accepts.
    accepted_options: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **options: Any) -> None:
        unknown = sorted(set(options) - set(self.accepted_options))
        if unknown:
            takes = ", ".join(repr(o) for o in self.accepted_options) or "none"
            raise InputError(
                f"events engine {self.name!r} takes no option "
                f"{', '.join(repr(u) for u in unknown)} (it takes {takes})"
            )
        self.options = options

    @abstractmethod
    def series(self, store_dir: Path, query: SeriesQuery) -> pd.DataFrame:
        """Return the series for ``query`` with :data:`~dyadscope.events.aggregate.SERIES_COLUMNS`.

        One row per period that has any event stored (in the query's date range);
        raise :class:`dyadscope.errors.MissingData` when the store holds nothing.
        """
