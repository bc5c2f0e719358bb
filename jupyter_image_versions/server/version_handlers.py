"""Version routes: history (paged), register, and one version (get, PATCH, DELETE)."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import NotFound, SpecError
from ..core.spec import METADATA_FIELDS, ImageVersionSpec, alias_problem, field_problem
from .base import (
    PATCH_LISTS,
    ImageVersionsHandler,
    api,
    version_location,
)
from .shared_fetch import encode, matches


class VersionsHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        image = self.image_param(image)
        limit, token = self.limit_param(), self.next_param()

        def fetch() -> tuple[bytes, str]:
            try:
                page = self.service.history_page(image, limit=limit, next_token=token)
            except SpecError as exc:
                if exc.problems or not token:
                    raise
                # AWS refused the page token (the only free-form input of the listing): name it.
                raise SpecError(
                    {"next": f"next is not a valid page token: {exc.message}"}
                ) from None
            return encode(
                {"versions": [v.to_dict() for v in page.versions], "next": page.next_token}
            )

        shared = self.iv_app.shared_fetches
        body, etag = await shared.get(("history", image, limit, token), lambda: self.call(fetch))
        self.set_header("ETag", etag)
        if matches(self.request.headers.get("If-None-Match"), etag):
            self.set_status(304)
            self.finish()
            return
        self.set_header("Content-Type", "application/json")
        self.finish(body)

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
        # AWS deletes in the background: 202 with the version (DELETING) to poll until 404,
        # or 204 when it is gone already.
        image, number = self.image_param(image), self.version_param(version)
        await self.call(self.service.delete, image, number)
        try:
            found = await self.call(self.service.get, image, number)
        except NotFound:
            self.set_status(204)
            self.finish()
            return
        self.set_header("Location", version_location(self.base_url, image, number))
        self.reply(found.to_dict(), status=202)


def _patch_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Check a PATCH body completely before anything is changed; SpecError names each field."""
    allowed = (*PATCH_LISTS, *METADATA_FIELDS)
    problems = {
        k: f"'{k}' is not a field that can be changed (allowed: {', '.join(allowed)})"
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
                problems[key] = problem
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
    (r"/images/(?P<image>[^/]+)/versions", VersionsHandler),
    (r"/images/(?P<image>[^/]+)/versions/(?P<version>[^/]+)", VersionHandler),
]
