"""derive's part of the OpenAPI document: `POST /derive`, `GET /derive/{id}`, the schemas."""

from __future__ import annotations

from typing import Any

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
STATES = ["planning", "downloading", "pushing", "checking", "registering", "done", "failed"]


def derive_schemas() -> dict[str, Any]:
    request = {
        "type": "object",
        "required": ["target", "tag"],
        "additionalProperties": False,
        "properties": {
            "target": {**TEXT, "description": "IMAGE:VERSION, IMAGE@ALIAS or an ECR URI"},
            "tag": {**TEXT, "description": "the new image's tag"},
            "pip": {**TEXTS, "description": "requirement specifiers"},
            "requirements": {**TEXT, "description": "requirements.txt text"},
            "env": {**TEXTS, "description": "NAME=VALUE appended to the config's Env"},
            "repository": TEXT,
            "python": {**TEXT, "description": "the image's interpreter (default python3)"},
            "allow_upgrade": {"type": "boolean"},
            "dry_run": {"type": "boolean"},
            "register": {"type": "boolean"},
            "alias": TEXT,
            "force": {"type": "boolean"},
            "index_url": TEXT,
            "extra_index_urls": TEXTS,
            "find_links": TEXTS,
            "no_index": {"type": "boolean"},
        },
    }
    job = {
        "type": "object",
        "required": ["id", "state", "target", "tag", "progress"],
        "properties": {
            "id": TEXT,
            "state": {"type": "string", "enum": STATES},
            "target": TEXT,
            "tag": TEXT,
            "register": {"type": "boolean"},
            "plan": {"type": ["object", "null"], "description": "what will be added, upgraded"},
            "progress": {
                "type": "object",
                "properties": {
                    "bytes_sent": {"type": "integer", "minimum": 0},
                    "bytes_total": {"type": "integer", "minimum": 0},
                },
            },
            "result": {"type": ["object", "null"], "description": "pushed image, version, times"},
            "error": {
                "oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Error"}],
            },
            "created": {"type": "number"},
        },
    }
    return {"DeriveRequest": request, "DeriveJob": job}


def derive_paths(operation: Any, json_response: Any) -> dict[str, Any]:
    """The two paths, built with openapi.py's helpers (passed in to avoid an import cycle)."""
    job_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "description": "the job id from POST /derive",
    }
    post = operation(
        "Derive a new image from a version: add Python packages, push, optionally register",
        {"202": json_response("DeriveJob", "The job, started (poll its Location)")},
        errors=("400", "403", "429"),
        body="DeriveRequest",
    )
    get = operation(
        "A derive job's state, plan, progress, result or error",
        {"200": json_response("DeriveJob", "The job")},
        errors=("400", "403", "404"),
        parameters=[job_id],
    )
    return {"/derive": {"post": post}, "/derive/{id}": {"get": get}}
