"""Which backend to talk to (AWS or the embedded local endpoint) and how to make its clients."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import awsmodel

BACKEND_ENV = "JUPYTER_IMAGE_VERSIONS_BACKEND"
LOCAL_DB_ENV = "JUPYTER_IMAGE_VERSIONS_LOCAL_DB"
LOCAL_DELAY_ENV = "JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY"
BACKENDS = ("aws", "local")
# botocore's standard mode with its retries off: the service's gate (core/throttle.py) retries,
# bounded in time, with a shorter backoff and its own concurrency control. Measured by
# benchmarks/history.py under 20 % random throttling: adaptive 91x the unthrottled time (its
# client-side rate limiter), standard with 3 attempts 4.9x, the gate 2x.
RETRY_MODE = "standard"


def default_local_db() -> str:
    """The local SQLite file: $JUPYTER_IMAGE_VERSIONS_LOCAL_DB, else in the Jupyter data dir."""
    configured = os.environ.get(LOCAL_DB_ENV)
    if configured:
        return configured
    from jupyter_core.paths import jupyter_data_dir

    folder = Path(jupyter_data_dir()) / "image-versions"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "local.sqlite")


def backend_from_env() -> str:
    value = os.environ.get(BACKEND_ENV, "aws").strip().lower() or "aws"
    if value not in BACKENDS:
        from .errors import SpecError

        raise SpecError({"backend": f"{BACKEND_ENV}={value!r} must be one of aws, local"})
    return value


@dataclass
class AwsClients:
    """boto3 clients for real AWS (or any endpoint_url), with botocore's retries."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    max_attempts: int = 3
    max_pool_connections: int = 16
    backend: str = "aws"
    retry_mode: str = RETRY_MODE
    botocore_attempts: int = 1  # the gate retries (max_attempts); botocore only with a mode

    @property
    def scope(self) -> str:
        """Which AWS the describe cache's entries come from."""
        return f"aws:{self.endpoint_url or ''}"

    def client(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(profile_name=self.profile, region_name=self.region)
        if not session.region_name and os.environ.get("AWS_REGION"):
            # boto3 reads only AWS_DEFAULT_REGION and the profile; the SDKs and the CLI v2 also
            # read AWS_REGION, the one the README and CREDENTIALS_HELP name.
            session = boto3.session.Session(
                profile_name=self.profile, region_name=os.environ["AWS_REGION"]
            )
        config = Config(
            retries={"mode": self.retry_mode, "total_max_attempts": self.botocore_attempts},
            max_pool_connections=self.max_pool_connections,
            user_agent_extra="jupyter-image-versions",
        )
        # The process's one loader (awsmodel.py): models, endpoint rules and partitions parsed
        # once. Registered after boto3's Session set up its own, which only resources need.
        session._session.register_component("data_loader", awsmodel.shared_loader())
        return session.client(service, endpoint_url=self.endpoint_url, config=config)


@dataclass
class LocalClients:
    """Clients answered in-process by the embedded local endpoint."""

    endpoint: Any
    max_attempts: int = 3
    backend: str = "local"
    retry_mode: str = RETRY_MODE
    botocore_attempts: int = 1

    @property
    def scope(self) -> str | None:
        """A file endpoint's path (an in-memory one has nothing worth keeping)."""
        path = str(self.endpoint.path)
        return None if path == ":memory:" else f"local:{path}"

    @property
    def region(self) -> str:
        from ..local.names import LOCAL_REGION

        return LOCAL_REGION

    def client(self, service: str) -> Any:
        from botocore.config import Config

        config = Config(
            retries={"mode": self.retry_mode, "total_max_attempts": self.botocore_attempts}
        )
        return self.endpoint.client(service, config=config)
