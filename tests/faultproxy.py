"""A fault-injecting HTTP proxy for the reliability tests (threads, loopback only, bounded).

It sits in front of the local endpoint's HTTP transport. Each request is forwarded, the
endpoint answers (so its change is committed), and then the proxy may *reset the connection*
instead of passing the reply on: the client sees a lost reply for a change that happened, the
hardest case for retries. Rules may also pick single requests (by target and body) to reset or
to answer with an injected error without forwarding.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

Rule = Callable[[str, bytes], "str | tuple[int, str] | None"]
MAX_BODY = 1 << 20
TIMEOUT = 10.0


@dataclass
class ProxyStats:
    requests: int = 0
    resets_after_commit: int = 0
    injected_errors: int = 0
    by_target: dict[str, int] = field(default_factory=dict)


class FaultProxy:
    """Forward to ``upstream`` (``host, port``); reset replies at ``reset_rate`` after commit.

    ``rules`` are called with ``(target, body)`` before the dice: ``"reset"`` resets this
    reply after forwarding; ``(status, code)`` answers an AWS JSON error without forwarding;
    ``None`` leaves the request to the dice.
    """

    def __init__(
        self,
        upstream: tuple[str, int],
        reset_rate: float = 0.0,
        seed: int | None = None,
        rules: list[Rule] | None = None,
    ) -> None:
        self.upstream = upstream
        self.reset_rate = reset_rate
        self.rules = list(rules or [])
        self.stats = ProxyStats()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._accepter = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    def start(self) -> FaultProxy:
        self._accepter.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._accepter.join(timeout=5)
        self._sock.close()
        with self._lock:
            for conn in self._conns:  # wake the threads waiting on idle keep-alive clients
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=TIMEOUT)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- serving --------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(TIMEOUT)
        with self._lock:
            self._conns.add(conn)
        reader = conn.makefile("rb")
        try:
            while not self._stop.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                method, path, headers, body = request
                if not self._answer(conn, method, path, headers, body):
                    return
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._conns.discard(conn)
            reader.close()
            conn.close()

    def _answer(self, conn: socket.socket, method: str, path: str, headers: dict, body: bytes):
        target = headers.get("x-amz-target", "")
        action = self._decide(target, body)
        if isinstance(action, tuple):
            status, code = action
            payload = json.dumps(
                {"__type": code, "message": "injected by the fault proxy"}
            ).encode()
            reply = _response(status, {"Content-Type": "application/x-amz-json-1.1"}, payload)
            conn.sendall(reply)
            return True
        upstream = http.client.HTTPConnection(*self.upstream, timeout=TIMEOUT)
        try:
            upstream.request(method, path, body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            reply = _response(answer.status, dict(answer.getheaders()), payload)
        finally:
            upstream.close()
        if action == "reset":  # the endpoint has committed; the client never hears of it
            with self._lock:
                self.stats.resets_after_commit += 1
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        conn.sendall(reply)
        return True

    def _decide(self, target: str, body: bytes) -> str | tuple[int, str] | None:
        with self._lock:
            self.stats.requests += 1
            self.stats.by_target[target] = self.stats.by_target.get(target, 0) + 1
            action = None
            for rule in self.rules:
                action = rule(target, body)
                if action is not None:
                    break
            if action is None and self._random.random() < self.reset_rate:
                action = "reset"
            if isinstance(action, tuple):
                self.stats.injected_errors += 1
            return action


def _read_request(reader) -> tuple[str, str, dict[str, str], bytes] | None:
    line = reader.readline(65537)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = reader.readline(65537).decode("latin-1")
        if header in ("\r\n", "\n", ""):
            break
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    if length > MAX_BODY:
        raise ValueError("body too large")
    return method, path, headers, reader.read(length) if length else b""


def _response(status: int, headers: dict[str, str], payload: bytes) -> bytes:
    reason = http.client.responses.get(status, "Unknown")
    lines = [f"HTTP/1.1 {status} {reason}"]
    skip = {"content-length", "transfer-encoding", "connection"}
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in skip]
    lines += [f"Content-Length: {len(payload)}", "", ""]
    return "\r\n".join(lines).encode("latin-1") + payload


def once(predicate: Callable[[str, bytes], bool], action: str | tuple[int, str]) -> Rule:
    """A rule that applies `action` to the first request matching `predicate`, then never."""
    fired = threading.Event()

    def rule(target: str, body: bytes):
        if not fired.is_set() and predicate(target, body):
            fired.set()
            return action
        return None

    return rule


def always(predicate: Callable[[str, bytes], bool], action: str | tuple[int, str]) -> Rule:
    """A rule that applies `action` to every request matching `predicate`."""
    return lambda target, body: action if predicate(target, body) else None
