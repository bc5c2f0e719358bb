"""Concurrency control and retries for AWS calls: a bounded gate that backs off when AWS throttles.

The clients are in botocore's standard mode with its retries off (benchmarks/history.py: its
1 s-based throttling backoff made a history under 20 % random throttling 4.9x slower than
unthrottled, adaptive mode 91x; this gate, 2x). The gate retries transient errors (5xx, time-outs,
connection errors) up to `attempts` times, like botocore. When AWS throttles, the gate takes one
slot away from how many calls may be in flight (never below `floor`), waits a short jittered
backoff and tries again; every success gives half a slot back. So the pool settles
where about a third of the calls are throttled: enough to use all of a rate limit, and random
throttling (fewer than a third) never shrinks it. A call that stays throttled for
`timeout` seconds gives up with `Throttled`, so nothing hangs. Listeners hear of every retry so
front ends can show that one is going on.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .aws_calls import call_aws
from .errors import AwsError, Throttled

T = TypeVar("T")
RetryListener = Callable[[str, int, float], None]  # operation, attempt, seconds throttled so far
# ... and the seconds until the next attempt (add_listener(..., with_delay=True))
DelayedRetryListener = Callable[[str, int, float, float], None]
TRANSIENT_CODES = {
    "InternalFailure",
    "InternalServerError",
    "InternalError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "EndpointConnectionError",
    "ConnectionClosedError",  # as botocore's standard mode: a lost reply is retried
}


class CallGate:
    """At most `limit` calls in flight, fewer while AWS throttles."""

    def __init__(
        self,
        limit: int = 16,
        *,
        floor: int = 2,
        timeout: float = 30.0,
        attempts: int = 3,
        base_delay: float = 0.05,
        max_delay: float = 2.0,
    ) -> None:
        self.max_limit = max(1, limit)
        self.floor = min(max(1, floor), self.max_limit)
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._limit = float(self.max_limit)
        self._in_flight = 0
        self._cond = threading.Condition()
        self._listeners: list[tuple[Callable[..., None], bool]] = []
        self.throttled = 0  # throttled answers seen (for benchmarks and tests)

    @property
    def limit(self) -> int:
        return int(self._limit)

    def add_listener(
        self, listener: RetryListener | DelayedRetryListener, *, with_delay: bool = False
    ) -> Callable[[], None]:
        """Call `listener(operation, attempt, seconds)` on every throttled retry (with
        `with_delay`, also the seconds until the retry: "retrying in 2 s"); returns undo."""
        entry = (listener, with_delay)
        self._listeners.append(entry)
        return lambda: self._listeners.remove(entry)

    def run(self, operation: str, fn: Callable[[], T]) -> T:
        """Run `fn` through the gate, retrying it while AWS throttles, up to `timeout` seconds."""
        start = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            self._enter()
            try:
                result = fn()
            except Throttled as exc:
                self._leave(throttled=True)
                waited = time.monotonic() - start
                delay = random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))
                if waited + delay > self.timeout:
                    raise Throttled(
                        f"AWS kept throttling {operation} for {waited:.0f} s ({attempt} attempts);"
                        " try again shortly"
                    ) from exc
                for listener, with_delay in list(self._listeners):
                    if with_delay:
                        listener(operation, attempt, waited, delay)
                    else:
                        listener(operation, attempt, waited)
                time.sleep(delay)
                continue
            except AwsError as exc:
                self._leave(throttled=False)
                if exc.code not in TRANSIENT_CODES or attempt >= self.attempts:
                    raise
                time.sleep(random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt)))
                continue
            except BaseException:
                self._leave(throttled=False)
                raise
            self._leave(throttled=False)
            return result

    def _enter(self) -> None:
        with self._cond:
            while self._in_flight >= int(self._limit):
                self._cond.wait()
            self._in_flight += 1

    def _leave(self, throttled: bool) -> None:
        with self._cond:
            self._in_flight -= 1
            if throttled:
                self.throttled += 1
                self._limit = max(float(self.floor), self._limit - 1)
            else:
                self._limit = min(float(self.max_limit), self._limit + 0.5)
            self._cond.notify_all()


def call_through(gate: CallGate | None, operation: str, fn: Callable[[], T]) -> T:
    """`fn()` through `gate` when there is one."""
    return fn() if gate is None else gate.run(operation, fn)


class GatedClient:
    """A boto3 client whose operations run through a `CallGate`.

    The clients' own retries are off (the gate retries), so code that calls a client directly
    (`call_aws(client, ...)` in studio/ and the doctor) gets one through `ImageVersions`'
    clients, wrapped in this. Everything that is not an operation (meta, paginators, presigned
    URLs) is the client's own.
    """

    def __init__(self, client: Any, gate: CallGate) -> None:
        self.raw = client
        self.gate = gate

    def __getattr__(self, name: str) -> Any:
        raw, gate = self.raw, self.gate
        if name not in raw.meta.method_to_api_mapping:
            return getattr(raw, name)

        def gated(**params: Any) -> Any:
            return gate.run(name, lambda: call_aws(raw, name, **params))

        return gated
