"""The data the brief's theory section renders, and the package's public names."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import dyadscope.theory as theory
from dyadscope.case import load_case
from dyadscope.data.store import Store
from dyadscope.theory.section import latest_common_year, theory_section


def test_all_lists_exactly_the_public_names() -> None:
    """``__all__`` neither misses a public name the package imports nor lists a stale one."""
    public = {
        name
        for name, obj in vars(theory).items()
        if not name.startswith("_")
        and (not inspect.ismodule(obj) or callable(obj))  # engine modules made callable
        and name != "annotations"
    }
    assert sorted(theory.__all__) == sorted(public)
    assert len(theory.__all__) == len(set(theory.__all__)), "__all__ repeats a name"


@pytest.mark.parametrize("name", theory.__all__)
def test_public_names_exist(name: str) -> None:
    """Each exported name is defined in dyadscope.theory and has a docstring of its own.

    Dataclasses and named tuples get a generated ``Name(field, ...)`` docstring when
    they have none; that does not count as documentation.
    """
    obj = getattr(theory, name)
    # The API verbs are engine modules made callable (power, threat, ...) or thin
    # wrappers in dyadscope.api (game); everything else is defined in dyadscope.theory.
    home = obj.__name__ if inspect.ismodule(obj) else obj.__module__
    assert home.startswith(("dyadscope.theory.", "dyadscope.api.", "dyadscope.errors")), (
        f"{name} comes from {home}"
    )
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    assert doc and doc.strip(), f"{name} has no docstring"
    assert not doc.startswith(f"{name}("), f"{name} has only a generated docstring"


def test_section_runs_every_engine(store) -> None:
    sec = theory_section(store, "RUS", "CHN", case=load_case(), start=1992, turns=10, repetitions=1)
    assert sec.problems == {}
    assert sec.threat is not None and sec.threat.year == latest_common_year(store)
    assert sec.threat.matrix.shape == (5, 5)  # default set already holds RUS and CHN
    # no defensible data-to-payoff mapping: the game is left out and says why
    assert sec.game is None and "defensible" in sec.omitted["game"]
    assert sec.interdependence is not None and sec.interdependence.start == 1992
    assert sec.external is not None and sec.external.summary_lines()
    assert set(sec.assumptions) == {"power", "threat", "interdependence", "external"}
    assert set(sec.power.measures) == {"cinc", "gdp", "milex", "net_power"}


def test_section_runs_the_game_with_payoffs_per_member(store) -> None:
    sec = theory_section(
        store,
        "RUS",
        "CHN",
        start=2010,
        turns=5,
        repetitions=1,
        payoffs={"RUS": (5.5, 3.5, 1, 0), "CHN": (4, 3, 1, 0)},
    )
    assert sec.game is not None
    assert sec.game.delta_star_by_member["CHN"] == pytest.approx(1 / 3)


def test_section_reports_engines_that_cannot_run() -> None:
    """A store with only NMC: the UNGA-based engines cannot run and say why."""
    s = Store()
    nmc = pd.DataFrame(
        {
            "ccode": [2, 365, 710],
            "iso3": ["USA", "RUS", "CHN"],
            "year": [2000] * 3,
            "cinc": [0.14, 0.05, 0.16],
        }
    )
    s.con.register("_f", nmc)
    s.con.execute("CREATE TABLE nmc AS SELECT * FROM _f")
    sec = theory_section(s, "RUS", "CHN", start=2000, turns=5, repetitions=1)
    assert sec.power is not None and sec.power.measures == ["cinc"]
    assert "unga_rollcalls" in sec.problems["threat"]
    assert sec.external is None and "external" in sec.problems


def test_brief_polarity_card_is_not_cinc_alone(store) -> None:
    """The brief's polarity note must not call 2018-2022 'unipolar (CHN)' from CINC alone:
    military spending and net power put the USA first, so those years are contested."""
    from dyadscope.report.sections.theory import theory_section as render
    from dyadscope.theory.power import balance_of_power
    from dyadscope.theory.section import TheorySection

    sec = TheorySection(a="RUS", b="CHN", power=balance_of_power(store, 1992, 2022))
    html = repr(render(sec, "RUS", "CHN").blocks)
    assert "unipolar (CHN)" not in html
    assert "2018–2022 contested" in html or "contested" in html
    assert "Power measured four ways, 2022" in html


def test_brief_threat_table_names_criteria_and_channels(store) -> None:
    from dyadscope.report.sections.theory import theory_section as render
    from dyadscope.theory.interdependence import interdependence
    from dyadscope.theory.section import TheorySection
    from dyadscope.theory.threat import balance_of_threat

    sec = TheorySection(
        a="RUS",
        b="CHN",
        threat=balance_of_threat(store, 2019),
        interdependence=interdependence(store, "RUS", "CHN", 2010, 2023),
        omitted={"game": "why"},
    )
    text = repr(render(sec, "RUS", "CHN").blocks)
    assert "criteria_used" in text and "power+proximity+capability+intentions" in text
    assert "pipeline gas: supply" in text and "arms: market" in text
    assert "Alliance game left out: why" in text
