"""What the brief's theory section shows: every engine run once for a dyad.

The brief (``dyadscope.report``) renders a :class:`TheorySection`; it never calls
the engines itself.  An engine that cannot run on the store (missing table, too
few observations) leaves its result ``None`` and an entry in ``problems`` saying
why, so the rest of the brief still builds and the reader sees what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dyadscope.errors import DyadscopeError
from dyadscope.theory._common import require_tables
from dyadscope.theory.external import ExternalResult, externally_driven
from dyadscope.theory.games import GameResult, Payoffs, alliance_game
from dyadscope.theory.interdependence import InterdependenceResult, interdependence
from dyadscope.theory.power import PowerResult, balance_of_power
from dyadscope.theory.threat import ThreatResult, balance_of_threat, default_states

if TYPE_CHECKING:
    from dyadscope.case.schema import Case
    from dyadscope.data.store import Store

__all__ = ["GAME_OMITTED", "TheorySection", "latest_common_year", "theory_section"]

#: Why the brief leaves out the alliance game unless payoffs are given.
GAME_OMITTED = (
    "no payoffs are shown: no mapping from the data to each side's T, R, P and S has been "
    "found that is defensible (the gains from cooperation, the value of defecting toward the "
    "West and the costs of confrontation have no common unit in the indicators), and payoffs "
    "built from the case's factor levels only restate the modelling choice. Run the game "
    "with payoffs of your own (see docs/theory.md)."
)

R = TypeVar("R")


@dataclass
class TheorySection:
    """Results of the five engines for one dyad (``None`` where an engine could not run).

    ``power.polarity`` / ``power.rc_vs_us`` feed the polarity chart;
    ``threat.matrix`` the heat map; ``interdependence.leverage`` the leverage chart;
    ``game.delta_star`` / ``game.factors`` the alliance-game panel;
    ``external.summary_lines()`` the externally-driven test with its caveats.
    ``assumptions`` maps each engine to what it assumes; ``problems`` maps an engine
    that did not run to the reason.
    """

    a: str
    b: str
    power: PowerResult | None = None
    threat: ThreatResult | None = None
    interdependence: InterdependenceResult | None = None
    game: GameResult | None = None
    external: ExternalResult | None = None
    problems: dict[str, str] = field(default_factory=dict)
    #: Engines left out on purpose, with the reason (printed as a note, not a failure).
    omitted: dict[str, str] = field(default_factory=dict)

    @property
    def assumptions(self) -> dict[str, list[str]]:
        """Each engine's assumptions, by engine name (engines that ran only)."""
        out: dict[str, list[str]] = {}
        for name in ("power", "threat", "interdependence", "game", "external"):
            res = getattr(self, name)
            if res is not None:
                out[name] = list(res.assumptions)
        return out


def latest_common_year(store: Store, tables: tuple[str, ...] = ("nmc", "unga_rollcalls")) -> int:
    """The last year every table in ``tables`` covers (the threat engine's default year).

    >>> latest_common_year(vendored_store())  # doctest: +SKIP
    2019
    """
    from dyadscope.indicators.unga import last_complete_year

    require_tables(store, *tables)
    years = [
        last_complete_year(store)
        if t == "unga_rollcalls"
        else (store.con.execute(f"SELECT max(year) FROM {t}").fetchone() or (None,))[0]
        for t in tables
    ]
    known = [int(y) for y in years if y is not None]
    if not known:
        raise DyadscopeError(f"tables {', '.join(tables)} hold no years")
    return min(known)


def _run(problems: dict[str, str], name: str, fn: Callable[[], R]) -> R | None:
    try:
        return fn()
    except DyadscopeError as exc:
        problems[name] = str(exc)
        return None


def theory_section(
    store: Store,
    a: str,
    b: str,
    *,
    case: Case | None = None,
    third: str = "USA",
    events_store: str | Path | None = None,
    start: int = 1946,
    end: int | None = None,
    threat_year: int | None = None,
    turns: int = 200,
    repetitions: int = 5,
    seed: int = 1,
    payoffs: Mapping[str, Payoffs | tuple[float, float, float, float]] | None = None,
    play_tournament: bool = True,
) -> TheorySection:
    """Run the five theory engines for ``a``–``b`` as the brief needs them.

    Interdependence covers ``start``..``end`` (default: to the last NMC year);
    the threat engine scores the default states plus the dyad in ``threat_year``
    (default :func:`latest_common_year`).  The alliance game runs only with
    ``payoffs`` given per member (``{"RUS": (T, R, P, S), "CHN": ...}``); otherwise it
    is omitted with :data:`GAME_OMITTED` as the reason (``case`` is kept for callers).

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> sec = theory_section(vendored_store(), "RUS", "CHN")  # doctest: +SKIP
    >>> sec.game is None, "game" in sec.omitted  # doctest: +SKIP
    (True, True)
    """
    problems: dict[str, str] = {}
    sec = TheorySection(a=a.strip().upper(), b=b.strip().upper(), problems=problems)
    sec.power = _run(
        problems,
        "power",
        lambda: balance_of_power(store, start, end, coalition=(a, b), rival=third),
    )
    last = sec.power.end if sec.power is not None else end
    year = threat_year
    if year is None:
        year = _run(problems, "threat", lambda: latest_common_year(store))
    if year is not None:
        sec.threat = _run(
            problems,
            "threat",
            lambda: balance_of_threat(store, year, default_states(a, b), events_store=events_store),
        )
    sec.interdependence = _run(
        problems,
        "interdependence",
        lambda: interdependence(store, a, b, max(start, 1870), last or start),
    )
    if payoffs is not None:
        sec.game = _run(
            problems,
            "game",
            lambda: alliance_game(
                members=payoffs,
                turns=turns,
                repetitions=repetitions,
                seed=seed,
                play_tournament=play_tournament,
            ),
        )
    else:
        sec.omitted["game"] = GAME_OMITTED
    sec.external = _run(
        problems, "external", lambda: externally_driven(store, a, b, third, events_store)
    )
    return sec
