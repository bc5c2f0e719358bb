"""REST handlers: parse and check the request, run the service in the thread pool, answer JSON."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web

from .. import awsmodel
from ..errors import ImageVersionsError, SpecError
from ..export import FORMATS
from ..spec import METADATA_FIELDS, ImageVersionSpec, alias_problem, field_problem
from .openapi import openapi_document
from .status import error_body, http_status

if TYPE_CHECKING:
    from .app import ImageVersionsApp

AUTH_RESOURCE = "image-versions"
API_PREFIX = "/image-versions/api"
HISTORY_LIMIT = (1, 100, 25)  # min, max, default
# AWS allows 8192, but a `next` that long (x12 when URL-encoded) passes tornado's 64 KB header
# limit; real tokens are a few hundred characters.
NEXT_MAX = 2048
# ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
PATCH_LISTS = ("aliases_to_add", "aliases_to_delete", "move_aliases")
EXPORT_VERSIONS_MAX = 200
CREATE_IMAGE_FIELDS = ("name", "role_arn", "display_name", "description")


class ApiFailure(web.HTTPError):
    """One of our errors on its way out as an HTTP response with the JSON error body."""

    def __init__(self, exc: ImageVersionsError) -> None:
        super().__init__(http_status(exc))
        self.body = exc.to_dict()


def api(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Turn the project's errors raised by a handler method into their HTTP status and body."""

    @functools.wraps(method)
    async def wrapper(self: ImageVersionsHandler, *args: Any, **kwargs: Any) -> None:
        try:
            await method(self, *args, **kwargs)
        except ImageVersionsError as exc:
            raise ApiFailure(exc) from None

    return wrapper


class ImageVersionsHandler(APIHandler):
    """Base: the service, the thread pool, JSON in and out, and one error shape for everything."""

    auth_resource = AUTH_RESOURCE

    @property
    def iv_app(self) -> ImageVersionsApp:
        return self.settings["image_versions_app"]

    @property
    def service(self) -> Any:
        return self.iv_app.service

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run blocking (boto3) work in the extension's thread pool; the event loop stays free."""
        return await self.iv_app.run(fn, *args, **kwargs)

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 naming what is wrong with it."""
        try:
            data = json.loads(self.request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise SpecError({"body": f"the request body is not valid JSON: {exc}"}) from None
        if not isinstance(data, dict):
            raise SpecError({"body": "the request body must be a JSON object"})
        return data

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data, default=str))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error, ours or the server's (403, 404, 405), as {"message", "code", "problems"}."""
        self.set_header("Content-Type", "application/json")
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ApiFailure):
            body = exc.body
        elif isinstance(exc, web.HTTPError):
            reason = exc.reason or self._reason
            body = error_body(exc.log_message or reason, reason.replace(" ", ""))
        else:  # a bug: say so without leaking internals; tornado logged the traceback
            body = error_body("internal error in the image-versions extension", "InternalError")
        self.finish(json.dumps(body))

    # -- path and query parameters -------------------------------------------------------------

    def image_param(self, image: str) -> str:
        problem = field_problem("image_name", image)
        if problem:
            raise SpecError({"image_name": problem})
        return image

    def version_param(self, version: str) -> int:
        if not WHOLE_NUMBER.fullmatch(version) or int(version) < 1:
            raise SpecError(
                {"version": f"version '{version}' must be a whole number of at least 1"}
            )
        return int(version)

    def limit_param(self) -> int:
        low, high, default = HISTORY_LIMIT
        text = self.get_query_argument("limit", None)
        if text is None:
            return default
        if not WHOLE_NUMBER.fullmatch(text) or not low <= int(text) <= high:
            raise SpecError(
                {"limit": f"limit '{text}' must be a whole number from {low} to {high}"}
            )
        return int(text)

    def next_param(self) -> str | None:
        token = self.get_query_argument("next", None)
        if token is None or token == "":
            return None
        if len(token) > NEXT_MAX:
            raise SpecError({"next": f"next must be at most {NEXT_MAX} characters"})
        return token


