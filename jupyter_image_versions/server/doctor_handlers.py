"""`GET /doctor`: the image doctor over REST (is this image fit for a Studio app type?)."""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import SpecError
from ..studio.doctor_findings import APP_TYPES
from .base import ImageVersionsHandler, api

PARAMS = ("image", "app_type", "uid", "gid", "kernel_name")
_SELECTOR = re.compile(r"(?P<image>[^:@]+)(?::(?P<version>[0-9]{1,9})|@(?P<alias>[^:@]+))")
MAX_IMAGE = 1024


def parse_query(arguments: dict[str, list[bytes]]) -> dict[str, Any]:
    """The doctor's parameters, or SpecError naming each bad one (before any AWS call)."""
    # Other parameters are ignored, as by the other routes (ServerConnection adds a cache-buster).
    problems: dict[str, str] = {}
    values = {k: [v.decode("utf-8", "replace") for v in vs] for k, vs in arguments.items()}
    image = (values.get("image") or [""])[-1].strip()
    if not image:
        problems["image"] = "image is required: an ECR URI, IMAGE:VERSION or IMAGE@ALIAS"
    elif len(image) > MAX_IMAGE:
        problems["image"] = f"image must be at most {MAX_IMAGE} characters"
    elif ".dkr.ecr." not in image and not _SELECTOR.fullmatch(image):
        problems["image"] = "image must be an ECR URI, IMAGE:VERSION or IMAGE@ALIAS"
    app_type = (values.get("app_type") or ["JupyterLab"])[-1]
    if app_type not in APP_TYPES:
        problems["app_type"] = f"app_type must be one of {', '.join(APP_TYPES)}"
    ids: dict[str, int | None] = {}
    for name in ("uid", "gid"):
        text = (values.get(name) or [""])[-1]
        if text and not (text.isascii() and text.isdigit() and int(text) <= 65535):
            problems[name] = f"{name} must be a whole number from 0 to 65535"
        ids[name] = int(text) if text and name not in problems else None
    kernels = [k for k in values.get("kernel_name") or [] if k]
    if any(len(k) > 256 for k in kernels):
        problems["kernel_name"] = "kernel_name must be at most 256 characters"
    if problems:
        raise SpecError(problems)
    return {"image": image, "app_type": app_type, "kernel_names": kernels or None, **ids}


def run_doctor(service: Any, query: dict[str, Any]) -> dict[str, Any]:
    """Resolve IMAGE:VERSION / IMAGE@ALIAS to its base image, then diagnose (in the pool)."""
    query = dict(query)
    image = query.pop("image")
    if ".dkr.ecr." not in image:
        match = _SELECTOR.fullmatch(image)
        assert match is not None
        version = int(match["version"]) if match["version"] else None
        image = service.get(match["image"], version=version, alias=match["alias"]).base_image
    return service.doctor(image, **query).to_dict()


class DoctorHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        query = parse_query(self.request.arguments)
        self.reply(await self.call(run_doctor, self.service, query))


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [(r"/doctor", DoctorHandler)]
