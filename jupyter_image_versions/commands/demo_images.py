"""The demo's real images (built with tarfile, pushed through the local ECR layer API), so the
doctor and the contents have something to read: one that passes for JupyterLab, one that fails,
and the pytorch-training history's images (local/sample_contents.py)."""

from __future__ import annotations

from typing import Any

from ..local.image_push import push_image
from ..local.sample_contents import SAMPLE_TAGS, pytorch_image
from ..local.sample_images import failing_image, passing_image

DEMO_IMAGES_REPOSITORY = "ml-platform/studio-images"
PYTORCH_REPOSITORY = "ml-platform/pytorch"
PASSING_TAG = "jupyterlab-ok"
FAILING_TAG = "arm64-root"


def seed_images(iv: Any) -> dict[str, str]:
    """Push both images (again: nothing changes); {tag: URI}."""
    endpoint = iv.endpoint
    ecr = endpoint.client("ecr")
    try:
        for tag, spec in ((PASSING_TAG, passing_image()), (FAILING_TAG, failing_image())):
            push_image(ecr, DEMO_IMAGES_REPOSITORY, tag, spec)
        for tag in SAMPLE_TAGS:
            push_image(ecr, PYTORCH_REPOSITORY, tag, pytorch_image(tag))
    finally:
        ecr.close()
    return {
        tag: endpoint.registry_uri(DEMO_IMAGES_REPOSITORY, tag)
        for tag in (PASSING_TAG, FAILING_TAG)
    }
