"""CLI commands: scenario (to be filled in)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the scenario commands to the main app."""
