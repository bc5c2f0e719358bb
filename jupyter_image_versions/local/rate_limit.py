"""A token bucket per operation: AWS's request-rate throttling, for the local endpoint's faults."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimit:
    """`rate` requests per second per operation, bursts of up to `burst`; `take` says if one fits.

    Like AWS, a refused request costs no token, so a client that retries at once only wastes its
    own time; the bucket refills continuously.
    """

    def __init__(
        self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate_limit must be above 0 requests per second, not {rate!r}")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1.0, rate))
        if not self.burst >= 1:
            raise ValueError(f"burst must be at least 1 request, not {burst!r}")
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # operation: (tokens, when)
        self._lock = threading.Lock()

    def take(self, operation: str) -> bool:
        """Take one token for `operation`; False when its bucket is empty (throttle it)."""
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.get(operation, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            allowed = tokens >= 1
            self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
            return allowed
