"""Progress on a terminal, with rich."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from repodigest.pipeline import Progress as PipelineProgress
from repodigest.summary import terminal_line


class RichProgress(PipelineProgress):
    def __init__(self) -> None:
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} commits"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def start(self, repository: str) -> None:
        # A name is text, not rich markup: "demo[/]" would otherwise end a style never opened.
        self._tasks[repository] = self._bar.add_task(escape(terminal_line(repository)), total=None)

    def stage(self, repository: str, doing: str) -> None:
        self._bar.update(self._tasks[repository], description=escape(terminal_line(f"{repository} · {doing}")))

    def advance(self, repository: str, commits: int) -> None:
        self._bar.update(self._tasks[repository], completed=commits)

    def finish(self, repository: str) -> None:
        self._bar.update(
            self._tasks[repository],
            total=self._bar.tasks[self._tasks[repository]].completed or 1,
            completed=self._bar.tasks[self._tasks[repository]].completed or 1,
        )
