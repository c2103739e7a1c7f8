"""The `data update` progress line shows provider messages as text, never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress

from dyadscope.cli.update import status_column


def test_progress_message_with_brackets_prints_as_is() -> None:
    """A message like 'bad[red] reply' keeps its brackets (Rich would eat '[red]')."""
    column = status_column()
    progress = Progress(column, console=Console(width=80), auto_refresh=False)
    progress.add_task("World Bank: bad[red] reply")
    assert column.render(progress.tasks[0]).plain == "World Bank: bad[red] reply"
