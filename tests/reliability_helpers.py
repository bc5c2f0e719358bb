"""Shared set-up of the reliability tests: the HTTP endpoint behind the fault proxy."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.core.backend import AwsClients
from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.lifecycle import GONE

from .faultproxy import FaultProxy

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
# The long variants of the reliability suite (docs/reliability.md): IMAGE_VERSIONS_LONG=1.
LONG = os.environ.get("IMAGE_VERSIONS_LONG") == "1"
_SKIP_LONG = pytest.mark.skipif(not LONG, reason="long variant: set IMAGE_VERSIONS_LONG=1")


def long_variant(test: Any) -> Any:
    """Mark `test` as a long variant: marker `long`, skipped unless IMAGE_VERSIONS_LONG=1."""
    return pytest.mark.long(_SKIP_LONG(test))


@dataclass
class Rig:
    endpoint: LocalEndpoint
    proxy: FaultProxy
    service: ImageVersions
    direct: ImageVersions  # the same endpoint without the proxy, to check the outcome


@dataclass
class ModeClients(AwsClients):
    """The product's AWS clients with another botocore retry mode (the quick fault matrix)."""

    retry_mode: str = "standard"

    def client(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(region_name=self.region)
        retries = {"mode": self.retry_mode, "max_attempts": self.max_attempts}
        config = Config(retries=retries, max_pool_connections=self.max_pool_connections)
        return session.client(service, endpoint_url=self.endpoint_url, config=config)


@contextmanager
def rig(
    monkeypatch,
    reset_rate: float = 0.0,
    seed: int = 1,
    rules=None,
    max_attempts: int = 8,
    retry_mode: str | None = None,
    **faults,
) -> Iterator[Rig]:
    """An in-memory endpoint on HTTP, a fault proxy before it, a service through the proxy."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    endpoint = LocalEndpoint(":memory:", create_delay=0.0, seed=seed, **faults)
    server = endpoint.serve_http(port=0)
    proxy = FaultProxy(("127.0.0.1", server.port), reset_rate, seed=seed, rules=rules).start()
    if retry_mode is None:  # the product's own clients and retry configuration
        service = ImageVersions(
            region="us-east-1",
            endpoint_url=proxy.url,
            poll_interval=0.02,
            max_attempts=max_attempts,
        )
    else:
        clients = ModeClients("us-east-1", None, proxy.url, max_attempts, retry_mode=retry_mode)
        service = ImageVersions(clients=clients, poll_interval=0.02)
    direct = ImageVersions(region="us-east-1", endpoint_url=server.url, poll_interval=0.02)
    try:
        yield Rig(endpoint, proxy, service, direct)
    finally:
        service.close()
        direct.close()
        proxy.close()
        server.shutdown()
        endpoint.close()


def target_is(operation: str, **members: object):
    """A predicate on a request: this operation, and these members in its body (if given)."""

    def predicate(target: str, body: bytes) -> bool:
        if not target.endswith("." + operation):
            return False
        if not members:
            return True
        params = json.loads(body or b"{}")
        return all(params.get(k) == v for k, v in members.items())

    return predicate


def alias_holders(endpoint: LocalEndpoint, image: str) -> dict[str, list[int]]:
    """alias -> every version holding it, read from the endpoint's own tables."""
    holders: dict[str, list[int]] = {}
    with endpoint.store.transaction() as db:
        rows = db.execute("SELECT alias, version FROM aliases WHERE image = ?", (image,))
        for row in rows.fetchall():
            holders.setdefault(row[0], []).append(row[1])
    return holders


def version_count(endpoint: LocalEndpoint, image: str) -> int:
    with endpoint.store.transaction() as db:
        row = db.execute("SELECT COUNT(*) FROM versions WHERE image = ?", (image,)).fetchone()
    return row[0]


def versions_of(endpoint: LocalEndpoint, image: str) -> dict[int, str | None]:
    """version -> release notes, read from the endpoint's own tables (a version whose delete
    has finished is gone, though its row waits for the next write to be purged)."""
    with endpoint.store.transaction() as db:
        rows = db.execute(
            f"SELECT version, release_notes FROM versions WHERE image = ? AND NOT {GONE}",
            (image, time.time()),
        )
        return {row[0]: row[1] for row in rows.fetchall()}
