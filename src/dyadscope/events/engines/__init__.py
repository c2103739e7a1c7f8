"""The one registry of event engines.

Built-in engines are registered exactly as an outside plugin would be: a module
calls :func:`register_engine` on its :class:`EventEngine` subclass when imported.
The built-ins are imported lazily (Spark is an optional extra), and third-party
engines can be announced through the ``dyadscope.engines`` entry-point group.

>>> engine = get_engine("duckdb")
>>> engine.name
'duckdb'
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any, TypeVar

from dyadscope.errors import DuplicateName, InputError
from dyadscope.errors import UnknownEngine as UnknownEngine  # re-exported: its old home
from dyadscope.events.engines.base import EventEngine, SeriesQuery

__all__ = [
    "ENGINES",
    "EventEngine",
    "SeriesQuery",
    "UnknownEngine",
    "available_engines",
    "get_engine",
    "register_engine",
]

#: Engines registered so far, by name.
ENGINES: dict[str, type[EventEngine]] = {}

#: Where the built-in engines live; imported on first use.
_BUILTIN_MODULES: dict[str, str] = {
    "duckdb": "dyadscope.events.engines.duckdb_engine",
    "spark": "dyadscope.events.engines.spark_engine",
}

E = TypeVar("E", bound=type[EventEngine])


def register_engine(cls: E) -> E:
    """Register an :class:`EventEngine` subclass under its ``name`` (usable as a decorator).

    Registering the same class again does nothing; another class under a name already
    taken raises :class:`~dyadscope.errors.DuplicateName` (the rule of dataset adapters).

    >>> @register_engine
    ... class Null(EventEngine):  # doctest: +SKIP
    ...     name = "null"
    ...     def series(self, store_dir, query): ...
    """
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__qualname__} needs a non-empty class attribute 'name'")
    taken = ENGINES.get(name)
    if taken is not None and taken is not cls:
        raise DuplicateName(
            f"engine {cls.__module__}.{cls.__qualname__}: the name {name!r} is taken by "
            f"{taken.__module__}.{taken.__qualname__}; give the engine another name"
        )
    ENGINES[name] = cls
    return cls


def _load(name: str) -> None:
    """Import the module that provides engine ``name`` (built-in or entry point)."""
    if name in ENGINES:
        return
    module = _BUILTIN_MODULES.get(name)
    if module is not None:
        importlib.import_module(module)
        return
    for ep in entry_points(group="dyadscope.engines"):
        if ep.name == name:
            register_engine(ep.load())
            return


def available_engines() -> list[str]:
    """Names of the engines that can be asked for (built-in and plugins), sorted."""
    names = set(ENGINES) | set(_BUILTIN_MODULES)
    names |= {ep.name for ep in entry_points(group="dyadscope.engines")}
    return sorted(names)


def get_engine(name: str, **options: Any) -> EventEngine:
    """Return an instance of the engine called ``name``, configured with ``options``.

    Raises :class:`UnknownEngine` listing the available names, and an
    :class:`~dyadscope.errors.InputError` saying what to install when the
    engine's optional dependencies are missing.
    """
    key = name.strip().lower()
    try:
        _load(key)
    except ModuleNotFoundError as exc:
        raise InputError(
            f"engine {key!r} needs the Python package {exc.name!r}; "
            f"install it (e.g. pip install 'dyadscope[{key}]')"
        ) from exc
    if key not in ENGINES:
        raise UnknownEngine(
            f"unknown events engine {name!r}; available: {', '.join(available_engines())}"
        )
    return ENGINES[key](**options)
