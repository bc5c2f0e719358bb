"""Shared fixtures: the embedded local endpoint and a service on it."""

from __future__ import annotations

import pytest

from jupyter_image_versions import ImageVersions, ImageVersionSpec

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch, tmp_path):
    """No real AWS credentials, config or metadata service can leak into a test."""
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SAGEMAKER",
        "JUPYTER_IMAGE_VERSIONS_BACKEND",
        "JUPYTER_IMAGE_VERSIONS_LOCAL_DB",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # The persistent describe cache of every test (and of the processes it starts) is its own.
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE", str(tmp_path / "describe.sqlite"))
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LAYER_CACHE", str(tmp_path / "layers.sqlite"))


@pytest.fixture
def iv():
    """A service on a fresh in-memory local endpoint with a short CREATING phase."""
    service = ImageVersions.local(":memory:", create_delay=0.2)
    yield service
    service.close()


@pytest.fixture
def pushed(iv):
    """An ECR repository with two pushed tags; returns their URIs."""
    ep = iv.endpoint
    ep.put_ecr_image("team/pytorch", "2.3-gpu")
    ep.put_ecr_image("team/pytorch", "2.4-gpu")
    return {
        "2.3": ep.registry_uri("team/pytorch", "2.3-gpu"),
        "2.4": ep.registry_uri("team/pytorch", "2.4-gpu"),
        "missing": ep.registry_uri("team/pytorch", "9.9-gpu"),
    }


@pytest.fixture
def image(iv, pushed):
    """The parent image 'my-image', created."""
    iv.create_image("my-image", role_arn=ROLE)
    return "my-image"


def finish_creating(endpoint) -> None:
    """Make every version the local endpoint has ``CREATING`` now ``CREATED`` on its next read
    (and every ``DELETING`` one finish its delete).

    The status is computed on read from a ready time fixed at creation, so lowering
    ``create_delay`` would not touch versions created already: move the SageMaker clock ahead.
    Lets a test use a long delay (a CREATING observation that holds on a loaded machine) and
    still finish fast."""
    ops = endpoint.handler.sagemaker
    clock, ahead = ops.clock, max(endpoint.create_delay, endpoint.delete_delay) + 1
    endpoint.create_delay = 0
    if ops._delete_delay is not None:
        endpoint.delete_delay = 0
    ops.clock = lambda: clock() + ahead


def make_spec(base_image: str, **changes) -> ImageVersionSpec:
    values = {"image_name": "my-image", "base_image": base_image} | changes
    return ImageVersionSpec(**values)
