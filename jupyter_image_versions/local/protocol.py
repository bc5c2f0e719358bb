"""AWS JSON 1.1: targets, bodies, errors, and input validation against botocore's models."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..core import awsmodel

CONTENT_TYPE = "application/x-amz-json-1.1"

#: X-Amz-Target prefix -> botocore service name.
TARGET_PREFIXES = {
    "SageMaker": "sagemaker",
    "AmazonEC2ContainerRegistry_V20150921": "ecr",
}

#: The code each service uses for a request that breaks its model's constraints.
VALIDATION_CODE = {"sagemaker": "ValidationException", "ecr": "InvalidParameterException"}

_models_lock = threading.Lock()


class ApiError(Exception):
    """An error answered to the client as ``{"__type": code, "message": message}``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> bytes:
        """The JSON error document."""
        return encode({"__type": self.code, "message": self.message})


def service_model(service: str) -> ServiceModel:
    """botocore's installed model of ``service`` (loaded once per process)."""
    with _models_lock:
        return awsmodel.service_model(service)


def parse_target(target: str | None) -> tuple[str, str]:
    """``"SageMaker.ListImages"`` -> ``("sagemaker", "ListImages")``."""
    prefix, _, operation = (target or "").partition(".")
    service = TARGET_PREFIXES.get(prefix)
    if service is None or not operation:
        raise ApiError("UnknownOperationException", f"Unknown target: {target!r}")
    return service, operation


def parse_body(body: bytes | str | None) -> dict[str, Any]:
    """Decode a JSON request body (empty means ``{}``)."""
    if not body:
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("SerializationException", f"Malformed request body: {exc}") from None
    except RecursionError:
        raise ApiError("SerializationException", "Request body is nested too deeply") from None
    if not isinstance(data, dict):
        raise ApiError("SerializationException", "Request body must be a JSON object")
    return data


def encode(payload: dict[str, Any]) -> bytes:
    """Encode a response document; ``None`` members are dropped."""
    return json.dumps(_drop_none(payload), separators=(",", ":")).encode()


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def to_epoch(value: Any) -> float:
    """A JSON timestamp (epoch seconds or ISO 8601 text) as epoch seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        return parsed.timestamp()


# ---------------------------------------------------------------- pagination tokens


def encode_token(offset: int) -> str:
    """An opaque NextToken for the given offset."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def decode_token(token: str | None, code: str = "ValidationException") -> int:
    """The offset inside a NextToken from :func:`encode_token` (0 when absent)."""
    if not token:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["o"]
        if isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, KeyError, TypeError, RecursionError):
        pass
    raise ApiError(code, "Invalid pagination token (NextToken)")


# ---------------------------------------------------------------- validation


def _pattern(pattern: str) -> re.Pattern[str] | None:
    # The same compilation as the client side (a Java-only construct compiles to None: skipped).
    return awsmodel.compiled_pattern(pattern)


def _shown_pattern(pattern: str) -> str:
    return pattern if "^" in pattern else f"^{pattern}$"


def _fmt(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def _member_path(name: str) -> str:
    return name[:1].lower() + name[1:]


def _problem(value: Any, path: str, constraint: str) -> str:
    shown = "null" if value is None else f"'{_fmt(value)}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def validate_shape(shape: Shape, value: Any, path: str) -> list[str]:
    """Every constraint of ``shape`` that ``value`` breaks, as AWS-style messages."""
    kind = shape.type_name
    meta = shape.metadata
    problems: list[str] = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [_problem(value, path, "Member must be a structure")]
        for required in shape.required_members:
            if value.get(required) is None:
                sub = f"{path}.{_member_path(required)}" if path else _member_path(required)
                problems.append(_problem(None, sub, "Member must not be null"))
        for name, member in shape.members.items():
            if value.get(name) is not None:
                sub = f"{path}.{_member_path(name)}" if path else _member_path(name)
                problems += validate_shape(member, value[name], sub)
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [_problem(value, path, "Member must be a list")]
        problems += _length(value, path, meta)
        for index, item in enumerate(value, start=1):
            problems += validate_shape(shape.member, item, f"{path}.{index}.member")
        return problems
    if kind == "map":
        if not isinstance(value, dict):
            return [_problem(value, path, "Member must be a map")]
        problems += _length(value, path, meta)
        for key, item in value.items():
            problems += validate_shape(shape.key, key, f"{path}.{key}.key")
            problems += validate_shape(shape.value, item, f"{path}.{key}.value")
        return problems
    if kind == "string":
        if not isinstance(value, str):
            return [_problem(value, path, "Member must be a string")]
        problems += _length(value, path, meta)
        if shape.enum and value not in shape.enum:
            enum = ", ".join(shape.enum)
            problems.append(_problem(value, path, f"Member must satisfy enum value set: [{enum}]"))
        pattern = meta.get("pattern")
        if pattern and (compiled := _pattern(pattern)) and not compiled.fullmatch(value):
            problems.append(
                _problem(
                    value,
                    path,
                    "Member must satisfy regular expression pattern: " + _shown_pattern(pattern),
                )
            )
        return problems
    if kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [_problem(value, path, "Member must be an integer")]
        if "min" in meta and value < meta["min"]:
            problems.append(
                _problem(
                    value, path, f"Member must have value greater than or equal to {meta['min']}"
                )
            )
        if "max" in meta and value > meta["max"]:
            problems.append(
                _problem(value, path, f"Member must have value less than or equal to {meta['max']}")
            )
        return problems
    if kind in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [_problem(value, path, "Member must be a number")]
        return problems
    if kind == "boolean":
        if not isinstance(value, bool):
            return [_problem(value, path, "Member must be a boolean")]
        return problems
    if kind == "timestamp":
        try:
            to_epoch(value)
        except (TypeError, ValueError):
            return [_problem(value, path, "Member must be a timestamp")]
        return problems
    if kind == "blob" and not isinstance(value, str):
        return [_problem(value, path, "Member must be base64-encoded text")]
    return problems


def _length(value: Any, path: str, meta: dict[str, Any]) -> list[str]:
    problems = []
    if "min" in meta and len(value) < meta["min"]:
        problems.append(
            _problem(value, path, f"Member must have length greater than or equal to {meta['min']}")
        )
    if "max" in meta and len(value) > meta["max"]:
        problems.append(
            _problem(value, path, f"Member must have length less than or equal to {meta['max']}")
        )
    return problems


def validate_input(service: str, operation: OperationModel, params: dict[str, Any]) -> None:
    """Raise the service's validation error when ``params`` break the input shape."""
    shape = operation.input_shape
    problems = validate_shape(shape, params, "") if shape is not None else []
    if problems:
        raise validation_error(problems, VALIDATION_CODE[service])


def validation_error(problems: list[str], code: str = "ValidationException") -> ApiError:
    """The AWS-style ``N validation error(s) detected: ...`` error."""
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return ApiError(code, f"{count} validation {noun} detected: " + "; ".join(problems))
