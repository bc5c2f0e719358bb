"""`POST /derive` (202 with a job) and `GET /derive/{id}` (its state): a derivation takes longer
than a request should, so it runs as a job in the extension's thread pool."""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import NotFound, SpecError
from .base import ImageVersionsHandler, api
from .derive_jobs import DeriveJobs, request_from_body

_SELECTOR = re.compile(r"(?P<image>[^:@]+)(?::(?P<version>[0-9]{1,9})|@(?P<alias>[^:@]+))")
_TASKS: set[asyncio.Future[Any]] = set()  # running jobs, kept from the garbage collector


def jobs_of(app: Any) -> DeriveJobs:
    jobs = getattr(app, "_derive_jobs", None)
    if jobs is None:
        jobs = app._derive_jobs = DeriveJobs()
    return jobs


class DeriveHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def post(self) -> None:
        body = self.json_body()
        root = self.settings.get("server_root_dir")
        request = request_from_body(body, _SELECTOR, root and os.path.expanduser(root))
        jobs = jobs_of(self.iv_app)
        job = jobs.new(request, body["target"].strip())
        task = asyncio.ensure_future(self.call(jobs.run, self.service, request, job))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        self.set_header("Location", f"{self.request.path}/{job['id']}")
        self.reply(jobs.get(job["id"]), status=202)


class DeriveJobHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, job_id: str) -> None:
        if not re.fullmatch(r"[0-9a-f]{32}", job_id):
            raise SpecError({"id": "id must be a job id (32 hexadecimal digits)"})
        job = jobs_of(self.iv_app).get(job_id)
        if job is None:
            raise NotFound(f"no derive job {job_id} (jobs are kept while the server runs)")
        self.reply(job)


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/derive", DeriveHandler),
    (r"/derive/([^/]+)", DeriveJobHandler),
]
