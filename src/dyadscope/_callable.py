"""Make a module callable, so one name is both a namespace and a verb.

Why: ``dyadscope.indicators`` is a subpackage (``from dyadscope.indicators import
compute``) and the verb a notebook user reaches for (``dyadscope.indicators("RUS",
"CHN")``); likewise ``dyadscope.theory.power``.  A plain function of the same name
would be replaced by the module as soon as anything imported the subpackage (or
would hide the module from ``dyadscope.theory.power.X``), so instead the module
itself gains ``__call__``, forwarding to the API function, whose signature and
docstring ``help()`` and notebooks show.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any

__all__ = ["make_callable"]


class CallableModule(types.ModuleType):
    """A module whose calls go to ``__call_target__`` (``"package.module:function"``)."""

    __call_target__: str

    def _target(self) -> Any:
        module, _, name = self.__call_target__.partition(":")
        return getattr(importlib.import_module(module), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        return inspect.signature(self._target())


def make_callable(module_name: str, target: str) -> None:
    """Make the imported module ``module_name`` callable as ``target`` (``"mod:func"``).

    >>> sys.modules["demo"] = types.ModuleType("demo")
    >>> make_callable("demo", "builtins:len")
    >>> sys.modules["demo"]([1, 2])
    2
    """
    module = sys.modules[module_name]
    module.__class__ = CallableModule
    module.__call_target__ = target  # type: ignore[attr-defined]
