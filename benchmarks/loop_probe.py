"""A jupyter_server extension for benchmarks/server_load.py: the event loop's own lag.

A callback scheduled every 5 ms records how late it ran; `GET /loop-probe` returns the largest
lag since the last read and the longest garbage collection (and resets both). Unlike timing a
request from outside, this sees only the server's loop: not the client's threads, not the
network, not the other processes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time

from jupyter_server.base.handlers import APIHandler
from tornado import web

INTERVAL = 0.005


class LoopLag:
    def __init__(self) -> None:
        self.largest = 0.0
        self.samples = 0
        self.gc_largest = 0.0  # the longest garbage collection (any thread stops for it)
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_largest = max(self.gc_largest, time.perf_counter() - self._gc_started)

    async def run(self) -> None:
        while True:
            expected = time.perf_counter() + INTERVAL
            await asyncio.sleep(INTERVAL)
            self.largest = max(self.largest, time.perf_counter() - expected)
            self.samples += 1

    def read(self) -> dict:
        found = {
            "largest_ms": self.largest * 1000,
            "samples": self.samples,
            "gc_largest_ms": self.gc_largest * 1000,
        }
        self.largest, self.samples, self.gc_largest = 0.0, 0, 0.0
        return found


LAG = LoopLag()


class ProbeHandler(APIHandler):
    @web.authenticated
    def get(self) -> None:
        self.finish(json.dumps(LAG.read()))


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "loop_probe"}]


def _load_jupyter_server_extension(server_app) -> None:
    server_app.web_app.add_handlers(".*$", [("/loop-probe", ProbeHandler)])
    server_app.io_loop.call_later(0, lambda: asyncio.ensure_future(LAG.run()))
