"""Routes about the extension itself and the base-image picker: context, OpenAPI, ECR."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core import awsmodel
from ..core.errors import SpecError
from .base import (
    API_PREFIX,
    ImageVersionsHandler,
    api,
)
from .openapi import openapi_document


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


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/context", ContextHandler),
    (r"/openapi\.json", OpenApiHandler),
    (r"/ecr/repositories", EcrRepositoriesHandler),
    (r"/ecr/repositories/(?P<repository>.+)/images", EcrImagesHandler),
]
