"""The contents' part of the OpenAPI document (paths and schemas); diff, find and sbom join."""

from __future__ import annotations

from typing import Any

from ..contents.model import ECOSYSTEMS

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}


def contents_schemas() -> dict[str, Any]:
    package = {
        "type": "object",
        "required": ["ecosystem", "name", "version", "location", "installer"],
        "properties": {
            "ecosystem": {"type": "string", "enum": list(ECOSYSTEMS)},
            "name": TEXT,
            "version": TEXT,
            "location": {"type": "string", "description": "site-packages, conda prefix or db"},
            "installer": {"type": "string", "description": "pypi's INSTALLER (pip, conda, uv)"},
            **{k: TEXT for k in ("arch", "build", "channel", "subdir", "source")},
        },
    }
    python = {
        "type": "object",
        "required": ["path", "version", "default"],
        "properties": {
            "path": TEXT,
            "version": TEXT,
            "default": {"type": "boolean", "description": "the first python3 on the PATH"},
            "site_packages": {"type": "array", "items": TEXT},
        },
    }
    inventory = {
        "type": "object",
        "required": ["digest", "os", "architecture", "python", "packages", "size", "layers"],
        "properties": {
            "digest": TEXT,
            "uri": TEXT,
            "os": {
                "type": "object",
                "properties": {"id": TEXT, "version_id": TEXT, "pretty_name": TEXT},
            },
            "architecture": TEXT,
            "python": {"type": "array", "items": {"$ref": "#/components/schemas/ContentsPython"}},
            "packages": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ContentsPackage"},
            },
            "cuda": NULLABLE_TEXT,
            "size": {
                "type": "object",
                "properties": {"compressed": COUNT, "uncompressed": {"type": ["integer", "null"]}},
            },
            "layers": COUNT,
            "layer_digests": {"type": "array", "items": TEXT},
            "bytes_read": {**COUNT, "description": "layer and config bytes read from ECR"},
            "cached": {"type": "boolean", "description": "no layer was read (layer cache)"},
        },
    }
    return {"ContentsPackage": package, "ContentsPython": python, "Inventory": inventory}


def image_parameter(query: Any, name: str = "image") -> dict[str, Any]:
    return {
        **query(
            name,
            {"type": "string", "minLength": 1, "maxLength": 1024},
            "an ECR URI (tag or digest), IMAGE:VERSION or IMAGE@ALIAS",
        ),
        "required": True,
    }


def contents_paths(operation: Any, json_response: Any, query: Any) -> dict[str, Any]:
    """``/contents``, built with openapi.py's helpers (passed in to avoid an import cycle)."""
    parameters = [
        image_parameter(query),
        query("ecosystem", {"type": "string", "enum": list(ECOSYSTEMS)}, "only this ecosystem"),
        query("filter", {"type": "string", "maxLength": 200}, "only names holding this text"),
    ]
    return {
        "/contents": {
            "get": operation(
                "What is inside an image version (packages, OS, Python, CUDA), read from ECR",
                {"200": json_response("Inventory", "The image's inventory")},
                parameters=parameters,
            )
        }
    }
