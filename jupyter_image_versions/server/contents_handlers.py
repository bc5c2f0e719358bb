"""`GET /contents`: what is inside an image version, over REST (diff, find and sbom join here).

Every route checks its query before any AWS call (a 400 naming the parameter) and runs the
read in the extension's thread pool.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..contents.model import ECOSYSTEMS
from ..core.errors import SpecError
from ..oci.service import target_problem
from .base import ImageVersionsHandler, api

MAX_IMAGE = 1024
MAX_FILTER = 200


def query_values(arguments: dict[str, list[bytes]]) -> dict[str, list[str]]:
    return {k: [v.decode("utf-8", "replace") for v in vs] for k, vs in arguments.items()}


def check_image(values: dict[str, list[str]], name: str, problems: dict[str, str]) -> str:
    """The target in parameter ``name`` (an ECR URI, IMAGE:VERSION or IMAGE@ALIAS)."""
    image = (values.get(name) or [""])[-1].strip()
    if not image:
        problems[name] = f"{name} is required: an ECR URI, IMAGE:VERSION or IMAGE@ALIAS"
    elif len(image) > MAX_IMAGE:
        problems[name] = f"{name} must be at most {MAX_IMAGE} characters"
    elif target_problem(image):
        problems[name] = f"{name} must be an ECR URI, IMAGE:VERSION or IMAGE@ALIAS"
    return image


def parse_contents_query(arguments: dict[str, list[bytes]]) -> dict[str, Any]:
    """image, ecosystem, filter; or SpecError naming each bad one."""
    values = query_values(arguments)
    problems: dict[str, str] = {}
    image = check_image(values, "image", problems)
    ecosystem = (values.get("ecosystem") or [""])[-1] or None
    if ecosystem is not None and ecosystem not in ECOSYSTEMS:
        problems["ecosystem"] = f"ecosystem must be one of {', '.join(ECOSYSTEMS)}"
    text = (values.get("filter") or [""])[-1]
    if len(text) > MAX_FILTER:
        problems["filter"] = f"filter must be at most {MAX_FILTER} characters"
    if problems:
        raise SpecError(problems)
    return {"image": image, "ecosystem": ecosystem, "filter": text or None}


def run_contents(service: Any, query: dict[str, Any]) -> dict[str, Any]:
    """The inventory's JSON, filtered (in the pool: it reads ECR)."""
    from ..commands.contents import filtered

    inventory = service.contents(query["image"])
    return filtered(inventory.to_dict(), query["ecosystem"], query["filter"])


class ContentsHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        query = parse_contents_query(self.request.arguments)
        self.reply(await self.call(run_contents, self.service, query))


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [(r"/contents", ContentsHandler)]
