"""Account, region, ARNs and ECR URIs of the local endpoint."""

from __future__ import annotations

import re

LOCAL_ACCOUNT = "000000000000"
LOCAL_REGION = "us-east-1"
REGISTRY = f"{LOCAL_ACCOUNT}.dkr.ecr.{LOCAL_REGION}.amazonaws.com"

_IMAGE_URI = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?"
    r"/(?P<repo>[a-z0-9._/-]+?)(?::(?P<tag>[\w][\w.-]{0,299})|@(?P<digest>sha256:[0-9a-f]{64}))?"
)


def image_arn(name: str) -> str:
    """The ARN of a SageMaker image."""
    return f"arn:aws:sagemaker:{LOCAL_REGION}:{LOCAL_ACCOUNT}:image/{name}"


def version_arn(name: str, version: int) -> str:
    """The ARN of a SageMaker image version."""
    return f"arn:aws:sagemaker:{LOCAL_REGION}:{LOCAL_ACCOUNT}:image-version/{name}/{version}"


def repository_arn(repo: str) -> str:
    """The ARN of an ECR repository."""
    return f"arn:aws:ecr:{LOCAL_REGION}:{LOCAL_ACCOUNT}:repository/{repo}"


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