def version_location(base_url: str, image: str, version: int) -> str:
    path = f"{API_PREFIX}/images/{quote(image)}/versions/{version}"
    return base_url.rstrip("/") + path


class ContextHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        self.reply(await self.call(self.service.context))


class OpenApiHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        if openapi_document.cache_info().currsize:  # built at start-up (app.py's warm-up)
            document = dict(openapi_document())
        else:  # asked before the warm-up finished: build it off the event loop
            document = dict(await self.call(openapi_document))
        document["servers"] = [{"url": self.base_url.rstrip("/") + API_PREFIX}]
        self.reply(document)


class ImagesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        images = await self.call(self.service.images)
        self.reply({"images": [i.to_dict() for i in images]})

    @web.authenticated
    @authorized
    @api
    async def post(self) -> None:
        body = self.json_body()
        problems = {
            k: f"{k} is not a field of an image (allowed: {', '.join(CREATE_IMAGE_FIELDS)})"
            for k in body
            if k not in CREATE_IMAGE_FIELDS
        }
        name = body.get("name")
        if name is None:
            problems["name"] = "name is required"
        elif field_problem("image_name", name):
            problems["name"] = "name" + field_problem("image_name", name).removeprefix("image_name")
        if problems:
            raise SpecError(problems)
        image = await self.call(
            self.service.create_image,
            name,
            role_arn=body.get("role_arn"),
            display_name=body.get("display_name"),
            description=body.get("description"),
        )
        self.set_header("Location", f"{self.base_url.rstrip('/')}{API_PREFIX}/images/{quote(name)}")
        self.reply(image.to_dict(), status=201)


class ImageHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        found = await self.call(self.service.describe_image, self.image_param(image))
        self.reply(found.to_dict())


class VersionsHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        image = self.image_param(image)
        limit, token = self.limit_param(), self.next_param()
        page = await self.call(self.service.history_page, image, limit=limit, next_token=token)
        self.reply({"versions": [v.to_dict() for v in page.versions], "next": page.next_token})

    @web.authenticated
    @authorized
    @api
    async def post(self, image: str) -> None:
        image = self.image_param(image)
        body = self.json_body()
        create_image = body.pop("create_image", False)
        role_arn = body.pop("role_arn", None)
        problems = {}
        if not isinstance(create_image, bool):
            problems["create_image"] = f"create_image must be true or false, not {create_image!r}"
        if role_arn is not None and not isinstance(role_arn, str):
            problems["role_arn"] = f"role_arn must be text, not {role_arn!r}"
        if body.get("image_name", image) != image:
            problems["image_name"] = (
                f"image_name '{body['image_name']}' differs from the image in the path, '{image}'"
            )
        if problems:
            raise SpecError(problems)
        spec = ImageVersionSpec.from_dict({**body, "image_name": image})
        spec.validate()
        version = await self.call(
            self.service.register, spec, wait=False, create_image=create_image, role_arn=role_arn
        )
        self.set_header("Location", version_location(self.base_url, image, version.version))
        self.reply(version.to_dict(), status=202)


class VersionHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str, version: str) -> None:
        found = await self.call(
            self.service.get, self.image_param(image), self.version_param(version)
        )
        self.reply(found.to_dict())

    @web.authenticated
    @authorized
    @api
    async def patch(self, image: str, version: str) -> None:
        image, number = self.image_param(image), self.version_param(version)
        changes = _patch_changes(self.json_body())
        found = await self.call(self.service.update, image, number, **changes)
        self.reply(found.to_dict())

    @web.authenticated
    @authorized
    @api
    async def delete(self, image: str, version: str) -> None:
        image, number = self.image_param(image), self.version_param(version)
        await self.call(self.service.delete, image, number)
        self.set_status(204)
        self.finish()


class AliasesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        self.reply(await self.call(self.service.aliases, self.image_param(image)))


