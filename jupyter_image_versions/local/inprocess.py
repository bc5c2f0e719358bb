"""In-process transport: a real boto3 client whose requests never leave the process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config

from ..core import awsmodel
from .names import LOCAL_REGION

#: The client's endpoint; ``.invalid`` guarantees no DNS lookup could ever succeed.
ENDPOINT_URL = "http://local.image-versions.invalid"
# For raw clients (seeding, tests); the service's own clients bring their config (retries off,
# its gate retries). Standard, not adaptive: adaptive's client-side rate limiter collapses under
# throttling (core/throttle.py).
DEFAULT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})

HandleFn = Callable[[str, bytes, str], tuple[int, dict[str, str], bytes]]


class _Body:
    """The ``raw`` of an :class:`AWSResponse`: just enough of urllib3's response."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any, **__: Any) -> bytes:
        data, self._data = self._data, b""
        return data

    def close(self) -> None:
        pass


class InProcessTransport:
    """Makes boto3 clients that send through ``handle`` instead of the network."""

    def __init__(self, handle: HandleFn) -> None:
        self._handle = handle
        self._session: boto3.session.Session | None = None
        self._lock = threading.Lock()

    def _on_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        body = request.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, (bytes, bytearray)):
            body = body.read()
        target = request.headers.get("X-Amz-Target") or ""
        if isinstance(target, bytes):
            target = target.decode()
        authorization = request.headers.get("Authorization") or ""
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        status, headers, payload = self._handle(target, bytes(body), authorization)
        return AWSResponse(request.url, status, headers, _Body(payload))

    def client(self, service: str, config: Config | None = None, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` answered in-process (no socket is opened)."""
        merged = DEFAULT_CONFIG.merge(config) if config is not None else DEFAULT_CONFIG
        with self._lock:  # boto3 sessions are not safe for concurrent client creation
            if self._session is None:
                self._session = boto3.session.Session(
                    aws_access_key_id="local",
                    aws_secret_access_key="local",
                    region_name=LOCAL_REGION,
                )
                # The process's one botocore loader: every endpoint's clients parse a service
                # model once per process, not once per endpoint (tests make hundreds).
                self._session._session.register_component("data_loader", awsmodel.shared_loader())
            client = self._session.client(
                service, endpoint_url=ENDPOINT_URL, config=merged, **kwargs
            )
        client.meta.events.register("before-send", self._on_send)
        return client
