"""Run the panel's service calls off the kernel's thread, turning errors into messages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from ..errors import ImageVersionsError

ErrorHandler = Callable[[str, BaseException], None]


class Worker:
    """A small thread pool; every task's error goes to a handler, never to the output area."""

    def __init__(self, on_error: ErrorHandler, max_workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="image-versions-panel")
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._on_error = on_error

    def submit(self, fn: Callable[..., Any], *args: Any, on_error: ErrorHandler | None = None):
        """Run `fn(*args)` in the background; errors go to `on_error` (or the default handler)."""
        handler = on_error or self._on_error

        def run() -> None:
            try:
                fn(*args)
            except ImageVersionsError as exc:
                handler(exc.message, exc)
            except Exception as exc:  # a bug or an unexpected library error: still no traceback
                handler(f"Unexpected error: {type(exc).__name__}: {exc}", exc)

        with self._lock:
            future = self._pool.submit(run)
            self._pending.add(future)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    @property
    def busy(self) -> bool:
        with self._lock:
            return any(not f.done() for f in self._pending)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no task is pending (tasks may start others); False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = {f for f in self._pending if not f.done()}
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            wait(pending, timeout=remaining)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
