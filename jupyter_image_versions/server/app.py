"""ImageVersionsApp: the jupyter_server extension, its configuration and its one service."""

from __future__ import annotations

import contextlib
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop
from traitlets import Bool, Enum, Float, Integer, Unicode, default, validate

from ..core.backend import (
    BACKEND_ENV,
    BACKENDS,
    LOCAL_DB_ENV,
    LOCAL_DELAY_ENV,
    backend_from_env,
    default_local_db,
)
from ..core.errors import SpecError


class ImageVersionsApp(ExtensionApp):
    """Serves the image-versions REST API under /image-versions/api."""

    name = "jupyter_image_versions"
    description = "Manage Amazon SageMaker image versions: the REST API of the sidebar."
    load_other_extensions = True

    backend = Enum(
        BACKENDS,
        help="aws (default) or local (the embedded SageMaker endpoint). "
        f"Default: ${BACKEND_ENV}, else aws.",
    ).tag(config=True)
    region = Unicode(None, allow_none=True, help="AWS region (default: boto3's).").tag(config=True)
    profile = Unicode(None, allow_none=True, help="AWS profile (default: boto3's).").tag(
        config=True
    )
    endpoint_url = Unicode(
        None, allow_none=True, help="SageMaker/ECR endpoint URL, e.g. a local endpoint over HTTP."
    ).tag(config=True)
    local_db = Unicode(
        None,
        allow_none=True,
        help=f"SQLite file of the local backend (default: ${LOCAL_DB_ENV}, else a file in the "
        "Jupyter data directory).",
    ).tag(config=True)
    local_create_delay = Float(
        2.0, help="Seconds a new version stays CREATING on the local backend."
    ).tag(config=True)
    max_workers = Integer(16, help="Threads running AWS calls for the API.").tag(config=True)
    max_attempts = Integer(
        8, help="Attempts per AWS call on transient errors before a 502 is answered."
    ).tag(config=True)
    throttle_timeout = Float(
        10.0, help="Seconds an AWS call may stay throttled (retrying) before a 429 is answered."
    ).tag(config=True)
    describe_cache = Bool(
        True,
        help="Keep describes of settled versions in the user's cache directory, shared with "
        "kernels and the CLI ($JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE=off also turns it off).",
    ).tag(config=True)

    layer_cache = Bool(
        True,
        help="Keep what each image layer holds (by layer digest) in the user's cache directory, "
        "shared with kernels and the CLI ($JUPYTER_IMAGE_VERSIONS_LAYER_CACHE=off or a path).",
    ).tag(config=True)

    @default("backend")
    def _default_backend(self) -> str:
        try:
            return backend_from_env()
        except SpecError as exc:
            self.log.warning("%s; using aws", exc.message)
            return "aws"

    @validate("max_workers", "max_attempts")
    def _at_least_one(self, proposal: Any) -> int:
        return max(1, int(proposal["value"]))

    def initialize_settings(self) -> None:
        from ..api import ImageVersions

        local_db = None
        if self.backend == "local":
            local_db = self.local_db or default_local_db()
            # Kernels started by this server inherit these, so they see the same local state.
            os.environ[BACKEND_ENV] = "local"
            os.environ[LOCAL_DB_ENV] = local_db
            os.environ[LOCAL_DELAY_ENV] = str(self.local_create_delay)
        self.service = ImageVersions.from_settings(
            self.backend,
            region=self.region,
            profile=self.profile,
            endpoint_url=self.endpoint_url,
            local_db=local_db,
            max_workers=self.max_workers,
            max_attempts=self.max_attempts,
            throttle_timeout=self.throttle_timeout,
            describe_cache=None if self.describe_cache else False,
            layer_cache=None if self.layer_cache else False,
        )
        self.executor = ThreadPoolExecutor(self.max_workers, thread_name_prefix="image-versions")
        from .shared_fetch import SharedFetches

        self.shared_fetches = SharedFetches()
        # Load botocore's models (validation reads them) and build the OpenAPI document in the
        # pool now, so that no request pays for it on the event loop.
        self.executor.submit(_warm_up, self.service)
        self.settings["image_versions_app"] = self
        where = f"local db {local_db}" if local_db else f"region {self.region or 'from boto3'}"
        self.log.info("image-versions: %s backend, %s", self.backend, where)

    def initialize_handlers(self) -> None:
        from .routes import handlers

        self.handlers.extend(handlers())

    async def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run `fn` in the extension's thread pool."""
        call = functools.partial(fn, *args, **kwargs)
        return await IOLoop.current().run_in_executor(self.executor, call)

    async def stop_extension(self) -> None:
        executor = getattr(self, "executor", None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        service = getattr(self, "service", None)
        if service is not None:
            service.close()
            endpoint = getattr(service, "endpoint", None)
            if endpoint is not None:
                endpoint.close()


def _warm_up(service: Any) -> None:
    """Load what every request needs, then freeze it out of the garbage collector's scans.

    botocore's models are millions of objects: a full collection that walks them stopped the
    whole server (its event loop included) for about 300 ms every few seconds at 50 clients
    (benchmarks/server_load.py, `longest GC`). Frozen, they are never scanned again.
    """
    import gc

    from ..core import awsmodel
    from .openapi import openapi_document

    awsmodel.service_model("sagemaker")
    awsmodel.service_model("ecr")
    openapi_document()
    with contextlib.suppress(Exception):  # no region yet, say: the first request will tell
        service._client("sagemaker")
        service._client("ecr")
    gc.freeze()
