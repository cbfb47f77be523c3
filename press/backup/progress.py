"""What a backup or restore is doing: a rich progress bar on a terminal, plain lines else
(a log, a cron mail), one per stage."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


class Progress:
    def __init__(self, *, terminal: bool | None = None) -> None:
        self.terminal = sys.stdout.isatty() if terminal is None else terminal

    def say(self, line: str) -> None:
        click.echo(line)

    @contextmanager
    def stage(self, label: str, total_bytes: int) -> Iterator[Callable[[int], None]]:
        """Yields a function to report bytes done; the stage's line when it ends."""
        if not self.terminal:
            yield lambda _n: None
            click.echo(f"{label}: {_size(total_bytes)} done")
            return
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        with Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            transient=False,
        ) as bar:
            task = bar.add_task(label, total=total_bytes or None)
            yield lambda n: bar.advance(task, n)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    amount = float(count)
    for unit in ("kB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"
