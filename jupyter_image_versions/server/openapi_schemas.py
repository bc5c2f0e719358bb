"""The OpenAPI document's component schemas: requests and responses, with the constraints
(lengths, enums, patterns) read from botocore's SageMaker model, as spec.py validates."""

from __future__ import annotations

from typing import Any

from ..core import awsmodel
from ..core.spec import METADATA_FIELDS, REQUEST_MEMBERS
from ..export import FORMATS as EXPORT_FORMATS

REF = "#/components/schemas/"
NULLABLE_TEXT = {"type": ["string", "null"]}
EXAMPLE_REGISTRY = "000000000000.dkr.ecr.us-east-1.amazonaws.com/"
EXAMPLE_ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"


def object_schema(
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


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def string_from_model(service: str, operation: str, member: str, *, pattern: bool) -> dict:
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
        items = {"type": "string", "minLength": item["min"], "maxLength": item["max"]}
        if item.get("pattern"):
            # Served so every client checks an alias by the model's rule (validation.ts).
            items["pattern"] = f"^(?:{item['pattern']})$"
        return {"type": "array", "items": items, "uniqueItems": True}
    with_pattern = name in ("image_name", "ml_framework", "programming_lang")
    return string_from_model("sagemaker", "CreateImageVersion", member, pattern=with_pattern)


def schemas() -> dict[str, Any]:
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
        "ImageVersion": object_schema(version_props, list(version_props)),
        "VersionPage": object_schema(
            {
                "versions": {"type": "array", "items": ref("ImageVersion")},
                "next": {
                    "type": ["string", "null"],
                    "description": "Pass as `next` for the following page; null on the last.",
                },
            },
            ["versions", "next"],
        ),
        "Image": object_schema(image_props, list(image_props)),
        "ImageList": object_schema(
            {"images": {"type": "array", "items": ref("Image")}}, ["images"]
        ),
        "Aliases": {
            "type": "object",
            "description": "{alias: version number}",
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
        "Export": object_schema(
            {
                "image_name": {"type": "string"},
                "format": {"type": "string", "enum": list(EXPORT_FORMATS)},
                "json": {"type": "boolean"},
                "import": {
                    "type": "boolean",
                    "description": "Whether a Terraform configuration has import blocks",
                },
                "filename": {"type": "string", "description": "A file name to save it as"},
                "content": {
                    "type": "string",
                    "description": "The CloudFormation template, the CDK app's source or the "
                    "Terraform configuration",
                },
            },
            ["image_name", "format", "json", "import", "filename", "content"],
        ),
        "Error": object_schema(
            {
                "message": {"type": "string"},
                "code": {"type": "string"},
                "problems": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            ["message", "code", "problems"],
        ),
        "Context": object_schema(
            {
                "backend": {"type": "string", "enum": ["aws", "local"]},
                "region": NULLABLE_TEXT,
                "account": NULLABLE_TEXT,
                "caller_arn": NULLABLE_TEXT,
                "local_db": NULLABLE_TEXT,
                "studio": {
                    "oneOf": [object_schema(studio_props, list(studio_props)), {"type": "null"}]
                },
            },
            ["backend", "region", "account", "studio"],
        ),
        "RegisterRequest": object_schema(
            spec_props
            | {
                "create_image": {
                    "type": "boolean",
                    "description": "Create the image first when it does not exist",
                },
                "role_arn": string_from_model("sagemaker", "CreateImage", "RoleArn", pattern=False)
                | {"description": "The role SageMaker pulls with; needed by create_image"},
            },
            ["base_image"],
            description="An ImageVersionSpec in snake_case; image_name defaults to the path's.",
        ),
        "PatchRequest": object_schema(
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
        "CreateImageRequest": object_schema(
            {
                "name": string_from_model("sagemaker", "CreateImage", "ImageName", pattern=True),
                "role_arn": string_from_model("sagemaker", "CreateImage", "RoleArn", pattern=False),
                "display_name": string_from_model(
                    "sagemaker", "CreateImage", "DisplayName", pattern=False
                ),
                "description": string_from_model(
                    "sagemaker", "CreateImage", "Description", pattern=False
                ),
            },
            ["name", "role_arn"],
        ),
        "EcrRepositories": object_schema(
            {
                "repositories": {
                    "type": "array",
                    "items": object_schema(
                        {"name": {"type": "string"}, "uri": {"type": "string"}}, ["name", "uri"]
                    ),
                }
            },
            ["repositories"],
        ),
        "EcrImages": object_schema(
            {
                "images": {
                    "type": "array",
                    "items": object_schema(
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
        "image_name": string_from_model("sagemaker", "DescribeImage", "ImageName", pattern=True),
        "domain_id": string_from_model("sagemaker", "DescribeDomain", "DomainId", pattern=True),
        "app_type": {"type": "string", "enum": ["JupyterLab", "KernelGateway", "CodeEditor"]},
        "user_profile": string_from_model(
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
        "force": {
            "type": "boolean",
            "description": "attach even when the image doctor finds errors",
        },
    }
    entry = object_schema(
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
        "app_type": {"type": "string", "enum": ["JupyterLab", "KernelGateway", "CodeEditor"]},
        "image_name": {"type": "string"},
        "version": {"type": ["integer", "null"], "description": "null after detach"},
        "app_image_config": NULLABLE_TEXT | {"description": "The AppImageConfig; null on detach"},
        "custom_images": {
            "type": "array",
            "items": entry,
            "description": "The CustomImages of the app settings after the change",
        },
    }
    attach_request = object_schema(
        attach,
        ["image_name", "domain_id", "app_type"],
        description="Exactly one of version and alias. The AppImageConfig "
        "<image>-<apptype>-config is created or updated; only CustomImages changes.",
    )
    attach_request["oneOf"] = [{"required": ["version"]}, {"required": ["alias"]}]
    return {
        "AttachRequest": attach_request,
        "DetachRequest": object_schema(target, ["image_name", "domain_id", "app_type"]),
        "Attachment": object_schema(
            attachment | {"doctor": {"type": "object", "description": "attach: the image check"}},
            list(attachment),
        ),
        "Domains": object_schema(
            {
                "domains": {
                    "type": "array",
                    "items": object_schema(
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
