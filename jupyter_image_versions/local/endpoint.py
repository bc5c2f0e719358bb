"""``LocalEndpoint``: the embedded SageMaker + ECR endpoint and its two transports."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any

from botocore.config import Config

from .ecr_ops import default_manifest, resolve
from .handler import Faults, Handler, Response
from .http_server import LocalHTTPServer
from .inprocess import InProcessTransport
from .names import REGISTRY, repository_uri
from .protocol import ApiError
from .store import Store


class LocalEndpoint:
    """A local SageMaker image API and ECR registry kept in SQLite.

    ``path`` is ``":memory:"`` (private to this object) or a SQLite file that several
    processes may share. New images, image versions and domains stay ``CREATING`` (``Pending``)
    for ``create_delay`` seconds; deleted ones stay ``DELETING`` for ``delete_delay`` seconds
    (default: the create delay). ``conflict_rate`` and ``delete_failure_rate`` inject
    ResourceInUse "modified concurrently" and DELETE_FAILED outcomes.
    """

    def __init__(
        self,
        path: str = ":memory:",
        create_delay: float = 0.5,
        latency_ms: float = 0,
        throttle_rate: float = 0.0,
        error_rate: float = 0.0,
        seed: int | None = None,
        rate_limit: float | None = None,
        burst: float | None = None,
        *,
        delete_delay: float | None = None,
        conflict_rate: float = 0.0,
        delete_failure_rate: float = 0.0,
    ) -> None:
        self.path = str(path)
        self.store = Store(self.path)
        self.faults = Faults(latency_ms, throttle_rate, error_rate, seed, rate_limit, burst)
        self.faults.conflict_rate = conflict_rate
        self.faults.delete_failure_rate = delete_failure_rate
        self.handler = Handler(
            self.store, create_delay=create_delay, faults=self.faults, delete_delay=delete_delay
        )
        self._transport = InProcessTransport(self.handle)

    @property
    def create_delay(self) -> float:
        return self.handler.sagemaker.create_delay

    @create_delay.setter
    def create_delay(self, seconds: float) -> None:
        self.handler.sagemaker.create_delay = seconds

    @property
    def delete_delay(self) -> float:
        return self.handler.sagemaker.delete_delay

    @delete_delay.setter
    def delete_delay(self, seconds: float | None) -> None:
        self.handler.sagemaker.delete_delay = seconds

    @property
    def request_count(self) -> int:
        """How many requests this object has answered (fault-injected ones included)."""
        return self.handler.request_count

    def handle(
        self, target: str, body: bytes | str | None, authorization: str | None = None
    ) -> Response:
        """Answer one AWS JSON 1.1 request: ``(status, headers, body)``."""
        return self.handler.handle(target, body, authorization)

    def set_faults(
        self,
        latency_ms: float | None = None,
        throttle_rate: float | None = None,
        error_rate: float | None = None,
        *,
        conflict_rate: float | None = None,
        delete_failure_rate: float | None = None,
    ) -> None:
        """Change fault injection at runtime; ``None`` keeps a setting."""
        self.faults.set(latency_ms, throttle_rate, error_rate)
        if conflict_rate is not None:
            self.faults.conflict_rate = conflict_rate
        if delete_failure_rate is not None:
            self.faults.delete_failure_rate = delete_failure_rate

    def client(self, service: str, config: Config | None = None, **kwargs: Any) -> Any:
        """A boto3 client (``"sagemaker"`` or ``"ecr"``) answered in-process.

        ``config`` is merged over the default (adaptive retries, 5 attempts); other
        keyword arguments go to ``Session.client``.
        """
        return self._transport.client(service, config=config, **kwargs)

    def serve_http(
        self, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
    ) -> LocalHTTPServer:
        """Serve this endpoint over HTTP in a daemon thread (``port=0``: any free port)."""
        return LocalHTTPServer(self.handle, host, port, verbose=verbose).start()

    # ------------------------------------------------------------ seeding

    def put_ecr_image(self, repository: str, tag: str, manifest: str | None = None) -> str:
        """Push ``manifest`` (default: a generated one) as ``repository:tag``; the digest.

        Creates the repository if needed. Pushing the same content again is not an error.
        """
        ops = self.handler.ecr
        with contextlib.suppress(ApiError):
            ops.CreateRepository({"repositoryName": repository})
        manifest = manifest if manifest is not None else default_manifest(repository, tag)
        try:
            out = ops.PutImage(
                {
                    "repositoryName": repository,
                    "imageTag": tag,
                    "imageManifest": manifest,
                    "_seed": True,  # seeded manifests name blobs never uploaded
                }
            )
            return out["image"]["imageId"]["imageDigest"]
        except ApiError as err:
            if err.code != "ImageAlreadyExistsException":
                raise
        with self.store.transaction() as db:
            digest = resolve(db, repository, tag, None)
        assert digest is not None
        return digest

    @staticmethod
    def registry_uri(repository: str, tag: str) -> str:
        """``000000000000.dkr.ecr.us-east-1.amazonaws.com/<repository>:<tag>``."""
        return f"{repository_uri(repository)}:{tag}"

    registry = REGISTRY

    def close(self) -> None:
        """Stop the blob server and close the database connections."""
        self.handler.layers.close()
        self.store.close()

    def __enter__(self) -> LocalEndpoint:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LocalEndpoint(path={self.path!r}, create_delay={self.create_delay})"


def main_http(
    host: str = "127.0.0.1",
    port: int = 4599,
    db: str | None = None,
    create_delay: float = 0.5,
    latency_ms: float = 0,
    throttle_rate: float = 0.0,
    error_rate: float = 0.0,
    verbose: bool = False,
    rate_limit: float | None = None,
    burst: float | None = None,
    *,
    delete_delay: float | None = None,
    conflict_rate: float = 0.0,
    delete_failure_rate: float = 0.0,
    seed: int | None = None,
) -> None:
    """Serve a local endpoint over HTTP until Ctrl-C (``jupyter image-versions local-endpoint``)."""
    endpoint = LocalEndpoint(
        db or ":memory:",
        create_delay=create_delay,
        latency_ms=latency_ms,
        throttle_rate=throttle_rate,
        error_rate=error_rate,
        rate_limit=rate_limit,
        burst=burst,
        delete_delay=delete_delay,
        conflict_rate=conflict_rate,
        delete_failure_rate=delete_failure_rate,
        seed=seed,
    )
    server = LocalHTTPServer(endpoint.handle, host, port, verbose=verbose)
    print(f"Local SageMaker endpoint on {server.url} (db: {endpoint.path})", flush=True)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops it as Ctrl-C does; a background job ignores SIGINT.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever()
    finally:
        endpoint.close()
