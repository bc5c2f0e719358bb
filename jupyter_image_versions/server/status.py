"""The project's errors as HTTP statuses and JSON error bodies."""

from __future__ import annotations

from ..core.errors import (
    AwsError,
    Conflict,
    ImageVersionsError,
    NoCredentials,
    NotFound,
    SpecError,
    Throttled,
)

# AWS codes that mean "you may not": the caller's AWS identity lacks a permission.
ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "NotAuthorized",
        "AuthorizationError",
    }
)

STATUS_BY_TYPE: tuple[tuple[type[ImageVersionsError], int], ...] = (
    (SpecError, 400),
    (NotFound, 404),
    (Conflict, 409),
    (Throttled, 429),
    (NoCredentials, 503),
)


def http_status(exc: ImageVersionsError) -> int:
    """The HTTP status of one of our errors (the design's status table)."""
    for kind, status in STATUS_BY_TYPE:
        if isinstance(exc, kind):
            return status
    if isinstance(exc, AwsError) and exc.code in ACCESS_DENIED_CODES:
        return 403
    return 502


def error_body(message: str, code: str, problems: dict[str, str] | None = None) -> dict:
    """The one JSON error shape: {"message", "code", "problems"}."""
    return {"message": message, "code": code, "problems": dict(problems or {})}
