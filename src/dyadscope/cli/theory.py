"""CLI commands: theory (to be filled in)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the theory commands to the main app."""
