"""Building blocks shared by the indicator families: metadata, the query, the result.

An indicator family (trade, capability, …) is one SQL computation over one or two
canonical tables of the store. Each family module declares its indicators once, as
:class:`Indicator` records, and one function that turns a :class:`DyadQuery` into a
:class:`FamilyResult` (a wide frame, one row per year or period). ``compute()`` in
``dyadscope.indicators`` assembles the families into the tidy frame users see.

Why the metadata says how an indicator behaves when A and B swap (``swap``): it is
what a reader needs to interpret ``cinc_ratio_b_a`` or ``trade_balance_a``, and it
lets the property tests check every indicator against the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    from dyadscope.data.store import Store

#: How an indicator changes when A and B trade places.
#: ``same``: unchanged (undirected); ``mirror``: becomes ``Indicator.mirror``;
#: ``reciprocal``: becomes 1/x; ``negate``: becomes -x.
Swap = Literal["same", "mirror", "reciprocal", "negate"]

TradeSource = Literal["auto", "cow", "dots"]
#: How multi-year periods are aligned: on the start year (years divisible by N) or
#: backwards from the data's latest year (SIPRI's 2020-24, 2015-19 …).
Align = Literal["start", "latest"]


@dataclass(frozen=True)
class Indicator:
    """Metadata of one dyad-year indicator; ``id`` is part of the public interface.

    >>> from dyadscope.indicators import INDICATORS
    >>> INDICATORS["cinc_a"].unit
    'share of world capabilities (0-1)'
    """

    id: str
    family: str
    description: str
    unit: str
    source: str
    tables: tuple[str, ...]
    swap: Swap = "same"
    mirror: str | None = None
    flow: bool = False
    coverage_rule: str = ""

    @property
    def directed(self) -> bool:
        """True when the value depends on which state is A."""
        return self.swap != "same"

    def as_record(self) -> dict[str, Any]:
        """The metadata as a plain dict (for tables, JSON and the brief)."""
        return {
            "id": self.id,
            "family": self.family,
            "description": self.description,
            "unit": self.unit,
            "directed": self.directed,
            "swap": self.swap if self.swap != "mirror" else f"mirror:{self.mirror}",
            "flow": self.flow,
            "source": self.source,
            "tables": ", ".join(self.tables),
            "coverage_rule": self.coverage_rule,
        }


@dataclass(frozen=True)
class DyadQuery:
    """Everything a family needs: the store, the dyad in both code systems, the years.

    ``start``/``end`` are already aligned on whole periods when ``period`` > 1, so
    that a family can aggregate years into buckets ``year // period * period``.
    """

    store: Store
    a: str
    b: str
    ccode_a: int | None
    ccode_b: int | None
    start: int
    end: int
    period: int = 1
    #: Periods start at years ``y`` with ``(y - offset) % period == 0``.
    offset: int = 0
    trade_source: TradeSource = "auto"
    tables: frozenset[str] = frozenset()
    versions: Mapping[str, str] = field(default_factory=dict)
    #: Each side's earlier COW code and its years (see ``countries.cow_predecessor``).
    predecessor_a: tuple[int, int, int] | None = None
    predecessor_b: tuple[int, int, int] | None = None

    @classmethod
    def for_store(cls, store: Store, **kw: Any) -> DyadQuery:
        """A query that knows the store's tables and versions (read once, not per family)."""
        prov = store.provenance()
        versions = {
            str(t): str(v).strip()
            for t, v in zip(prov["table"], prov["version"], strict=True)
            if isinstance(v, str) and v.strip()
        }
        return cls(store, tables=frozenset(store.tables()), versions=versions, **kw)

    def missing(self, tables: Sequence[str]) -> list[str]:
        """The tables among ``tables`` that the store does not hold."""
        return [t for t in tables if t not in self.tables]

    def source(self, table: str, name: str, default: str) -> str:
        """``name`` plus the version the store's provenance records for ``table``.

        Why: the declared default (e.g. "COW NMC v7.0") is only true of the vendored
        data; a user who loads another version into ``--store`` must see that
        version. Falls back to ``default`` without a provenance row for the table.
        """
        version = self.versions.get(table)
        if not version:
            return default
        return f"{name} v{version}" if re.fullmatch(r"[0-9.]+", version) else f"{name}, {version}"

    @property
    def params(self) -> dict[str, Any]:
        """Named SQL parameters every family query may use."""
        params: dict[str, Any] = {
            "a": self.a,
            "b": self.b,
            "ca": self.ccode_a,
            "cb": self.ccode_b,
            "start": self.start,
            "end": self.end,
            "period": self.period,
            "offset": self.offset,
        }
        for side, pred in (("ca", self.predecessor_a), ("cb", self.predecessor_b)):
            code, first, last = pred or (-1, 1, 0)  # an empty year range: never used
            params |= {f"{side}_alt": code, f"{side}_from": first, f"{side}_to": last}
        return params


