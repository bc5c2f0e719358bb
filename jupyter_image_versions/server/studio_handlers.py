"""REST handlers for SageMaker Studio: attach a version to a domain's custom images, and detach.

Both are POST actions on the domain's (or a user profile's) settings: detach removes one entry
from ``CustomImages`` by read-modify-write rather than deleting an addressable resource, and a
DELETE with a body is poorly supported by clients and proxies.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import SpecError
from .base import ImageVersionsHandler, api

ATTACH_FIELDS = (
    "image_name",
    "version",
    "alias",
    "domain_id",
    "app_type",
    "user_profile",
    "kernel_name",
    "display_name",
    "uid",
    "gid",
    "mount_path",
    "force",
)
DETACH_FIELDS = ("image_name", "domain_id", "app_type", "user_profile")
REQUIRED = ("image_name", "domain_id", "app_type")
TEXT_FIELDS = (
    "image_name",
    "alias",
    "domain_id",
    "app_type",
    "user_profile",
    "kernel_name",
    "display_name",
    "mount_path",
)
KERNEL_FIELDS = ("kernel_name", "display_name")
VERSION_MAX = 999_999_999


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_body(body: dict[str, Any], allowed: tuple[str, ...], action: str) -> dict[str, Any]:
    """The fields of an attach/detach body, or SpecError naming every field that is wrong.

    Types, presence and combinations are checked here; names, patterns and ranges by the
    service (from botocore's model) before it asks AWS anything.
    """
    problems = {
        k: f"'{k}' is not a field of {action} (allowed: {', '.join(allowed)})"
        for k in body
        if k not in allowed
    }
    for key in REQUIRED:
        if body.get(key) is None:
            problems[key] = f"{key} is required"
    for key in TEXT_FIELDS:
        if key in allowed and body.get(key) is not None and not isinstance(body[key], str):
            problems[key] = f"{key} must be text, not {body[key]!r}"
    if "version" in allowed:
        version, alias = body.get("version"), body.get("alias")
        if (version is None) == (alias is None):
            problems["version"] = "or an alias is required: one of the two, not both"
        elif version is not None and not (_whole(version) and 1 <= version <= VERSION_MAX):
            problems["version"] = f"version must be a whole number of at least 1, not {version!r}"
        if body.get("force") is not None and not isinstance(body["force"], bool):
            problems["force"] = f"force must be true or false, not {body['force']!r}"
        if body.get("app_type") in ("JupyterLab", "CodeEditor"):
            for key in KERNEL_FIELDS:
                if body.get(key) is not None:
                    problems[key] = f"{key} applies to KernelGateway images only"
    if problems:
        raise SpecError(problems)
    return {k: v for k, v in body.items() if v is not None}


def _attach(service: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Resolve an alias to its version number, then attach (in the thread pool)."""
    fields = dict(fields)
    image = fields.pop("image_name")
    version = fields.pop("version", None)
    alias = fields.pop("alias", None)
    if version is None:
        version = service.get(image, alias=alias).version
    return service.attach(image, version, **fields)


class StudioAttachHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def post(self) -> None:
        fields = check_body(self.json_body(), ATTACH_FIELDS, "attach")
        self.reply(await self.call(_attach, self.service, fields))


class StudioDetachHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def post(self) -> None:
        fields = check_body(self.json_body(), DETACH_FIELDS, "detach")
        image = fields.pop("image_name")
        self.reply(await self.call(self.service.detach, image, **fields))


class StudioDomainsHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        self.reply({"domains": await self.call(self.service.domains)})


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/studio/attach", StudioAttachHandler),
    (r"/studio/detach", StudioDetachHandler),
    (r"/studio/domains", StudioDomainsHandler),
]
