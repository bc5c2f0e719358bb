"""`GET /diff`, `/find`, `/sbom` and `/draft-notes`: compare, search, SBOM and drafted release
notes over REST. Each checks its query before any AWS call (a 400 naming the parameter) and
reads in the extension's thread pool."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..contents.find import parse_requirements
from ..core.errors import SpecError
from ..core.spec import field_problem
from .base import WHOLE_NUMBER, ImageVersionsHandler, api
from .contents_handlers import check_image, query_values


def _image_name(values: dict[str, list[str]], problems: dict[str, str]) -> str:
    image = (values.get("image") or [""])[-1].strip()
    problem = field_problem("image_name", image or None)
    if problem:
        problems["image"] = f"image {problem}: the SageMaker image's name"
    return image


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise SpecError(problems)


def parse_diff_query(arguments: dict[str, list[bytes]]) -> dict[str, str]:
    values, problems = query_values(arguments), {}
    a, b = check_image(values, "a", problems), check_image(values, "b", problems)
    _raise(problems)
    return {"a": a, "b": b}


def parse_find_query(arguments: dict[str, list[bytes]]) -> dict[str, Any]:
    values, problems = query_values(arguments), {}
    image = _image_name(values, problems)
    requirements = [r for r in values.get("requirement") or [] if r.strip()]
    try:
        parse_requirements(requirements)
    except SpecError as exc:
        problems.update(exc.problems)
    _raise(problems)
    return {"image": image, "requirements": requirements}


def parse_notes_query(arguments: dict[str, list[bytes]]) -> dict[str, Any]:
    values, problems = query_values(arguments), {}
    image = _image_name(values, problems)
    base_image = (values.get("base_image") or [""])[-1].strip()
    problem = field_problem("base_image", base_image or None)
    if problem:
        problems["base_image"] = f"base_image {problem}"
    against = (values.get("against") or [""])[-1]
    if against and (not WHOLE_NUMBER.fullmatch(against) or int(against) < 1):
        problems["against"] = f"against '{against}' must be a version number of at least 1"
    _raise(problems)
    return {"image": image, "base_image": base_image, "against": int(against) if against else None}


def run_find(service: Any, query: dict[str, Any]) -> dict[str, Any]:
    return service.find(query["image"], query["requirements"]).to_dict()


def run_notes(service: Any, query: dict[str, Any]) -> dict[str, Any]:
    draft = service.draft_release_notes(query["image"], query["base_image"], query["against"])
    return draft.to_dict()


class DiffHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        query = parse_diff_query(self.request.arguments)
        diff = await self.call(self.service.diff, query["a"], query["b"])
        self.reply(diff.to_dict())


class FindHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        query = parse_find_query(self.request.arguments)
        self.reply(await self.call(run_find, self.service, query))


class SbomHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        values, problems = query_values(self.request.arguments), {}
        image = check_image(values, "image", problems)
        _raise(problems)
        self.reply(await self.call(self.service.sbom, image))


class DraftNotesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self) -> None:
        query = parse_notes_query(self.request.arguments)
        self.reply(await self.call(run_notes, self.service, query))


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/diff", DiffHandler),
    (r"/find", FindHandler),
    (r"/sbom", SbomHandler),
    (r"/draft-notes", DraftNotesHandler),
]
