"""The OpenAPI 3.1 document of the REST API, served at /image-versions/api/openapi.json.

Request constraints (lengths, enums, patterns) are read from botocore's SageMaker model, the same
source spec.py validates with. tests/test_server_openapi.py checks real responses against it.
"""

from __future__ import annotations

import functools
from typing import Any

from .._version import __version__
from ..export import FORMATS as EXPORT_FORMATS
from .analysis_openapi import analysis_paths, analysis_schemas
from .contents_openapi import contents_paths, contents_schemas
from .derive_openapi import derive_paths, derive_schemas
from .doctor_openapi import doctor_paths, doctor_schemas
from .openapi_schemas import EXAMPLE_REGISTRY, EXAMPLE_ROLE, ref, schemas, string_from_model

ERROR_STATUSES = {
    "400": "Bad input; `problems` names each field and its rule",
    "403": "Not authenticated or not authorized (Jupyter), or AWS denied access",
    "404": "Not found",
    "409": "In use, or modified concurrently (AWS ResourceInUse)",
    "429": "AWS is throttling requests",
    "502": "Any other AWS error, with AWS's code",
    "503": "No AWS credentials or region",
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


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
        media: dict[str, Any] = {"schema": ref(body)}
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
        string_from_model("sagemaker", "CreateImageVersion", "ImageName", pattern=True),
        "The SageMaker image name",
        "pytorch-training",
    )
    version = _path_param(
        "version", {"type": "integer", "minimum": 1}, "The version number (1, 2, ...)", 2
    )
    repository = _path_param(
        "repository",
        string_from_model("ecr", "DescribeImages", "repositoryName", pattern=False),
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
            "cloudformation (YAML, or JSON with json=true), cdk-python, cdk-typescript, "
            "terraform (HCL, main.tf) or terraform-json (Terraform's JSON syntax, main.tf.json)",
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
        _query(
            "import",
            {"type": "boolean", "default": True},
            "Terraform formats only: import blocks adopting the live image and versions (ids "
            "`name` and `name,N`); false gives a plain configuration (needed with pin_digests)",
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
                {
                    "200": _json("VersionPage", "A page of versions")
                    | {"headers": {"ETag": {"schema": {"type": "string"}}}},
                    "304": {"description": "Not modified: the page matches If-None-Match"},
                },
                parameters=[
                    *history_params,
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "schema": {"type": "string"},
                        "description": "An ETag of this page from an earlier answer",
                    },
                ],
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
                "Delete a version (the ECR image stays); AWS deletes in the background",
                {
                    "202": _json("ImageVersion", "Accepted: DELETING; poll Location until 404")
                    | {"headers": location},
                    "204": {"description": "Deleted (already gone)"},
                },
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
                "The image and its live versions as CloudFormation, a CDK app or Terraform",
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
    paths.update(doctor_paths(_operation, _json, _query))
    paths.update(contents_paths(_operation, _json, _query))
    paths.update(analysis_paths(_operation, _json, _query))
    paths.update(derive_paths(_operation, _json))
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
            "schemas": {
                **schemas(),
                **doctor_schemas(),
                **contents_schemas(),
                **analysis_schemas(),
                **derive_schemas(),
            },
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
        "security": [{"token": []}],
    }
