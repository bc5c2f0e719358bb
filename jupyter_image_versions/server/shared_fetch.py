"""History answers shared by identical requests in flight, with an ETag for conditional GETs."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any


def encode(data: Any) -> tuple[bytes, str]:
    """The JSON body and its strong ETag (a hash of the body); run in the pool, off the loop."""
    body = json.dumps(data, default=str).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (or is `*`)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


class SharedFetches:
    """Runs one fetch per key at a time: identical requests in flight await the same one."""

    def __init__(self) -> None:
        self._in_flight: dict[tuple, asyncio.Future] = {}
        self.started = 0  # fetches actually run (tests and benchmarks read it)

    async def get(self, key: tuple, fetch: Callable[[], Awaitable[Any]]) -> Any:
        future = self._in_flight.get(key)
        if future is None:
            self.started += 1
            future = asyncio.ensure_future(fetch())
            self._in_flight[key] = future
            future.add_done_callback(lambda _: self._in_flight.pop(key, None))
        # A request that goes away must not cancel the fetch the others wait for.
        return await asyncio.shield(future)