@dataclass
class FamilyResult:
    """A family's answer: a wide frame (``year`` + one column per indicator) and notes.

    ``sources`` maps indicator id to the dataset label actually used (it can depend
    on the query, e.g. COW or DOTS for trade). ``notes`` explain NAs a user could
    otherwise mistake for a bug (a dyad the vendored extract does not cover …).
    """

    frame: pd.DataFrame
    sources: dict[str, str]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Family:
    """One indicator family: its indicators and the function that computes them."""

    name: str
    indicators: tuple[Indicator, ...]
    run: Callable[[DyadQuery], FamilyResult]
    tables: tuple[str, ...]
    flow: bool = False
    needs_ccode: bool = True
    #: The latest year the family's data reach in the store (for ``align="latest"``).
    latest_year: Callable[[DyadQuery], int | None] | None = None
    #: Whether a period the data cover only in part is shown (with a note) rather
    #: than dropped; families that allow it say which years such a period covers.
    partial_periods: bool = False

    @property
    def ids(self) -> tuple[str, ...]:
        """The indicator ids of this family, in display order."""
        return tuple(ind.id for ind in self.indicators)


def fetch(store: Store, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run ``sql`` on the store's DuckDB connection with named parameters.

    Only the parameters the statement mentions are passed (DuckDB rejects extras).
    """
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return store.con.execute(sql, used).df()


def missing_tables(store: Store, tables: Sequence[str]) -> list[str]:
    """The tables among ``tables`` that the store does not hold."""
    return [t for t in tables if not store.has(t)]


def empty_result(family: Family, q: DyadQuery, note: str) -> FamilyResult:
    """An all-NA answer for a family that cannot be computed, with the reason.

    Why: a user store may hold only some datasets; a missing table is missing data
    (NA plus an explanation), not a crash and never a 0.
    """
    years = list(range(q.start, q.end + 1, q.period))
    frame = pd.DataFrame({"year": years})
    for ind in family.indicators:
        frame[ind.id] = float("nan")
    return FamilyResult(frame, {ind.id: ind.source for ind in family.indicators}, [note])


def bucket_sum(expr: str, alias: str) -> str:
    """SQL aggregate: the sum of ``expr`` over a period, NULL if any year is NULL.

    Why: a period's flow is only honest when every one of its years has data; a
    silent partial sum would understate it. With ``$period`` = 1 this is the value.
    """
    return f"CASE WHEN count({expr}) = $period THEN sum({expr}) END AS {alias}"


def state_code_sql(side: str, year: str = "year") -> str:
    """SQL for one side's COW code in the row's ``year`` (``side`` is ``ca`` or ``cb``).

    The state's own code, except in the years COW records its territory under an
    earlier code (West Germany for ``DEU`` until 1989, for instance).
    """
    return (
        f"(CASE WHEN {year} BETWEEN ${side}_from AND ${side}_to THEN ${side}_alt ELSE ${side} END)"
    )


#: SQL for side A's and side B's COW code in a row's ``year``.
CA, CB = state_code_sql("ca"), state_code_sql("cb")
#: SQL lists of every COW code of side A and of side B, whatever the year (for
#: "does the table know this state or dyad at all" checks).
ANY_A, ANY_B = "($ca, $ca_alt)", "($cb, $cb_alt)"
#: SQL: a row of a (ccode1, ccode2) table belongs to the dyad, in any year.
ANY_DYAD = (
    f"((ccode1 IN {ANY_A} AND ccode2 IN {ANY_B}) OR (ccode1 IN {ANY_B} AND ccode2 IN {ANY_A}))"
)


def dyad_in_table_sql(table: str) -> str:
    """SQL boolean: both states of the dyad appear somewhere in ``table``.

    Event-list tables (ATOP, MIDs, contiguity) only hold rows where something
    happened, so a missing row means 0 — but only if the table covers the state at
    all. A vendored extract that keeps a few states says nothing about the others,
    so a dyad counts as covered only when both of its states occur in the table.
    """
    return (
        f"(EXISTS (SELECT 1 FROM {table} WHERE ccode1 IN {ANY_A} OR ccode2 IN {ANY_A}) AND "
        f"EXISTS (SELECT 1 FROM {table} WHERE ccode1 IN {ANY_B} OR ccode2 IN {ANY_B}))"
    )
