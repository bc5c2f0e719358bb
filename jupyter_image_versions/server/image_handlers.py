"""Image routes: list and create images, one image, its aliases, its export."""

from __future__ import annotations

from urllib.parse import quote

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import SpecError
from ..core.spec import field_problem
from ..export import FORMATS, TERRAFORM_FORMATS
from .base import (
    API_PREFIX,
    CREATE_IMAGE_FIELDS,
    EXPORT_VERSIONS_MAX,
    ImageVersionsHandler,
    api,
)


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
            k: f"'{k}' is not a field of an image (allowed: {', '.join(CREATE_IMAGE_FIELDS)})"
            for k in body
            if k not in CREATE_IMAGE_FIELDS
        }
        name = body.get("name")
        if name is None:
            problems["name"] = "name is required"
        elif field_problem("image_name", name):
            problems["name"] = field_problem("image_name", name)
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


class AliasesHandler(ImageVersionsHandler):
    @web.authenticated
    @authorized
    @api
    async def get(self, image: str) -> None:
        self.reply(await self.call(self.service.aliases, self.image_param(image)))


class ExportHandler(ImageVersionsHandler):
    """GET /images/{image}/export?format=&json=&versions=&pin_digests=&include_archived=&import="""

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
            problems["json"] = "applies to the CloudFormation format only"
        versions = self.get_query_argument("versions", None) or None
        if versions is not None and len(versions) > EXPORT_VERSIONS_MAX:
            problems["versions"] = f"versions must be at most {EXPORT_VERSIONS_MAX} characters"
        pin_digests = self.bool_param("pin_digests", False, problems)
        include_archived = self.bool_param("include_archived", True, problems)
        imports = self.bool_param("import", None, problems)
        terraform = fmt in TERRAFORM_FORMATS
        if imports is not None and not terraform:
            problems["import"] = "import applies to format=terraform or terraform-json only"
        elif terraform and pin_digests and imports is not False:
            problems["pin_digests"] = (
                "pin_digests changes the base_image of every imported version, which Terraform "
                "can only do by replacing it: add import=false to pin digests"
            )
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
            imports=imports,
        )
        suffix = {
            "cdk-python": "app.py",
            "cdk-typescript": "app.ts",
            "terraform": "main.tf",
            "terraform-json": "main.tf.json",
        }.get(fmt)
        filename = suffix or f"{image}.template.{'json' if as_json else 'yaml'}"
        self.reply(
            {
                "image_name": image,
                "format": fmt,
                "json": as_json,
                "import": terraform and imports is not False,
                "filename": filename,
                "content": code,
            }
        )

    def bool_param(self, name: str, default: bool | None, problems: dict[str, str]) -> bool | None:
        text = self.get_query_argument(name, None)
        if text is None or text == "":
            return default
        if text.lower() in ("true", "1"):
            return True
        if text.lower() in ("false", "0"):
            return False
        problems[name] = f"{name} '{text}' must be true or false"
        return default


ROUTES: list[tuple[str, type[ImageVersionsHandler]]] = [
    (r"/images", ImagesHandler),
    (r"/images/(?P<image>[^/]+)", ImageHandler),
    (r"/images/(?P<image>[^/]+)/aliases", AliasesHandler),
    (r"/images/(?P<image>[^/]+)/export", ExportHandler),
]
