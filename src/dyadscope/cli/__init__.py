"""The ``dyadscope`` command line: a thin Typer app over the library.

Each command group lives in its own module (``cli/case.py``, ``cli/data.py`` …)
and exposes ``register(app)``.  Handlers parse options, call one library
function and print; logic lives in the library.
"""

from __future__ import annotations

import importlib

import typer

from dyadscope import __version__

app = typer.Typer(
    name="dyadscope",
    help="An observatory and scenario model for the relationship between two states.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

#: Command modules, registered in this order (this is also the order of ``--help``).
COMMAND_MODULES = (
    "case",
    "data",
    "update",
    "indicators",
    "events",
    "theory",
    "scenario",
    "brief",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dyadscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """dyadscope: measure, model and stress the relationship between two states."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"dyadscope.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the ``dyadscope`` console script."""
    app()
