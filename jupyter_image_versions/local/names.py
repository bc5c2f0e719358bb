"""Account, region, ARNs and ECR URIs of the local endpoint."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar

LOCAL_ACCOUNT = "000000000000"
LOCAL_REGION = "us-east-1"
REGISTRY = f"{LOCAL_ACCOUNT}.dkr.ecr.{LOCAL_REGION}.amazonaws.com"

#: The region of the request being answered (from its SigV4 credential scope).
_REQUEST_REGION: ContextVar[str] = ContextVar("request_region", default=LOCAL_REGION)
_CREDENTIAL_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/(?P<region>[a-z0-9-]+)/")

_IMAGE_URI = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?"
    r"/(?P<repo>[a-z0-9._/-]+?)(?::(?P<tag>[\w][\w.-]{0,299})|@(?P<digest>sha256:[0-9a-f]{64}))?"
)


def region_from_authorization(header: str | None) -> str | None:
    """The region of a SigV4 ``Authorization`` header's credential scope (None without one)."""
    match = _CREDENTIAL_REGION.search(header or "")
    return match["region"] if match else None


@contextlib.contextmanager
def request_region(region: str | None) -> Iterator[None]:
    """ARNs made inside carry `region` (the local region when None)."""
    token = _REQUEST_REGION.set(region or LOCAL_REGION)
    try:
        yield
    finally:
        _REQUEST_REGION.reset(token)


def current_region() -> str:
    """The region of the request being answered."""
    return _REQUEST_REGION.get()


def sagemaker_arn(kind: str, name: str) -> str:
    """A SageMaker ARN; resource names are lower-case in ARNs, as the model's patterns say."""
    return f"arn:aws:sagemaker:{current_region()}:{LOCAL_ACCOUNT}:{kind}/{name.lower()}"


def image_arn(name: str) -> str:
    """The ARN of a SageMaker image."""
    return sagemaker_arn("image", name)


def version_arn(name: str, version: int) -> str:
    """The ARN of a SageMaker image version."""
    return sagemaker_arn("image-version", f"{name}/{version}")


def repository_arn(repo: str) -> str:
    """The ARN of an ECR repository."""
    return f"arn:aws:ecr:{current_region()}:{LOCAL_ACCOUNT}:repository/{repo}"


def repository_uri(repo: str) -> str:
    """The URI of an ECR repository in the local registry."""
    return f"{REGISTRY}/{repo}"


def parse_image_uri(uri: str) -> dict[str, str | None] | None:
    """Split an ECR image URI into account, region, repo, tag and digest (None if not ECR).

    A URI with neither tag nor digest means the tag ``latest``, as for ``docker pull``.
    """
    match = _IMAGE_URI.fullmatch(uri.strip())
    if match is None:
        return None
    parts = match.groupdict()
    if parts["tag"] is None and parts["digest"] is None:
        parts["tag"] = "latest"
    return parts
