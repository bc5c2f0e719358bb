"""Shared set-up of the reliability tests: the HTTP endpoint behind the fault proxy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.local import LocalEndpoint

from .faultproxy import FaultProxy

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"


@dataclass
class Rig:
    endpoint: LocalEndpoint
    proxy: FaultProxy
    service: ImageVersions
    direct: ImageVersions  # the same endpoint without the proxy, to check the outcome


@contextmanager
def rig(
    monkeypatch,
    reset_rate: float = 0.0,
    seed: int = 1,
    rules=None,
    max_attempts: int = 8,
    **faults,
) -> Iterator[Rig]:
    """An in-memory endpoint on HTTP, a fault proxy before it, a service through the proxy."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    endpoint = LocalEndpoint(":memory:", create_delay=0.0, seed=seed, **faults)
    server = endpoint.serve_http(port=0)
    proxy = FaultProxy(("127.0.0.1", server.port), reset_rate, seed=seed, rules=rules).start()
    service = ImageVersions(
        region="us-east-1", endpoint_url=proxy.url, poll_interval=0.02, max_attempts=max_attempts
    )
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
