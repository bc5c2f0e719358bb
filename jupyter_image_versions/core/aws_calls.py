"""Calling AWS through boto3, and turning botocore's exceptions into the project's errors."""

from __future__ import annotations

import re
from typing import Any

from .errors import (
    AwsError,
    Conflict,
    ImageVersionsError,
    NoCredentials,
    NotFound,
    SpecError,
    Throttled,
)

CREDENTIALS_HELP = (
    "configure AWS credentials and a region (aws configure, AWS_PROFILE, AWS_REGION, or an "
    "instance/Studio role), or use the local backend: JUPYTER_IMAGE_VERSIONS_BACKEND=local"
)
NOT_FOUND_CODES = {
    "ResourceNotFound",
    "ResourceNotFoundException",
    "RepositoryNotFoundException",
    "ImageNotFoundException",
}
THROTTLE_CODES = {"ThrottlingException", "Throttling", "TooManyRequestsException"}
CREDENTIAL_CODES = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
}


# SageMaker's ARNs of an image version and an image, as AWS names them in its messages.
_VERSION_ARN = re.compile(r"arn:aws[\w-]*:sagemaker:[\w-]*:\d*:image-version/([\w.-]+)/(\d+)")
_IMAGE_ARN = re.compile(r"arn:aws[\w-]*:sagemaker:[\w-]*:\d*:image/([\w.-]+)")


def _typed_names(message: str) -> str:
    """AWS's not-found message with the names the user typed: 'Image version my-image:42 does
    not exist.', not the ARN."""
    message = _VERSION_ARN.sub(r"\1:\2", message)
    return _IMAGE_ARN.sub(r"\1", message)


def translate_error(exc: Exception) -> ImageVersionsError:
    """Map a botocore exception to the project's error family, by AWS error code."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "Unknown")
        message = error.get("Message") or str(exc)
        if code in NOT_FOUND_CODES:
            return NotFound(_typed_names(message), code=code)
        if code == "ResourceInUse":
            return Conflict(message)
        if code in THROTTLE_CODES:
            return Throttled(f"AWS is throttling requests ({message}); try again shortly")
        if code in CREDENTIAL_CODES:
            return NoCredentials(f"AWS refused the credentials ({code}): {CREDENTIALS_HELP}")
        if code in ("ValidationException", "InvalidParameterException"):
            return SpecError({}, message=message)
        return AwsError(message, code=code)
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return NoCredentials(f"No AWS credentials found: {CREDENTIALS_HELP}")
    if isinstance(exc, bx.NoRegionError):
        return NoCredentials(
            "No AWS region configured (neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the "
            f"profile names none): {CREDENTIALS_HELP}"
        )
    if isinstance(exc, bx.ProfileNotFound):
        return NoCredentials(f"{exc}: {CREDENTIALS_HELP}")
    if isinstance(exc, bx.ParamValidationError):
        return SpecError({}, message=str(exc).strip())
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectTimeoutError | bx.ReadTimeoutError):
        return AwsError(f"Could not reach AWS: {exc}", code="EndpointConnectionError")
    if isinstance(exc, bx.ConnectionClosedError):  # the reply was lost: retried (throttle.py)
        return AwsError(f"Lost the connection to AWS: {exc}", code="ConnectionClosedError")
    return AwsError(str(exc), code=type(exc).__name__)


def call_aws(client: Any, operation: str, **params: Any) -> dict:
    """Call one boto3 operation, turning botocore's exceptions into the project's errors."""
    try:
        return getattr(client, operation)(**params)
    except ImageVersionsError:
        raise
    except Exception as exc:
        raise translate_error(exc) from None
