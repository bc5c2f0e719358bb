"""Progress while a command waits: one live line on a terminal (rich), plain lines otherwise.

A command reports through `ctx.progress` (a `Progress`): `step()` with what it is waiting for,
`retrying()` when AWS throttles a call, `finish()` when done. The front end picks the kind: the
CLI a `TerminalProgress` on a terminal's stderr, `PlainProgress` when stderr is a file or pipe,
the quiet base class with `--json`/`--output`/`--query`; the magic `notebook.progress`.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO


class Progress:
    """Quiet: reports nothing (machine-readable output, tests)."""

    def step(self, message: str, *, key: Any = None, plain: bool = True) -> None:
        """What the command is waiting for now. A plain front end prints `message` when `key`
        (default: the message) changes, and only when `plain`; a live one shows every step."""

    def retrying(self, operation: str, attempt: int, delay: float) -> None:
        """AWS throttled `operation`; it is retried in `delay` seconds."""

    def finish(self, message: str | None = None) -> None:
        """The wait is over; `message` is its last line (a live display may keep it)."""


def throttled_text(operation: str, delay: float) -> str:
    return f"{operation}: throttled, retrying in {max(delay, 0.1):.1f} s"


class PlainProgress(Progress):
    """Plain lines on a stream that is not a terminal: each status once, no escape codes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._key: Any = object()

    def _print(self, text: str) -> None:
        print(text, file=self.stream or sys.stderr, flush=True)

    def step(self, message: str, *, key: Any = None, plain: bool = True) -> None:
        key = message if key is None else key
        if plain and key != self._key:
            self._key = key
            self._print(message)

    def retrying(self, operation: str, attempt: int, delay: float) -> None:
        if attempt == 1 or attempt % 5 == 0:  # the first retry, then every few attempts
            self._print(throttled_text(operation, delay))

    def finish(self, message: str | None = None) -> None:
        self._key = object()


class TerminalProgress(Progress):
    """One live line on a terminal (rich): a spinner, the current step, the time elapsed.

    The line is transient: it is erased when the wait is over, so stdout keeps only the result.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._live: Any = None
        self._task: Any = None
        self._message = ""
        self._lock = threading.Lock()  # retries are heard from the service's pool threads

    def _start(self, message: str) -> None:
        from rich.console import Console
        from rich.progress import Progress as RichProgress
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream or sys.stderr, highlight=False)
        self._live = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            refresh_per_second=8,
        )
        self._live.start()
        self._task = self._live.add_task(message, total=None)

    def _show(self, line: str) -> None:
        with self._lock:
            if self._live is None:
                self._start(line)
            else:
                self._live.update(self._task, description=line)

    def step(self, message: str, *, key: Any = None, plain: bool = True) -> None:
        self._message = message
        self._show(message)

    def retrying(self, operation: str, attempt: int, delay: float) -> None:
        text = throttled_text(operation, delay)
        self._show(f"{self._message} ({text})" if self._message else text)

    def finish(self, message: str | None = None) -> None:
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None
            self._message = ""


def _size(n: float) -> str:
    """'1.2 MB', or kB below a megabyte (the demo's images are small): never '0.0 MB'."""
    return f"{n / 1e3:,.1f} kB" if n < 1e6 else f"{n / 1e6:,.1f} MB"


def layer_progress(progress: Progress, what: str = "reading layers") -> Any:
    """The image reader's progress dicts as `progress` steps: one per layer done, none when
    every layer comes from the cache (nothing to read)."""

    def show(state: dict[str, Any]) -> None:
        read, total, done = state["bytes_read"], state["bytes_total"], state["layers_done"]
        if total <= 0:
            return
        # the config blob is read too, outside the layers' total
        progress.step(f"{what}: {done} done, {_size(read)} of {_size(max(read, total))}", key=done)

    return show


def for_stream(stream: TextIO, *, quiet: bool = False) -> Progress:
    """The progress a stream can show: live on a terminal, plain lines otherwise."""
    if quiet:
        return Progress()
    isatty = getattr(stream, "isatty", None)
    return TerminalProgress(stream) if isatty and isatty() else PlainProgress(stream)
