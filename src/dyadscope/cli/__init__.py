"""The ``dyadscope`` command line: a thin Typer app over the library.

Each command group lives in its own module (``cli/case.py``, ``cli/data.py`` …)
and exposes ``register(app)``.  Handlers parse options, call one library
function and print; logic lives in the library.
"""

from __future__ import annotations

import importlib
import sys

import typer

from dyadscope import __version__
from dyadscope.cli._common import debug_enabled, is_boundary_error, report_error, set_debug

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
    "evidence",
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
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Show a full traceback on errors (also DYADSCOPE_DEBUG=1); "
        "by default an error is one line on standard error.",
    ),
) -> None:
    """dyadscope: measure, model and stress the relationship between two states."""
    set_debug(debug)


for _name in COMMAND_MODULES:
    importlib.import_module(f"dyadscope.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the ``dyadscope`` console script.

    The last line of the error boundary (see :func:`dyadscope.cli._common.handle_errors`,
    which every command carries): an error raised outside a command, e.g. while the
    command line is read, is reported the same way, in one line.
    """
    try:
        app()
    except Exception as exc:
        if debug_enabled() or not is_boundary_error(exc):
            raise
        sys.exit(report_error(exc))
