"""CLI commands: data (to be filled in)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the data commands to the main app."""
