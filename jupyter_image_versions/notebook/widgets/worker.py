"""Run the panel's service calls off the kernel's thread, turning errors into messages."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any

from ...core.errors import ImageVersionsError

ErrorHandler = Callable[[str, BaseException], None]


class Worker:
    """A small pool of daemon threads; every task's error goes to a handler, never to the output.

    Daemon threads (not a ThreadPoolExecutor, whose threads are joined at exit) so that a kernel
    restarting during a long CREATING wait is not held up by it.
    """

    def __init__(self, on_error: ErrorHandler, max_workers: int = 2) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._max_workers = max_workers
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._on_error = on_error

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, run = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                run()
            except BaseException as exc:  # only if an error handler itself failed
                future.set_exception(exc)
            else:
                future.set_result(None)

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

        future: Future = Future()
        with self._lock:
            self._pending.add(future)
            if len(self._threads) < self._max_workers:
                thread = threading.Thread(
                    target=self._loop, name="image-versions-panel", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        future.add_done_callback(self._finished)
        self._queue.put((future, run))
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
        """Cancel what has not started and let the threads end after their current task."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.cancel()
        for _ in self._threads:
            self._queue.put(None)
