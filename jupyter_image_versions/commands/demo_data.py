"""Demo state for the local backend: an ECR repository and an image with a realistic history."""

from __future__ import annotations

import contextlib
import json

from ..api import ImageVersions
from ..core.errors import CreateFailed
from ..core.spec import ImageVersionSpec
from ..local.studio_ops import domain_id_for
from .demo_images import PYTORCH_REPOSITORY, seed_images

DEMO_IMAGE = "pytorch-training"
DEMO_REPOSITORY = PYTORCH_REPOSITORY  # its tags are real images (local/sample_contents.py)
DEMO_ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"

# (tag, aliases, framework, processor, guidance, notes); the last tag is never pushed.
DEMO_VERSIONS = (
    ("2.1-gpu", [], "PyTorch 2.1", "GPU", "TO_BE_ARCHIVED", "PyTorch 2.1 with CUDA 11.8."),
    ("2.2-gpu", ["2.2.0"], "PyTorch 2.2", "GPU", "STABLE", "PyTorch 2.2, CUDA 12.1, NCCL 2.19."),
    ("2.4-gpu", [], "PyTorch 2.4", "GPU", None, "Pushed before the tag existed."),
    ("2.3-cpu", ["2.3.0-cpu"], "PyTorch 2.3", "CPU", "STABLE", "CPU build for notebooks."),
    ("2.3-gpu", ["2.3.0", "latest"], "PyTorch 2.3", "GPU", "STABLE", "PyTorch 2.3, CUDA 12.1."),
)

DEMO_DOMAIN_NAME = "ml-platform-studio"
DEMO_DOMAIN_ID = domain_id_for(DEMO_DOMAIN_NAME)
DEMO_USER_PROFILE = "data-scientist"
# A domain with settings that are not ours, so that attaching shows it leaves them alone.
DEMO_DOMAIN = {
    "DomainName": DEMO_DOMAIN_NAME,
    "AuthMode": "IAM",
    "DefaultUserSettings": {
        "ExecutionRole": "arn:aws:iam::000000000000:role/SageMakerStudioExecutionRole",
        "SecurityGroups": ["sg-0123456789abcdef0"],
        "JupyterLabAppSettings": {
            "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
            "CodeRepositories": [{"RepositoryUrl": "https://github.com/example/ml-notebooks"}],
        },
        "KernelGatewayAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}},
    },
    "SubnetIds": ["subnet-0123456789abcdef0"],
    "VpcId": "vpc-0123456789abcdef0",
    "AppNetworkAccessType": "PublicInternetOnly",
}


def seed_domain(iv: ImageVersions) -> bool:
    """Create the demo Studio domain and a user profile; False when it already exists."""
    endpoint = iv.endpoint
    status, _, _ = endpoint.handle("SageMaker.CreateDomain", json.dumps(DEMO_DOMAIN))
    if status != 200:
        return False
    profile = {"DomainId": DEMO_DOMAIN_ID, "UserProfileName": DEMO_USER_PROFILE}
    endpoint.handle("SageMaker.CreateUserProfile", json.dumps(profile))
    return True


def seed(iv: ImageVersions) -> bool:
    """Create the demo state on a local-backend service; False when it already exists."""
    seed_domain(iv)
    seed_images(iv)
    if any(image.name == DEMO_IMAGE for image in iv.images()):
        return False
    endpoint = iv.endpoint
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
