"""Constraints read from botocore's installed service models (never copied by hand).

botocore is imported on first use so that importing this package stays cheap.
"""

from __future__ import annotations

import functools
import re
from typing import Any


@functools.cache
def shared_loader() -> Any:
    """One botocore data loader for the process: the clients and the checks here share it, so
    each service model (SageMaker's is megabytes of JSON) is parsed once, not once per client."""
    from botocore.loaders import create_loader

    return create_loader()


@functools.cache
def service_model(service: str) -> Any:
    """botocore's bundled model of `service` ("sagemaker", "ecr")."""
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", shared_loader())
    return session.get_service_model(service)


def input_shape(service: str, operation: str, member: str) -> Any:
    """The shape of one input member of an operation."""
    return service_model(service).operation_model(operation).input_shape.members[member]


@functools.cache
def compiled_pattern(pattern: str) -> re.Pattern[str] | None:
    """Compile a model pattern; `.` matches any character (see docs/architecture.md)."""
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:
        return None


def describe_value(value: Any) -> str:
    """A short, quoted rendering of a user value for messages."""
    printable = isinstance(value, str) and value.isprintable()
    text = "'" + value + "'" if printable else repr(value)  # escapes newlines, controls
    return text if len(text) <= 60 else text[:57] + "...'"


def text_problem(value: str) -> str | None:
    """Why `value` is not valid text (a lone surrogate: not encodable as UTF-8); None if it is.

    The message never holds the surrogate itself, so it can be printed anywhere.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"is not valid text: character {exc.start + 1} is a lone surrogate "
            f"(U+{ord(value[exc.start]):04X}; invalid UTF-8 or a broken escape)"
        )
    return None


def string_problem(shape: Any, value: Any, *, pattern_hint: str | None = None) -> str | None:
    """Why `value` breaks a string/enum shape's min, max, pattern or enum; None when it fits."""
    if not isinstance(value, str):
        return f"{describe_value(value)} must be text"
    invalid = text_problem(value)
    if invalid:
        return invalid
    meta = shape.metadata
    enum = getattr(shape, "enum", None) or meta.get("enum")
    if enum:
        if value not in enum:
            return f"{describe_value(value)} must be one of {', '.join(enum)}"
        return None
    low, high = meta.get("min"), meta.get("max")
    if low is not None and len(value) < low:
        return "must not be empty" if low == 1 else f"must be at least {low} characters"
    if high is not None and len(value) > high:
        return f"is {len(value)} characters; at most {high} allowed"
    pattern = meta.get("pattern")
    compiled = compiled_pattern(pattern) if pattern else None
    if compiled is not None and not compiled.fullmatch(value):
        hint = pattern_hint or f"must match the pattern {pattern}"
        return f"{describe_value(value)} {hint}"
    return None


def enum_values(service: str, operation: str, member: str) -> list[str]:
    """The allowed values of an enum input member."""
    return list(input_shape(service, operation, member).enum)
