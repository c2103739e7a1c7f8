"""A dyad resolved once: two states, their ISO3 codes and their COW codes by year.

Every entry point (the Python API, the CLI, the brief) turns what a user typed —
``"russia"``, ``"CN"``, ``"SUN"``, ``"Kosovo"`` — into a :class:`Dyad` with
:meth:`Dyad.resolve`, and hands that value down.  The conversion itself is
:func:`dyadscope.data.countries.resolve` (names, ISO2, withdrawn codes) and
:func:`dyadscope.data.countries.cow_code` (the year-aware COW code), so a spelling
that works in one place works, with the same meaning, everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dyadscope.data import countries
from dyadscope.errors import DyadscopeError, InputError, UnknownCountry

__all__ = ["Dyad", "resolve_state"]


def resolve_state(text: object, param: str = "state") -> str:
    """ISO3 code of one state from any spelling, naming ``param`` when it fails.

    >>> resolve_state("russia"), resolve_state("SUN"), resolve_state("xkx")
    ('RUS', 'RUS', 'XKX')
    >>> resolve_state("narnia", "b")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadscope.errors.UnknownCountry: b: unknown country 'narnia'; ...
    """
    if isinstance(text, Dyad):
        raise InputError(f"{param}: expected one state, got the dyad {text}")
    if not isinstance(text, str):
        raise InputError(
            f"{param}: expected a country code or name (str), got {type(text).__name__} {text!r}"
        )
    try:
        return countries.resolve(text)
    except UnknownCountry as exc:
        raise UnknownCountry(f"{param}: {exc}") from None


@dataclass(frozen=True)
class Dyad:
    """Two different states as ISO3 codes (``a`` first), built once at the edge.

    Construction resolves any spelling, so ``Dyad("russia", "China")`` and
    ``Dyad.resolve("SUN", "cn")`` are both ``Dyad(a='RUS', b='CHN')``.  It unpacks like a
    pair (``a, b = dyad``).

    >>> d = Dyad.resolve("russia", "china")
    >>> d.a, d.b, d.cow_codes(2010)
    ('RUS', 'CHN', (365, 710))
    >>> Dyad.resolve("DEU", "YEM").cow_codes(1970), Dyad.resolve("DEU", "YEM").cow_codes(1995)
    ((260, 678), (255, 679))
    """

    a: str
    b: str

    def __post_init__(self) -> None:
        iso_a = resolve_state(self.a, "a")
        iso_b = resolve_state(self.b, "b")
        if iso_a == iso_b:
            raise InputError(
                f"a and b: a dyad needs two different states; got {self.a!r} and "
                f"{self.b!r} (both {iso_a})"
            )
        object.__setattr__(self, "a", iso_a)
        object.__setattr__(self, "b", iso_b)

    @classmethod
    def resolve(cls, a: str | Dyad, b: str | None = None) -> Dyad:
        """The dyad of ``a`` and ``b`` in any spelling; a :class:`Dyad` passes through.

        Why a pass-through: modules below the API accept either a ``Dyad`` or two
        strings while callers migrate, and resolve both the same way.

        >>> Dyad.resolve(Dyad.resolve("RUS", "CHN")) == Dyad.resolve("rus", "PRC")
        True
        """
        if isinstance(a, Dyad):
            if b is not None:
                raise InputError(f"b: give either a Dyad or two states, not a Dyad and {b!r}")
            return a
        if b is None:
            raise InputError("b: missing; a dyad needs two states, e.g. Dyad.resolve('RUS', 'CHN')")
        return cls(a, b)

    def __iter__(self) -> Iterator[str]:
        return iter((self.a, self.b))

    def __str__(self) -> str:
        return f"{self.a}-{self.b}"

    def reversed(self) -> Dyad:
        """The same dyad seen from ``b``: ``Dyad(b, a)``."""
        return Dyad(self.b, self.a)

    @property
    def names(self) -> tuple[str, str]:
        """Short English names of the two states, e.g. ``('Russia', 'China')``."""
        found = countries.from_iso3([self.a, self.b], "un_name", errors="coerce")
        return (str(found[0] or self.a), str(found[1] or self.b))

    def cow_codes(self, year: int | None = None) -> tuple[int | None, int | None]:
        """Each side's COW state code in ``year`` (None: the state has none).

        Without a year, each state's own latest code; with one, the code COW gives
        the state then (``DEU`` 1955–1989 is 260, ``YEM`` 1926–1989 is 678).
        """
        return (_cow_or_none(self.a, year), _cow_or_none(self.b, year))

    def predecessors(self) -> tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]:
        """Each side's earlier COW code and its years, as in ``countries.cow_predecessor``."""
        return countries.cow_predecessor(self.a), countries.cow_predecessor(self.b)


def _cow_or_none(iso3: str, year: int | None) -> int | None:
    try:
        return countries.cow_code(iso3, year)
    except DyadscopeError:
        return None
