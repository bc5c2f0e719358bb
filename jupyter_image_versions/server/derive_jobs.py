"""Derive jobs: a derivation runs in the extension's thread pool while clients poll its state
(planning, downloading, pushing, checking, registering, done, failed)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from ..core.errors import ImageVersionsError
from ..derive.request import DeriveRequest
from ..derive.resolve import PipOptions

MAX_JOBS = 64
FIELDS: dict[str, type | tuple[type, ...]] = {
    "target": str,
    "tag": str,
    "pip": list,
    "requirements": str,
    "env": list,
    "repository": str,
    "python": str,
    "allow_upgrade": bool,
    "dry_run": bool,
    "register": bool,
    "alias": str,
    "force": bool,
    "index_url": str,
    "extra_index_urls": list,
    "find_links": list,
    "no_index": bool,
}
_TYPE_NAMES = {str: "text", list: "a list of text", bool: "true or false"}


def request_from_body(body: dict[str, Any], selector: Any, root: str | None) -> DeriveRequest:
    """The body as a `DeriveRequest`, checked whole (SpecError naming every bad field)."""
    from ..core.errors import SpecError

    problems = {k: "is not a field of a derive request" for k in body if k not in FIELDS}
    for name, kind in FIELDS.items():
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, kind) or (
            kind is list and not all(isinstance(v, str) for v in value)
        ):
            problems[name] = f"{name} must be {_TYPE_NAMES[kind]}"  # type: ignore[index]
    for name in ("target", "tag"):
        if not body.get(name):
            problems.setdefault(name, f"{name} is required")
    if problems:
        raise SpecError(problems)
    target = body["target"].strip()
    where: dict[str, Any] = {}
    if ".dkr.ecr." in target:
        where["base_image"] = target
    else:
        match = selector.fullmatch(target)
        if match is None:
            raise SpecError({"target": "target must be IMAGE:VERSION, IMAGE@ALIAS or an ECR URI"})
        version = int(match["version"]) if match["version"] else None
        where.update(image_name=match["image"], version=version, alias=match["alias"])
    request = DeriveRequest(
        tag=body["tag"],
        pip=list(body.get("pip") or []),
        requirements_text=body.get("requirements") or "",
        env=list(body.get("env") or []),
        repository=body.get("repository"),
        python=body.get("python"),
        allow_upgrade=bool(body.get("allow_upgrade")),
        dry_run=bool(body.get("dry_run")),
        register=bool(body.get("register")),
        new_alias=body.get("alias") or None,
        force=bool(body.get("force")),
        pip_options=PipOptions(
            body.get("index_url"),
            list(body.get("extra_index_urls") or []),
            list(body.get("find_links") or []),
            bool(body.get("no_index")),
            root,  # relative --find-links paths are the Jupyter root's, like its files
        ),
        **where,
    )
    return request.validate()


class DeriveJobs:
    """The jobs of one server (the newest `MAX_JOBS`), updated by their threads."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def new(self, request: DeriveRequest, target: str) -> dict[str, Any]:
        job = {
            "id": uuid.uuid4().hex,
            "state": "planning",
            "target": target,
            "tag": request.tag,
            "register": request.register,
            "plan": None,
            "progress": {"bytes_sent": 0, "bytes_total": 0},
            "result": None,
            "error": None,
            "created": time.time(),
        }
        with self._lock:
            self._jobs[job["id"]] = job
            while len(self._jobs) > MAX_JOBS:
                self._jobs.popitem(last=False)
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else {**job, "progress": dict(job["progress"])}

    def run(self, service: Any, request: DeriveRequest, job: dict[str, Any]) -> None:
        """Run the derivation, keeping ``job`` up to date (in a pool thread)."""

        def on_stage(stage: str, info: dict[str, Any]) -> None:
            with self._lock:
                if stage == "planned":
                    job["plan"] = info["plan"]
                elif stage != "done":
                    job["state"] = stage
                if "bytes_total" in info:
                    job["progress"] = {
                        "bytes_sent": info["bytes_sent"],
                        "bytes_total": info["bytes_total"],
                    }

        try:
            result = service.derive(request, on_stage)
        except ImageVersionsError as exc:
            with self._lock:
                job["state"], job["error"] = "failed", exc.to_dict()
            return
        except Exception as exc:  # a bug: the job says so instead of hanging in its state
            with self._lock:
                job["state"] = "failed"
                job["error"] = {"message": f"derive failed: {exc}", "code": "InternalError"}
            return
        with self._lock:
            job["result"] = result.to_dict()
            job["state"] = "done"
