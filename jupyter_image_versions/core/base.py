"""The service's base: clients, calls, selectors and the per-image lock shared by its parts."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, TypeVar

from .aws_calls import call_aws, translate_error
from .backend import (
    LOCAL_DB_ENV,
    LOCAL_DELAY_ENV,
    AwsClients,
    LocalClients,
    backend_from_env,
    default_local_db,
)
from .describe_cache import DescribeCache, default_cache_path
from .errors import ImageVersionsError, SpecError
from .models import ImageVersion
from .spec import alias_problem, field_problem
from .throttle import CallGate, call_through

TERMINAL_STATUSES = {"CREATED", "CREATE_FAILED", "DELETE_FAILED"}

# Creates and deletes of one image are serialized within a process (AWS answers concurrent ones
# with ResourceInUse "modified concurrently").
_IMAGE_LOCKS: dict[str, threading.Lock] = {}
_IMAGE_LOCKS_GUARD = threading.Lock()

_Service = TypeVar("_Service", bound="ServiceBase")


def _image_lock(key: str) -> threading.Lock:
    with _IMAGE_LOCKS_GUARD:
        return _IMAGE_LOCKS.setdefault(key, threading.Lock())


def version_from_arn(arn: str) -> int:
    """The version number at the end of an image-version ARN."""
    return int(arn.rsplit("/", 1)[1])


class ServiceBase:
    """Holds the boto3 clients of one backend and region; the parts of ImageVersions build on it."""

    def __init__(
        self,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        *,
        clients: AwsClients | LocalClients | None = None,
        max_workers: int = 16,
        max_attempts: int = 3,
        poll_interval: float = 0.5,
        timeout: float = 900.0,
        throttle_timeout: float = 30.0,
        describe_cache: str | bool | None = None,
        layer_cache: str | bool | None = None,
    ) -> None:
        self._clients = clients or AwsClients(region, profile, endpoint_url, max_attempts)
        self.backend: str = self._clients.backend
        self.max_workers = max_workers
        self.poll_interval = poll_interval
        self.timeout = timeout
        self._client_cache: dict[str, Any] = {}
        self._client_guard = threading.Lock()
        # Bounds this service's AWS calls in flight (all threads), backing off on throttling.
        attempts = getattr(self._clients, "max_attempts", max_attempts)
        self.gate = CallGate(max_workers, timeout=throttle_timeout, attempts=attempts)
        self._pool_guard = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        scope = getattr(self._clients, "scope", None)
        path = default_cache_path(describe_cache) if scope else None
        self._describe_cache = DescribeCache(path, scope=f"{scope}|" if scope else "")
        self._layer_cache_setting = layer_cache  # oci/service.py opens it when first needed

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def local(
        cls: type[_Service],
        path: str | None = None,
        *,
        max_workers: int = 16,
        max_attempts: int = 3,
        throttle_timeout: float = 30.0,
        describe_cache: str | bool | None = None,
        layer_cache: str | bool | None = None,
        **endpoint_options: Any,
    ) -> _Service:
        """On the embedded local endpoint; `path` is its SQLite file (":memory:" for tests)."""
        from ..local import LocalEndpoint
        from .localdb import open_endpoint

        label = f"the local database ({LOCAL_DB_ENV})" if not path else "the local database"
        endpoint = open_endpoint(
            LocalEndpoint, path or default_local_db(), label, **endpoint_options
        )
        clients = LocalClients(endpoint, max_attempts=max_attempts)
        service = cls(
            clients=clients,
            max_workers=max_workers,
            poll_interval=0.1,
            throttle_timeout=throttle_timeout,
            describe_cache=describe_cache,
            layer_cache=layer_cache,
        )
        service.endpoint = endpoint
        return service

    @classmethod
    def from_settings(
        cls: type[_Service],
        backend: str | None = None,
        *,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        local_db: str | None = None,
        max_workers: int = 16,
        max_attempts: int = 3,
        throttle_timeout: float = 30.0,
        describe_cache: str | bool | None = None,
        layer_cache: str | bool | None = None,
    ) -> _Service:
        """The backend named (or $JUPYTER_IMAGE_VERSIONS_BACKEND), as every front end chooses."""
        backend = backend or backend_from_env()
        sizes = {
            "max_workers": max_workers,
            "max_attempts": max_attempts,
            "throttle_timeout": throttle_timeout,
            "describe_cache": describe_cache,
            "layer_cache": layer_cache,
        }
        if backend == "local":
            return cls.local(local_db, **sizes, **_local_options_from_env())
        return cls(region, profile, endpoint_url, **sizes)

    @property
    def region(self) -> str | None:
        return self._clients.region or self._sm.meta.region_name

    @property
    def _sm(self) -> Any:
        return self._client("sagemaker")

    @property
    def _ecr(self) -> Any:
        return self._client("ecr")

    def _client(self, service: str) -> Any:
        with self._client_guard:
            if service not in self._client_cache:
                try:
                    self._client_cache[service] = self._clients.client(service)
                except Exception as exc:
                    raise translate_error(exc) from None
            return self._client_cache[service]

    def _call(self, client: Any, operation: str, **params: Any) -> dict:
        return call_through(self.gate, operation, lambda: call_aws(client, operation, **params))

    def _pool(self) -> ThreadPoolExecutor:
        """The service's worker threads (describes, alias look-ups), made once."""
        with self._pool_guard:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.max_workers, thread_name_prefix="image-versions-aws"
                )
            return self._executor

    def _paginate(self, client: Any, operation: str, **params: Any) -> Iterable[dict]:
        paginator = client.get_paginator(operation)
        method = paginator._method  # each page's call goes through the gate (retries, bounds)
        paginator._method = lambda **kw: call_through(
            self.gate, operation, lambda: _translated(method, kw)
        )
        try:
            yield from paginator.paginate(**params)
        except ImageVersionsError:
            raise
        except Exception as exc:
            raise translate_error(exc) from None

    def _image_lock(self, image_name: str) -> threading.Lock:
        return _image_lock(f"{self.backend}:{self.region}:{image_name}")

    def _default_role_arn(self) -> str | None:
        """The role to create an image with when none is given; features may know one."""
        return None

    def _check_image_name(self, name: str) -> None:
        problem = field_problem("image_name", name)
        if problem:
            raise SpecError({"image_name": problem})

    def _selector(self, image_name: str, version: int | None, alias: str | None) -> dict:
        problems = {}
        problem = field_problem("image_name", image_name)
        if problem:
            problems["image_name"] = problem
        if (version is None) == (alias is None):
            problems["version"] = "or an alias is required: one of the two, not both"
        elif version is not None and (
            isinstance(version, bool) or not isinstance(version, int) or version < 1
        ):
            problems["version"] = f"version {version!r} must be a whole number of at least 1"
        elif alias is not None:
            problem = alias_problem(alias)
            if problem:
                problems["alias"] = problem
        if problems:
            raise SpecError(problems)
        return {"Version": version} if version is not None else {"Alias": alias}

    def close(self) -> None:
        with self._pool_guard:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
        self._describe_cache.close()
        layers = getattr(self, "_layer_cache_instance", None)
        if layers is not None:
            layers.close()
        for client in self._client_cache.values():
            client.close()
        self._client_cache.clear()


def _translated(method: Any, params: dict) -> dict:
    try:
        return method(**params)
    except Exception as exc:
        raise translate_error(exc) from None


def _local_options_from_env() -> dict[str, Any]:
    delay = os.environ.get(LOCAL_DELAY_ENV)
    if not delay:
        return {}
    try:
        seconds = float(delay)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        problem = f"{LOCAL_DELAY_ENV}={delay!r} must be a number of seconds >= 0"
        raise SpecError({"local_create_delay": problem})
    return {"create_delay": seconds}


def _selector_kwargs(selector: dict) -> dict:
    return (
        {"version": selector["Version"]} if "Version" in selector else {"alias": selector["Alias"]}
    )


def _alias_sort_key(alias: str) -> tuple:
    return (not alias[:1].isdigit(), alias)


def _replace(v: ImageVersion, **changes: Any) -> ImageVersion:
    return replace(v, **changes)
