"""The magic's progress: one line in the cell's output, updated in place, the last one kept.

An IPython display handle (`display_id`) is updated as the command reports steps (the same
`commands.progress.Progress` calls the CLI's terminal line hears); in a notebook the cell ends
with one final line such as "my-image version 4: CREATED (3 s)" (the time only from 1 s).
"""

from __future__ import annotations

import threading
import time
from html import escape
from typing import Any

from ..commands.progress import Progress, throttled_text

STYLE = "font-family:var(--jp-code-font-family,monospace);color:var(--jp-ui-font-color2,#555)"


class NotebookProgress(Progress):
    """A progress line in a notebook output (text/plain and text/html)."""

    def __init__(self) -> None:
        self._handle: Any = None
        self._start = 0.0
        self._message = ""
        self._lock = threading.RLock()  # retries are heard from the service's pool threads

    def _elapsed(self) -> str:
        """' (3 s)', or nothing under a second (no '(0 s)' line)."""
        seconds = round(time.monotonic() - self._start)
        return f" ({seconds} s)" if seconds >= 1 else ""

    def _show(self, text: str) -> None:
        from IPython.display import display

        bundle = {
            "text/plain": text,
            "text/html": f'<div class="jp-image-versions-progress" style="{STYLE}">'
            f"{escape(text)}</div>",
        }
        with self._lock:
            if self._handle is None:
                self._handle = display(bundle, raw=True, display_id=True)
            else:
                self._handle.update(bundle, raw=True)

    def step(self, message: str, *, key: Any = None, plain: bool = True) -> None:
        if self._handle is None:
            self._start = time.monotonic()
        self._message = message
        self._show(f"{message}{self._elapsed()}")

    def retrying(self, operation: str, attempt: int, delay: float) -> None:
        if self._handle is None:
            self._start = time.monotonic()
        text = throttled_text(operation, delay)
        self._show(f"{self._message} ({text})" if self._message else text)

    def finish(self, message: str | None = None) -> None:
        with self._lock:
            if self._handle is not None:
                self._show(f"{message or self._message}{self._elapsed()}")
            self._handle = None
            self._message = ""
