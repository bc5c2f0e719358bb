"""The doctor's part of the OpenAPI document (path and schemas)."""

from __future__ import annotations

from typing import Any

from ..studio.doctor_findings import APP_TYPES

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}


def doctor_schemas() -> dict[str, Any]:
    finding = {
        "type": "object",
        "required": ["severity", "code", "message"],
        "properties": {
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "code": TEXT,
            "message": TEXT,
        },
    }
    kernel = {
        "type": "object",
        "required": ["name", "display_name", "language"],
        "properties": {"name": TEXT, "display_name": TEXT, "language": TEXT},
    }
    strings = {"type": ["array", "null"], "items": TEXT}
    report = {
        "type": "object",
        "required": ["base_image", "digest", "platform", "user", "kernels", "findings", "ok"],
        "properties": {
            "base_image": TEXT,
            "app_type": {"type": "string", "enum": list(APP_TYPES)},
            "digest": TEXT,
            "platform": {
                "type": "object",
                "properties": {"os": TEXT, "architecture": TEXT},
            },
            "user": {
                "type": "object",
                "properties": {"name": NULLABLE_TEXT, "uid": NULLABLE_INT, "gid": NULLABLE_INT},
            },
            "workdir": TEXT,
            "entrypoint": strings,
            "cmd": strings,
            "exposed_ports": {"type": "array", "items": TEXT},
            "kernels": {"type": "array", "items": {"$ref": "#/components/schemas/DoctorKernel"}},
            "findings": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/DoctorFinding"},
            },
            "layers_scanned": {"type": "integer", "minimum": 0},
            "bytes_read": {"type": "integer", "minimum": 0},
            "ok": {"type": "boolean", "description": "no finding of severity error"},
            "cached": {"type": "boolean", "description": "answered from the digest cache"},
        },
    }
    return {"DoctorFinding": finding, "DoctorKernel": kernel, "DoctorReport": report}


def doctor_paths(operation: Any, json_response: Any, query: Any) -> dict[str, Any]:
    """``/doctor``, built with openapi.py's helpers (passed in to avoid an import cycle)."""
    parameters = [
        {
            **query(
                "image",
                {"type": "string", "minLength": 1, "maxLength": 1024},
                "an ECR URI (tag or digest), IMAGE:VERSION or IMAGE@ALIAS",
            ),
            "required": True,
        },
        query(
            "app_type",
            {"type": "string", "enum": list(APP_TYPES), "default": "JupyterLab"},
            "the Studio app type",
        ),
        query(
            "uid",
            {"type": "integer", "minimum": 0, "maximum": 65535},
            "the AppImageConfig uid to compare with the image's user",
        ),
        query(
            "gid",
            {"type": "integer", "minimum": 0, "maximum": 65535},
            "the AppImageConfig gid to compare with the image's user",
        ),
        query(
            "kernel_name",
            {"type": "string", "maxLength": 256},
            "a KernelSpecs name that must be in the image",
        ),
    ]
    return {
        "/doctor": {
            "get": operation(
                "Read an image from ECR without pulling it: will Studio start it?",
                {"200": json_response("DoctorReport", "The image's facts and findings")},
                parameters=parameters,
            )
        }
    }
