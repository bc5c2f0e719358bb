"""The handlers' base class: authentication, the thread pool, JSON in and out, one error shape,
and the parameter checks every route shares."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..core import awsmodel
from ..core.errors import ImageVersionsError, SpecError
from ..core.spec import field_problem
from .status import error_body, http_status

AUTH_RESOURCE = "image-versions"
API_PREFIX = "/image-versions/api"
HISTORY_LIMIT = (1, 100, 25)  # min, max, default
NEXT_MAX = 2048
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
        except SpecError as exc:
            raise ApiFailure(_naming_fields(exc, self.request.body)) from None
        except ImageVersionsError as exc:
            raise ApiFailure(exc) from None

    return wrapper


def _naming_fields(exc: SpecError, body: bytes) -> SpecError:
    """Every 400 names its field: a problem without one (an empty key in a body, or an error
    only AWS could see) goes under `body` (or `request` when there is none)."""
    fallback = "body" if body else "request"
    problems = {(field or fallback): message for field, message in exc.problems.items()}
    return SpecError(problems or {fallback: exc.message}, message=exc.message)


class ImageVersionsHandler(APIHandler):
    """Base: the service, the thread pool, JSON in and out, and one error shape for everything."""

    auth_resource = AUTH_RESOURCE

    @property
    def iv_app(self) -> Any:  # the ImageVersionsApp (app.py), which imports this module
        return self.settings["image_versions_app"]

    @property
    def service(self) -> Any:
        return self.iv_app.service

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run blocking (boto3) work in the extension's thread pool; the event loop stays free."""
        return await self.iv_app.run(fn, *args, **kwargs)

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        """Path and query arguments; invalid UTF-8 is a 400 naming the argument."""
        try:
            return super().decode_argument(value, name)
        except web.HTTPError:
            field = name or "path"
            problem = f"{field} is not valid text (invalid UTF-8)"
            raise ApiFailure(SpecError({field: problem})) from None

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 naming what is wrong with it."""
        try:
            data = json.loads(self.request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise SpecError({"body": f"the request body is not valid JSON: {exc}"}) from None
        except RecursionError:
            raise SpecError({"body": "the request body is nested too deeply"}) from None
        if not isinstance(data, dict):
            raise SpecError({"body": "the request body must be a JSON object"})
        check_text(data)
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
            message = exc.log_message or reason
            # tornado's own 400s (a body it cannot parse: "Invalid body: ...") name what is wrong
            problems = {"body" if "body" in message.lower() else "request": message}
            body = error_body(
                message, reason.replace(" ", ""), problems if status_code == 400 else None
            )
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
        problem = awsmodel.text_problem(token)
        if problem:
            raise SpecError({"next": f"next {problem}"})
        return token


def check_text(data: dict[str, Any]) -> None:
    """Refuse a body holding a lone surrogate anywhere (JSON may escape one: "\\ud800"),
    naming the top-level field it is under; walks without recursion."""
    for key, value in data.items():
        problem = awsmodel.text_problem(key)
        if problem:
            raise SpecError({"body": f"a field name {problem}"})
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                problem = awsmodel.text_problem(item)
                if problem:
                    raise SpecError({key: f"{key} {problem}"})
            elif isinstance(item, dict):
                stack += [*item.keys(), *item.values()]
            elif isinstance(item, list):
                stack += item


def version_location(base_url: str, image: str, version: int) -> str:
    path = f"{API_PREFIX}/images/{quote(image)}/versions/{version}"
    return base_url.rstrip("/") + path
