"""Find and load cases: the ones shipped with dyadscope, or a file the user names."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NamedTuple

import yaml

from dyadscope.case.schema import Case
from dyadscope.case.validate import FAST_SAFE_LOADER, validate_case, validate_text
from dyadscope.errors import CaseValidationError, UnknownCase

#: The case loaded when no path is given.
DEFAULT_CASE = "russia_china.yaml"


class CaseInfo(NamedTuple):
    """What ``dyadscope case list`` shows about a shipped case."""

    id: str
    title: str
    actors: tuple[str, ...]
    file: str


def _shipped() -> list[Traversable]:
    folder = resources.files("dyadscope.case").joinpath("cases")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def _shipped_source(entry: Traversable) -> str:
    return f"dyadscope/case/cases/{entry.name}"


def _load_shipped(name: str) -> Case:
    entry = resources.files("dyadscope.case").joinpath("cases", name)
    return validate_text(entry.read_text(encoding="utf-8"), _shipped_source(entry))


def load_case(path: str | Path | None = None) -> Case:
    """Load and validate a case; ``None`` loads the shipped Russia–China case.

    Raises :class:`~dyadscope.errors.CaseValidationError` listing every problem.

    >>> case = load_case()
    >>> case.dyad
    ('RUS', 'CHN')
    """
    return _load_shipped(DEFAULT_CASE) if path is None else validate_case(path)


def list_cases() -> list[CaseInfo]:
    """The cases shipped with dyadscope (id, title, actors), sorted by file name.

    Each file is parsed but not validated (that is quick and lets ``dyadscope case
    list`` work while a case is being edited); :func:`find_case` validates the one
    chosen.

    >>> [c.id for c in list_cases()]  # doctest: +SKIP
    ['russia_china']
    """
    infos = []
    for entry in _shipped():
        source = _shipped_source(entry)
        text = entry.read_text(encoding="utf-8")
        try:
            try:
                data = yaml.load(text, Loader=FAST_SAFE_LOADER)  # a safe loader
            except yaml.YAMLError:  # PyYAML's own parser words the error as it always has
                data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CaseValidationError(source, [f"malformed YAML: {exc}"]) from None
        if not isinstance(data, dict):
            raise CaseValidationError(source, ["<top level>: a case is a mapping of fields"])
        actors = tuple(
            str(a.get("iso3", "?")).upper() for a in data.get("actors") or [] if isinstance(a, dict)
        )
        infos.append(
            CaseInfo(str(data.get("id", "?")), str(data.get("title", "?")), actors, source)
        )
    return infos


def find_case(a: str, b: str, *, path: str | Path | None = None) -> Case:
    """The case about the pair ``a``–``b``, in either order.

    Countries are read by :func:`dyadscope.data.countries.resolve`: ISO3 in any
    case, ISO2 or a name.  Without ``path`` the shipped cases are searched; with it,
    that file is loaded and must be about the same pair.  The case's own order of
    the dyad is kept: ``find_case("chn", "rus").dyad`` is ``("RUS", "CHN")``.  An
    unknown pair raises :class:`~dyadscope.errors.UnknownCase` listing the cases
    available; an unknown country raises :class:`~dyadscope.errors.UnknownCountry`.

    >>> find_case("chn", "RUS").id
    'russia_china'
    """
    from dyadscope.data.countries import resolve

    codes = (resolve(a), resolve(b))
    pair, pair_text = set(codes), "–".join(codes)
    if path is not None:
        case = load_case(path)
        if set(case.dyad) != pair:
            raise UnknownCase(
                f"case file {str(path)!r} is about {'–'.join(case.dyad)}, not {pair_text}"
            )
        return case
    infos = list_cases()
    for info in infos:
        if len(info.actors) >= 2 and set(info.actors[:2]) == pair:
            return _load_shipped(Path(info.file).name)
    available = (
        ", ".join(f"{'–'.join(i.actors[:2])} ({i.id})" for i in infos) if infos else "none shipped"
    )
    raise UnknownCase(
        f"no case for {pair_text}; cases available: {available}. "
        "Give a case file of your own as path."
    )
