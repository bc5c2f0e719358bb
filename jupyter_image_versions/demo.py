"""Demo state for the local backend: an ECR repository and an image with a realistic history."""

from __future__ import annotations

import contextlib
import json

from .errors import CreateFailed
from .service import ImageVersions
from .spec import ImageVersionSpec

DEMO_IMAGE = "pytorch-training"
DEMO_REPOSITORY = "ml-platform/pytorch"
DEMO_ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
DEMO_TAGS = ("2.1-gpu", "2.2-gpu", "2.3-gpu", "2.3-cpu")

# (tag, aliases, framework, processor, guidance, notes); the last tag is never pushed.
DEMO_VERSIONS = (
    ("2.1-gpu", [], "PyTorch 2.1", "GPU", "TO_BE_ARCHIVED", "PyTorch 2.1 with CUDA 11.8."),
    ("2.2-gpu", ["2.2.0"], "PyTorch 2.2", "GPU", "STABLE", "PyTorch 2.2, CUDA 12.1, NCCL 2.19."),
    ("2.4-gpu", [], "PyTorch 2.4", "GPU", None, "Pushed before the tag existed."),
    ("2.3-cpu", ["2.3.0-cpu"], "PyTorch 2.3", "CPU", "STABLE", "CPU build for notebooks."),
    ("2.3-gpu", ["2.3.0", "latest"], "PyTorch 2.3", "GPU", "STABLE", "PyTorch 2.3, CUDA 12.1."),
)


def _manifest(tag: str) -> str:
    layer = {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1024}
    layer["digest"] = "sha256:" + (tag.encode().hex() * 64)[:64]
    return json.dumps({"schemaVersion": 2, "tag": tag, "layers": [layer]})


def seed(iv: ImageVersions) -> bool:
    """Create the demo state on a local-backend service; False when it already exists."""
    if any(image.name == DEMO_IMAGE for image in iv.images()):
        return False
    endpoint = iv.endpoint
    for tag in DEMO_TAGS:
        endpoint.put_ecr_image(DEMO_REPOSITORY, tag, manifest=_manifest(tag))
    iv.create_image(
        DEMO_IMAGE,
        role_arn=DEMO_ROLE,
        display_name="PyTorch training",
        description="The ML platform team's PyTorch training image.",
    )
    for tag, aliases, framework, processor, guidance, notes in DEMO_VERSIONS:
        spec = ImageVersionSpec(
            image_name=DEMO_IMAGE,
            base_image=endpoint.registry_uri(DEMO_REPOSITORY, tag),
            aliases=aliases,
            ml_framework=framework,
            programming_lang="Python 3.11",
            processor=processor,
            job_type="TRAINING",
            horovod=False,
            release_notes=notes,
            vendor_guidance=guidance,
        )
        with contextlib.suppress(CreateFailed):  # the demo shows one failed version on purpose
            iv.register(spec, wait=True)
    return True
