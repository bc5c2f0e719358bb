"""The OpenAPI 3.1 document of the REST API, served at /image-versions/api/openapi.json.

Request constraints (lengths, enums, patterns) are read from botocore's SageMaker model, the same
source spec.py validates with. tests/test_server_openapi.py checks real responses against it.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import awsmodel
from .._version import __version__
from ..export import FORMATS as EXPORT_FORMATS
from ..spec import METADATA_FIELDS, REQUEST_MEMBERS

REF = "#/components/schemas/"
NULLABLE_TEXT = {"type": ["string", "null"]}
EXAMPLE_REGISTRY = "000000000000.dkr.ecr.us-east-1.amazonaws.com/"
EXAMPLE_ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
ERROR_STATUSES = {
    "400": "Bad input; `problems` names each field and its rule",
    "403": "Not authenticated or not authorized (Jupyter), or AWS denied access",
    "404": "Not found",
    "409": "In use, or modified concurrently (AWS ResourceInUse)",
    "429": "AWS is throttling requests",
    "502": "Any other AWS error, with AWS's code",
    "503": "No AWS credentials or region",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _string_from_model(service: str, operation: str, member: str, *, pattern: bool) -> dict:
    shape = awsmodel.input_shape(service, operation, member)
    meta = shape.metadata
    schema: dict[str, Any] = {"type": "string"}
    if getattr(shape, "enum", None):
        schema["enum"] = list(shape.enum)
        return schema
    if meta.get("min") is not None:
        schema["minLength"] = meta["min"]
    if meta.get("max") is not None:
        schema["maxLength"] = meta["max"]
    if pattern and meta.get("pattern"):
        schema["pattern"] = f"^(?:{meta['pattern']})$"
    return schema


def _spec_property(name: str) -> dict:
    member = REQUEST_MEMBERS[name]
    if name == "horovod":
        return {"type": "boolean"}
    if name == "aliases":
        shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", member)
        item = shape.member.metadata
        return {
            "type": "array",
            "items": {"type": "string", "minLength": item["min"], "maxLength": item["max"]},
            "uniqueItems": True,
        }
    with_pattern = name in ("image_name", "ml_framework", "programming_lang")
    return _string_from_model("sagemaker", "CreateImageVersion", member, pattern=with_pattern)


def _schemas() -> dict[str, Any]:
    version_props: dict[str, Any] = {
        "image_name": {"type": "string"},
        "version": {"type": "integer", "minimum": 1},
        "arn": {"type": "string"},
        "image_arn": {"type": "string"},
        "status": {
            "type": "string",
            "enum": ["CREATING", "CREATED", "CREATE_FAILED", "DELETING", "DELETE_FAILED"],
        },
        "base_image": NULLABLE_TEXT,
        "container_image": NULLABLE_TEXT,
        "aliases": {"type": "array", "items": {"type": "string"}},
        "ml_framework": NULLABLE_TEXT,
        "programming_lang": NULLABLE_TEXT,
        "processor": NULLABLE_TEXT,
        "job_type": NULLABLE_TEXT,
        "horovod": {"type": ["boolean", "null"]},
        "release_notes": NULLABLE_TEXT,
        "vendor_guidance": NULLABLE_TEXT,
        "failure_reason": NULLABLE_TEXT,
        "created": {"type": ["string", "null"], "format": "date-time"},
        "modified": {"type": ["string", "null"], "format": "date-time"},
    }
    image_props = {
        "name": {"type": "string"},
        "arn": {"type": "string"},
        "status": {"type": "string"},
        "display_name": NULLABLE_TEXT,
        "description": NULLABLE_TEXT,
        "role_arn": NULLABLE_TEXT,
        "failure_reason": NULLABLE_TEXT,
        "created": {"type": ["string", "null"], "format": "date-time"},
        "modified": {"type": ["string", "null"], "format": "date-time"},
    }
    studio_props = {
        name: NULLABLE_TEXT
        for name in (
            "domain_id",
            "user_profile",
            "space",
            "app_type",
            "resource_arn",
            "resource_name",
            "region",
            "account",
            "partition",
            "execution_role",
            "metadata_file",
            "error",
        )
    }
    spec_props = {name: _spec_property(name) for name in REQUEST_MEMBERS}
    metadata_props = {name: spec_props[name] for name in METADATA_FIELDS}
    alias_list = spec_props["aliases"]
    return {
        "ImageVersion": _object(version_props, list(version_props)),
        "VersionPage": _object(
            {
                "versions": {"type": "array", "items": _ref("ImageVersion")},
                "next": {
                    "type": ["string", "null"],
                    "description": "Pass as `next` for the following page; null on the last.",
                },
            },
            ["versions", "next"],
        ),
        "Image": _object(image_props, list(image_props)),
        "ImageList": _object({"images": {"type": "array", "items": _ref("Image")}}, ["images"]),
        "Aliases": {
            "type": "object",
            "description": "{alias: version number}",
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
        "Export": _object(
            {
                "image_name": {"type": "string"},
                "format": {"type": "string", "enum": list(EXPORT_FORMATS)},
                "json": {"type": "boolean"},
                "filename": {"type": "string", "description": "A file name to save it as"},
                "content": {
                    "type": "string",
                    "description": "The CloudFormation template or the CDK app's source",
                },
            },
            ["image_name", "format", "json", "filename", "content"],
        ),
        "Error": _object(
            {
                "message": {"type": "string"},
                "code": {"type": "string"},
                "problems": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            ["message", "code", "problems"],
        ),
        "Context": _object(
            {
                "backend": {"type": "string", "enum": ["aws", "local"]},
                "region": NULLABLE_TEXT,
                "account": NULLABLE_TEXT,
                "caller_arn": NULLABLE_TEXT,
                "local_db": NULLABLE_TEXT,
                "studio": {"oneOf": [_object(studio_props, list(studio_props)), {"type": "null"}]},
            },
            ["backend", "region", "account", "studio"],
        ),
        "RegisterRequest": _object(
            spec_props
            | {
                "create_image": {
                    "type": "boolean",
                    "description": "Create the image first when it does not exist",
                },
                "role_arn": _string_from_model("sagemaker", "CreateImage", "RoleArn", pattern=False)
                | {"description": "The role SageMaker pulls with; needed by create_image"},
            },
            ["base_image"],
            description="An ImageVersionSpec in snake_case; image_name defaults to the path's.",
        ),
        "PatchRequest": _object(
            metadata_props
            | {
                "aliases_to_add": alias_list,
                "aliases_to_delete": alias_list,
                "move_aliases": alias_list
                | {
                    "description": "Aliases to move to this version from whichever version has them"
                },
            },
            [],
            description="At least one change. Aliases are added and removed and metadata changed "
            "in one UpdateImageVersion; then each alias in move_aliases is moved here.",
            min_properties=1,
        ),
        "CreateImageRequest": _object(
            {
                "name": _string_from_model("sagemaker", "CreateImage", "ImageName", pattern=True),
                "role_arn": _string_from_model(
                    "sagemaker", "CreateImage", "RoleArn", pattern=False
                ),
                "display_name": _string_from_model(
                    "sagemaker", "CreateImage", "DisplayName", pattern=False
                ),
                "description": _string_from_model(
                    "sagemaker", "CreateImage", "Description", pattern=False
                ),
            },
            ["name", "role_arn"],
        ),
        "EcrRepositories": _object(
            {
                "repositories": {
                    "type": "array",
                    "items": _object(
                        {"name": {"type": "string"}, "uri": {"type": "string"}}, ["name", "uri"]
                    ),
                }
            },
            ["repositories"],
        ),
        "EcrImages": _object(
            {
                "images": {
                    "type": "array",
                    "items": _object(
                        {
                            "tag": {"type": "string"},
                            "digest": NULLABLE_TEXT,
                            "uri": {"type": "string"},
                            "pushed": {"type": ["string", "null"], "format": "date-time"},
                            "size": {"type": ["integer", "null"]},
                        },
                        ["tag", "digest", "uri", "pushed", "size"],
                    ),
                }
            },
            ["images"],
        ),
    } | _studio_schemas(alias_list["items"])


def _shape_string(shape: str, *, pattern: bool = False) -> dict[str, Any]:
    found = awsmodel.service_model("sagemaker").shape_for(shape)
    schema: dict[str, Any] = {"type": "string", "maxLength": found.metadata["max"]}
    if pattern:
        schema["pattern"] = f"^(?:{found.metadata['pattern']})$"
    return schema


def _studio_schemas(alias: dict[str, Any]) -> dict[str, Any]:
    """Attach/detach a version to a Studio domain's (or user profile's) custom images."""
    target = {
        "image_name": _string_from_model("sagemaker", "DescribeImage", "ImageName", pattern=True),
        "domain_id": _string_from_model("sagemaker", "DescribeDomain", "DomainId", pattern=True),
        "app_type": {"type": "string", "enum": ["JupyterLab", "KernelGateway"]},
        "user_profile": _string_from_model(
            "sagemaker", "DescribeUserProfile", "UserProfileName", pattern=True
        )
        | {"description": "Change this user profile's settings instead of the domain's"},
    }
    posix_id = {"type": "integer", "minimum": 0, "maximum": 65535}
    attach = target | {
        "version": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
        "alias": alias,
        "kernel_name": _shape_string("KernelName")
        | {"description": "KernelGateway only: the kernelspec in the image (default python3)"},
        "display_name": _shape_string("KernelDisplayName")
        | {"description": "KernelGateway only: the kernel's display name"},
        "uid": posix_id,
        "gid": posix_id,
        "mount_path": _shape_string("MountPath", pattern=True),
    }
    entry = _object(
        {
            "image_name": NULLABLE_TEXT,
            "version": {"type": ["integer", "null"]},
            "app_image_config": NULLABLE_TEXT,
        },
        ["image_name", "version", "app_image_config"],
    )
    attachment = {
        "domain_id": {"type": "string"},
        "user_profile": NULLABLE_TEXT,
        "app_type": {"type": "string", "enum": ["JupyterLab", "KernelGateway"]},
        "image_name": {"type": "string"},
        "version": {"type": ["integer", "null"], "description": "null after detach"},
        "app_image_config": NULLABLE_TEXT | {"description": "The AppImageConfig; null on detach"},
        "custom_images": {
            "type": "array",
            "items": entry,
            "description": "The CustomImages of the app settings after the change",
        },
    }
    attach_request = _object(
        attach,
        ["image_name", "domain_id", "app_type"],
        description="Exactly one of version and alias. The AppImageConfig "
        "<image>-<apptype>-config is created or updated; only CustomImages changes.",
    )
    attach_request["oneOf"] = [{"required": ["version"]}, {"required": ["alias"]}]
    return {
        "AttachRequest": attach_request,
        "DetachRequest": _object(target, ["image_name", "domain_id", "app_type"]),
        "Attachment": _object(attachment, list(attachment)),
        "Domains": _object(
            {
                "domains": {
                    "type": "array",
                    "items": _object(
                        {
                            "domain_id": {"type": "string"},
                            "name": NULLABLE_TEXT,
                            "status": NULLABLE_TEXT,
                        },
                        ["domain_id", "name", "status"],
                    ),
                }
            },
            ["domains"],
        ),
    }


def _object(
    properties: dict[str, Any],
    required: list[str],
    *,
    description: str | None = None,
    min_properties: int | None = None,
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    if min_properties:
        schema["minProperties"] = min_properties
    return schema


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _operation(
    summary: str,
    responses: dict[str, Any],
    *,
    errors: tuple[str, ...] = ("400", "403", "404", "429", "502", "503"),
    parameters: list[dict] | None = None,
    body: str | None = None,
    example: dict | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": dict(responses)}
    for status in errors:
        op["responses"][status] = _json("Error", ERROR_STATUSES[status])
    if parameters:
        op["parameters"] = parameters
    if body:
        media: dict[str, Any] = {"schema": _ref(body)}
        if example is not None:
            media["example"] = example
        op["requestBody"] = {"required": True, "content": {"application/json": media}}
    return op


def _path_param(name: str, schema: dict, description: str, example: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
        "example": example,
    }


def _query(name: str, schema: dict, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route (paths relative to the server's base URL)."""
    image = _path_param(
        "image",
        _string_from_model("sagemaker", "CreateImageVersion", "ImageName", pattern=True),
        "The SageMaker image name",
        "pytorch-training",
    )
    version = _path_param(
        "version", {"type": "integer", "minimum": 1}, "The version number (1, 2, ...)", 2
    )
    repository = _path_param(
        "repository",
        _string_from_model("ecr", "DescribeImages", "repositoryName", pattern=False),
        "The ECR repository name (it may contain '/')",
        "ml-platform/pytorch",
    )
    history_params = [
        image,
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
            "description": "Versions per page",
        },
        {
            "name": "next",
            "in": "query",
            "schema": {"type": "string", "maxLength": 2048},
            "description": "The `next` token of the previous page",
        },
    ]
    export_params = [
        image,
        _query(
            "format",
            {"type": "string", "enum": list(EXPORT_FORMATS), "default": "cloudformation"},
            "cloudformation (YAML, or JSON with json=true), cdk-python or cdk-typescript",
        ),
        _query("json", {"type": "boolean", "default": False}, "CloudFormation as JSON"),
        _query(
            "versions",
            {"type": "string", "maxLength": 200},
            "Only these version numbers: 3-7 or 1,4,9-12 (default: all live versions)",
        ),
        _query(
            "pin_digests",
            {"type": "boolean", "default": False},
            "BaseImage as the digest-pinned ContainerImage (the same bytes in a new stack)",
        ),
        _query(
            "include_archived",
            {"type": "boolean", "default": True},
            "Include versions whose vendor guidance is ARCHIVED",
        ),
    ]
    location = {"Location": {"description": "The new resource's URL", "schema": {"type": "string"}}}
    paths = {
        "/context": {
            "get": _operation(
                "Backend, region, account and Studio context",
                {"200": _json("Context", "Where the API works")},
                errors=("403", "429", "502", "503"),
            )
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "403": _json("Error", ERROR_STATUSES["403"]),
                },
            }
        },
        "/images": {
            "get": _operation(
                "List images, newest first",
                {"200": _json("ImageList", "The images")},
                errors=("403", "429", "502", "503"),
            ),
            "post": _operation(
                "Create an image",
                {"201": _json("Image", "Created") | {"headers": location}},
                errors=("400", "403", "409", "429", "502", "503"),
                body="CreateImageRequest",
                example={"name": "tensorflow-serving", "role_arn": EXAMPLE_ROLE},
            ),
        },
        "/images/{image}": {
            "get": _operation("One image", {"200": _json("Image", "The image")}, parameters=[image])
        },
        "/images/{image}/versions": {
            "get": _operation(
                "History, newest first, one page",
                {"200": _json("VersionPage", "A page of versions")},
                parameters=history_params,
            ),
            "post": _operation(
                "Register a new version (answers at once, while CREATING)",
                {"202": _json("ImageVersion", "Accepted; poll Location") | {"headers": location}},
                errors=("400", "403", "404", "409", "429", "502", "503"),
                parameters=[image],
                body="RegisterRequest",
                example={
                    "base_image": EXAMPLE_REGISTRY + "ml-platform/pytorch:2.3-gpu",
                    "aliases": ["2.3.1"],
                    "ml_framework": "PyTorch 2.3",
                    "programming_lang": "Python 3.11",
                    "processor": "GPU",
                    "job_type": "TRAINING",
                    "release_notes": "Rebuilt with CUDA 12.4",
                    "vendor_guidance": "STABLE",
                },
            ),
        },
        "/images/{image}/versions/{version}": {
            "get": _operation(
                "One version",
                {"200": _json("ImageVersion", "The version")},
                parameters=[image, version],
            ),
            "patch": _operation(
                "Change aliases and metadata",
                {"200": _json("ImageVersion", "The version after the change")},
                errors=("400", "403", "404", "409", "429", "502", "503"),
                parameters=[image, version],
                body="PatchRequest",
                example={"move_aliases": ["latest"], "vendor_guidance": "STABLE"},
            ),
            "delete": _operation(
                "Delete a version (the ECR image stays)",
                {"204": {"description": "Deleted"}},
                errors=("400", "403", "404", "409", "429", "502", "503"),
                parameters=[image, version],
            ),
        },
        "/images/{image}/aliases": {
            "get": _operation(
                "{alias: version}", {"200": _json("Aliases", "The aliases")}, parameters=[image]
            )
        },
        "/images/{image}/export": {
            "get": _operation(
                "The image and its live versions as CloudFormation or a CDK app",
                {"200": _json("Export", "The exported source")},
                parameters=export_params,
            )
        },
        "/ecr/repositories": {
            "get": _operation(
                "ECR repositories (base-image picker)",
                {"200": _json("EcrRepositories", "The repositories")},
                errors=("403", "429", "502", "503"),
            )
        },
        "/ecr/repositories/{repository}/images": {
            "get": _operation(
                "Tagged images of a repository, newest push first",
                {"200": _json("EcrImages", "The images")},
                parameters=[repository],
            )
        },
        "/studio/attach": {
            "post": _operation(
                "Attach a version to a Studio domain's (or user profile's) custom images",
                {"200": _json("Attachment", "Attached; the custom images now")},
                errors=("400", "403", "404", "409", "429", "502", "503"),
                body="AttachRequest",
                example={
                    "image_name": "pytorch-training",
                    "alias": "latest",
                    "domain_id": "d-0123456789ab",
                    "app_type": "JupyterLab",
                },
            )
        },
        "/studio/detach": {
            "post": _operation(
                "Remove an image from a Studio domain's (or user profile's) custom images",
                {"200": _json("Attachment", "Detached; the custom images now")},
                errors=("400", "403", "404", "409", "429", "502", "503"),
                body="DetachRequest",
                example={
                    "image_name": "pytorch-training",
                    "domain_id": "d-0123456789ab",
                    "app_type": "JupyterLab",
                },
            )
        },
        "/studio/domains": {
            "get": _operation(
                "The Studio domains of the account and region",
                {"200": _json("Domains", "The domains (ListDomains)")},
                errors=("403", "429", "502", "503"),
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jupyter-image-versions",
            "version": __version__,
            "description": "Manage Amazon SageMaker image versions. Errors are "
            '{"message", "code", "problems"}. Authenticate as for any Jupyter API '
            "(Authorization: token ...).",
        },
        "servers": [{"url": "/image-versions/api"}],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
        "security": [{"token": []}],
    }
