"""The OpenAPI part of diff, find, SBOM and drafted notes (paths and schemas)."""

from __future__ import annotations

from typing import Any

from ..contents.find import MAX_REQUIREMENT
from ..contents.model import ECOSYSTEMS
from ..contents.versions import KINDS
from .contents_openapi import image_parameter

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
PACKAGES = {"type": "array", "items": {"$ref": "#/components/schemas/ContentsPackage"}}
NULLABLE_INT = {"type": ["integer", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def analysis_schemas() -> dict[str, Any]:
    change = {
        "type": "object",
        "required": ["ecosystem", "name", "from", "to", "kind"],
        "properties": {
            "ecosystem": {"type": "string", "enum": list(ECOSYSTEMS)},
            "name": TEXT,
            "from": TEXT,
            "to": TEXT,
            "kind": {"type": "string", "enum": list(KINDS)},
            "downgrade": {"type": "boolean", "description": "the new version orders first"},
        },
    }
    value_change = {
        "type": ["object", "null"],
        "required": ["from", "to", "kind"],
        "properties": {
            "from": {"type": ["string", "object", "null"]},
            "to": {"type": ["string", "object", "null"]},
            "kind": {"type": "string", "enum": list(KINDS)},
        },
    }
    sizes = {
        "type": "object",
        "properties": {"compressed": NULLABLE_INT, "uncompressed": NULLABLE_INT},
    }
    side = {
        "type": "object",
        "required": ["target", "digest"],
        "properties": {"target": TEXT, "digest": TEXT, "layers": COUNT},
    }
    diff = {
        "type": "object",
        "required": ["a", "b", "added", "removed", "changed", "os", "python", "cuda", "size"],
        "properties": {
            "a": _ref("DiffSide"),
            "b": _ref("DiffSide"),
            "added": PACKAGES,
            "removed": PACKAGES,
            "changed": {"type": "array", "items": _ref("PackageChange")},
            "os": _ref("ValueChange"),
            "python": _ref("ValueChange"),
            "cuda": _ref("ValueChange"),
            "size": {
                "type": "object",
                "properties": {"from": sizes, "to": sizes, "change": sizes},
            },
            "layers_shared": COUNT,
            "bytes_read": COUNT,
        },
    }
    match = {
        "type": "object",
        "required": ["version", "status", "aliases", "matches"],
        "properties": {
            "version": {"type": "integer", "minimum": 1},
            "status": TEXT,
            "aliases": {"type": "array", "items": TEXT},
            "matches": PACKAGES,
        },
    }
    find = {
        "type": "object",
        "required": ["image_name", "requirements", "versions", "unread", "checked"],
        "properties": {
            "image_name": TEXT,
            "requirements": {"type": "array", "items": TEXT},
            "versions": {"type": "array", "items": _ref("FindMatch")},
            "unread": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"version": {"type": "integer"}, "error": TEXT},
                },
            },
            "checked": {**COUNT, "description": "versions read"},
            "bytes_read": COUNT,
        },
    }
    suggested = {
        "type": "object",
        "description": "read from the image, for the user to accept; never sent by itself",
        "properties": {
            "ml_framework": NULLABLE_TEXT,
            "programming_lang": NULLABLE_TEXT,
            "processor": NULLABLE_TEXT,
            "reasons": {"type": "object", "additionalProperties": TEXT},
        },
    }
    notes = {
        "type": "object",
        "required": ["image_name", "base_image", "notes", "limit", "against", "suggested"],
        "properties": {
            "image_name": TEXT,
            "base_image": TEXT,
            "notes": {**NULLABLE_TEXT, "description": "null when there is nothing to compare"},
            "limit": {**COUNT, "description": "ReleaseNotes' maximum length (botocore)"},
            "against": {**NULLABLE_INT, "description": "the version compared with"},
            "reason": TEXT,
            "suggested": _ref("SuggestedMetadata"),
            "diff": {"oneOf": [_ref("ContentsDiff"), {"type": "null"}]},
        },
    }
    sbom = {
        "type": "object",
        "description": "CycloneDX 1.6 JSON (cyclonedx-python-lib)",
        "required": ["bomFormat", "specVersion"],
        "properties": {
            "bomFormat": {"type": "string", "enum": ["CycloneDX"]},
            "specVersion": TEXT,
            "metadata": {"type": "object"},
            "components": {"type": "array", "items": {"type": "object"}},
        },
    }
    return {
        "PackageChange": change,
        "ValueChange": value_change,
        "DiffSide": side,
        "ContentsDiff": diff,
        "FindMatch": match,
        "FindResult": find,
        "SuggestedMetadata": suggested,
        "NotesDraft": notes,
        "Sbom": sbom,
    }


def analysis_paths(operation: Any, json_response: Any, query: Any) -> dict[str, Any]:
    """``/diff``, ``/find``, ``/sbom``, ``/draft-notes`` with openapi.py's helpers."""
    name = {"type": "string", "minLength": 1, "maxLength": 63}
    requirement = {
        **query(
            "requirement",
            {"type": "string", "minLength": 1, "maxLength": MAX_REQUIREMENT},
            "repeatable: 'torch>=2.3', 'numpy<2', 'deb:libc6>=2.35', 'conda:python=3.11'",
        ),
        "required": True,
        "style": "form",
        "explode": True,
    }
    requirement["schema"] = {"type": "array", "items": requirement["schema"], "minItems": 1}
    return {
        "/diff": {
            "get": operation(
                "What changed from image a to image b: packages, OS, Python, CUDA, size",
                {"200": json_response("ContentsDiff", "The difference, most significant first")},
                parameters=[image_parameter(query, "a"), image_parameter(query, "b")],
            )
        },
        "/find": {
            "get": operation(
                "The versions of an image whose contents meet every requirement",
                {"200": json_response("FindResult", "Matching versions, newest first")},
                parameters=[
                    {**query("image", name, "the SageMaker image's name"), "required": True},
                    requirement,
                ],
            )
        },
        "/sbom": {
            "get": operation(
                "The CycloneDX 1.6 SBOM of an image version",
                {"200": json_response("Sbom", "CycloneDX JSON")},
                parameters=[image_parameter(query)],
            )
        },
        "/draft-notes": {
            "get": operation(
                "Release notes drafted from a new base image's diff, and suggested metadata",
                {"200": json_response("NotesDraft", "The draft (nothing is registered)")},
                parameters=[
                    {**query("image", name, "the SageMaker image's name"), "required": True},
                    {
                        **query(
                            "base_image",
                            {"type": "string", "minLength": 1, "maxLength": 255},
                            "the new version's ECR image URI",
                        ),
                        "required": True,
                    },
                    query(
                        "against",
                        {"type": "integer", "minimum": 1},
                        "the version to compare with (default: the newest CREATED one)",
                    ),
                ],
            )
        },
    }