class ExportHandler(ImageVersionsHandler):
    """GET /images/{image}/export?format=&json=&versions=&pin_digests=&include_archived="""

    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        image = self.image_param(image)
        fmt = self.get_query_argument("format", "cloudformation")
        problems = {}
        if fmt not in FORMATS:
            problems["format"] = f"format '{fmt}' must be one of {', '.join(FORMATS)}"
        as_json = self.bool_param("json", False, problems)
        if as_json and fmt != "cloudformation":
            problems["json"] = "json=true applies to format=cloudformation only"
        versions = self.get_query_argument("versions", None) or None
        if versions is not None and len(versions) > EXPORT_VERSIONS_MAX:
            problems["versions"] = f"versions must be at most {EXPORT_VERSIONS_MAX} characters"
        pin_digests = self.bool_param("pin_digests", False, problems)
        include_archived = self.bool_param("include_archived", True, problems)
        if problems:
            raise SpecError(problems)
        code = await self.call(
            self.service.export,
            image,
            format=fmt,
            versions=versions,
            pin_digests=pin_digests,
            include_archived=include_archived,
            as_json=as_json,
        )
        suffix = {"cdk-python": "app.py", "cdk-typescript": "app.ts"}.get(fmt)
        filename = suffix or f"{image}.template.{'json' if as_json else 'yaml'}"
        self.reply(
            {
                "image_name": image,
                "format": fmt,
                "json": as_json,
                "filename": filename,
                "content": code,
            }
        )

    def bool_param(self, name: str, default: bool, problems: dict[str, str]) -> bool:
        text = self.get_query_argument(name, None)
        if text is None or text == "":
            return default
        if text.lower() in ("true", "1"):
            return True
        if text.lower() in ("false", "0"):
            return False
        problems[name] = f"{name} '{text}' must be true or false"
        return default


class EcrRepositoriesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        self.reply({"repositories": await self.call(self.service.ecr_repositories)})


class EcrImagesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, repository: str) -> None:
        shape = awsmodel.input_shape("ecr", "DescribeImages", "repositoryName")
        problem = awsmodel.string_problem(shape, repository)
        if problem:
            raise SpecError({"repository": f"repository {problem}"})
        self.reply({"images": await self.call(self.service.ecr_images, repository)})


def _patch_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Check a PATCH body completely before anything is changed; SpecError names each field."""
    allowed = (*PATCH_LISTS, *METADATA_FIELDS)
    problems = {
        k: f"{k} is not a field that can be changed (allowed: {', '.join(allowed)})"
        for k in body
        if k not in allowed
    }
    for key in PATCH_LISTS:
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            problems[key] = f"{key} must be a list of alias names"
            continue
        for alias in value:
            problem = alias_problem(alias)
            if problem:
                problems[key] = f"{key}: {problem}"
    for key in METADATA_FIELDS:
        if body.get(key) is not None:
            problem = field_problem(key, body[key])
            if problem:
                problems[key] = problem
    if not problems and not any(body.get(k) not in (None, []) for k in allowed):
        problems["body"] = f"give at least one change: {', '.join(allowed)}"
    if problems:
        raise SpecError(problems)
    return {k: v for k, v in body.items() if v is not None}


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/context", ContextHandler),
    (r"/openapi\.json", OpenApiHandler),
    (r"/images", ImagesHandler),
    (r"/images/(?P<image>[^/]+)", ImageHandler),
    (r"/images/(?P<image>[^/]+)/versions", VersionsHandler),
    (r"/images/(?P<image>[^/]+)/versions/(?P<version>[^/]+)", VersionHandler),
    (r"/images/(?P<image>[^/]+)/aliases", AliasesHandler),
    (r"/images/(?P<image>[^/]+)/export", ExportHandler),
    (r"/ecr/repositories", EcrRepositoriesHandler),
    (r"/ecr/repositories/(?P<repository>.+)/images", EcrImagesHandler),
]


def handlers() -> list[tuple[str, type[ImageVersionsHandler]]]:
    """The routes with their full paths under /image-versions/api."""
    from .studio_handlers import STUDIO_ROUTES

    return [(API_PREFIX + path, handler) for path, handler in (*ROUTES, *STUDIO_ROUTES)]
