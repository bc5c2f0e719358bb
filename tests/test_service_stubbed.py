"""botocore Stubber tests: the exact AWS requests the service sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import Stubber

from jupyter_image_versions import (
    AwsError,
    Conflict,
    ImageVersions,
    ImageVersionSpec,
    NoCredentials,
    NotFound,
    Throttled,
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
IMAGE = "my-image"
BASE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/team/pytorch:2.3-gpu"
DIGEST = "sha256:" + "ab" * 32
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@dataclass
class FixedClients:
    """Hands the service pre-made (stubbed) clients."""

    sagemaker: object
    ecr: object
    backend: str = "aws"
    region: str = REGION

    def client(self, service: str):
        return getattr(self, service)


def version_arn(n: int) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image-version/{IMAGE}/{n}"


def describe(n: int, status: str = "CREATED", **extra) -> dict:
    return {
        "ImageArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/{IMAGE}",
        "ImageVersionArn": version_arn(n),
        "ImageVersionStatus": status,
        "Version": n,
        "BaseImage": BASE,
        "CreationTime": T0,
        "LastModifiedTime": T0,
        **extra,
    }


def summary(n: int) -> dict:
    d = describe(n)
    return {k: d[k] for k in ("ImageArn", "ImageVersionArn", "ImageVersionStatus", "Version")} | {
        "CreationTime": T0,
        "LastModifiedTime": T0,
    }


@pytest.fixture
def stubbed():
    session = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="y", region_name=REGION
    )
    sm, ecr = session.client("sagemaker"), session.client("ecr")
    with Stubber(sm) as sm_stub, Stubber(ecr) as ecr_stub:
        service = ImageVersions(clients=FixedClients(sm, ecr), max_workers=1, poll_interval=0)
        service.gate.timeout = 0  # one throttled answer is final here (test_history_perf retries)
        yield service, sm_stub, ecr_stub
        sm_stub.assert_no_pending_responses()
        ecr_stub.assert_no_pending_responses()


def test_register_sends_create_with_derived_token_and_reads_version_from_arn(stubbed):
    service, sm, ecr = stubbed
    spec = ImageVersionSpec(
        image_name=IMAGE,
        base_image=BASE,
        aliases=["2.3.0"],
        ml_framework="PyTorch 2.3",
        processor="GPU",
        horovod=False,
    )
    ecr.add_response(
        "describe_images",
        {"imageDetails": [{"imageDigest": DIGEST, "imageTags": ["2.3-gpu"]}]},
        {
            "registryId": ACCOUNT,
            "repositoryName": "team/pytorch",
            "imageIds": [{"imageTag": "2.3-gpu"}],
        },
    )
    sm.add_response(
        "create_image_version",
        {"ImageVersionArn": version_arn(7)},
        {
            "ImageName": IMAGE,
            "BaseImage": BASE,
            "ClientToken": spec.client_token(DIGEST),
            "Aliases": ["2.3.0"],
            "MLFramework": "PyTorch 2.3",
            "Processor": "GPU",
            "Horovod": False,
        },
    )
    sm.add_response(
        "describe_image_version", describe(7, "CREATING"), {"ImageName": IMAGE, "Version": 7}
    )
    sm.add_response(
        "list_aliases",
        {"SageMakerImageVersionAliases": ["2.3.0"]},
        {"ImageName": IMAGE, "Version": 7},
    )
    sm.add_response("describe_image_version", describe(7), {"ImageName": IMAGE, "Version": 7})
    sm.add_response(
        "list_aliases",
        {"SageMakerImageVersionAliases": ["2.3.0"]},
        {"ImageName": IMAGE, "Version": 7},
    )
    version = service.register(spec)
    assert (version.version, version.status, version.aliases) == (7, "CREATED", ("2.3.0",))


def test_update_sends_only_changed_fields(stubbed):
    service, sm, _ = stubbed
    sm.add_response(
        "describe_image_version",
        describe(3, VendorGuidance="STABLE", MLFramework="PyTorch 2.3"),
        {"ImageName": IMAGE, "Version": 3},
    )
    sm.add_response(
        "list_aliases", {"SageMakerImageVersionAliases": ["rc"]}, {"ImageName": IMAGE, "Version": 3}
    )
    sm.add_response(
        "update_image_version",
        {"ImageVersionArn": version_arn(3)},
        {
            "ImageName": IMAGE,
            "Version": 3,
            "AliasesToAdd": ["stable"],
            "AliasesToDelete": ["rc"],
            "VendorGuidance": "TO_BE_ARCHIVED",
        },
    )
    sm.add_response(
        "describe_image_version",
        describe(3, VendorGuidance="TO_BE_ARCHIVED", MLFramework="PyTorch 2.3"),
        {"ImageName": IMAGE, "Version": 3},
    )
    sm.add_response(
        "list_aliases",
        {"SageMakerImageVersionAliases": ["stable"]},
        {"ImageName": IMAGE, "Version": 3},
    )
    updated = service.update(
        IMAGE,
        version=3,
        aliases_to_add=["stable"],
        aliases_to_delete=["rc"],
        vendor_guidance="TO_BE_ARCHIVED",
        ml_framework="PyTorch 2.3",  # unchanged: not sent
    )
    assert (updated.version, updated.aliases) == (3, ("stable",))
    assert (updated.vendor_guidance, updated.ml_framework) == ("TO_BE_ARCHIVED", "PyTorch 2.3")


def test_update_with_nothing_changed_sends_no_update(stubbed):
    service, sm, _ = stubbed
    sm.add_response(
        "describe_image_version",
        describe(3, VendorGuidance="STABLE"),
        {"ImageName": IMAGE, "Version": 3},
    )
    sm.add_response(
        "list_aliases", {"SageMakerImageVersionAliases": []}, {"ImageName": IMAGE, "Version": 3}
    )
    assert service.update(IMAGE, 3, vendor_guidance="STABLE").version == 3


def test_move_alias_deletes_then_adds(stubbed):
    service, sm, _ = stubbed
    sm.add_response("describe_image_version", describe(4), {"ImageName": IMAGE, "Version": 4})
    sm.add_response(
        "list_aliases", {"SageMakerImageVersionAliases": []}, {"ImageName": IMAGE, "Version": 4}
    )
    sm.add_response("describe_image_version", describe(2), {"ImageName": IMAGE, "Alias": "latest"})
    sm.add_response(
        "update_image_version",
        {"ImageVersionArn": version_arn(2)},
        {"ImageName": IMAGE, "Version": 2, "AliasesToDelete": ["latest"]},
    )
    sm.add_response(
        "update_image_version",
        {"ImageVersionArn": version_arn(4)},
        {"ImageName": IMAGE, "Version": 4, "AliasesToAdd": ["latest"]},
    )
    sm.add_response("describe_image_version", describe(4), {"ImageName": IMAGE, "Version": 4})
    sm.add_response(
        "list_aliases",
        {"SageMakerImageVersionAliases": ["latest"]},
        {"ImageName": IMAGE, "Version": 4},
    )
    assert service.move_alias(IMAGE, "latest", to_version=4).aliases == ("latest",)


def test_move_alias_restores_when_the_add_fails(stubbed):
    service, sm, _ = stubbed
    sm.add_response("describe_image_version", describe(4), {"ImageName": IMAGE, "Version": 4})
    sm.add_response(
        "list_aliases", {"SageMakerImageVersionAliases": []}, {"ImageName": IMAGE, "Version": 4}
    )
    sm.add_response("describe_image_version", describe(2), {"ImageName": IMAGE, "Alias": "latest"})
    sm.add_response(
        "update_image_version",
        {"ImageVersionArn": version_arn(2)},
        {"ImageName": IMAGE, "Version": 2, "AliasesToDelete": ["latest"]},
    )
    # A refusal that is not retried ("modified concurrently" is: see test_fidelity_service.py).
    sm.add_client_error("update_image_version", "ResourceInUse", "version 4 is being deleted")
    # the failed step reads the state: the alias is on no version, so the add did not happen
    sm.add_client_error("describe_image_version", "ResourceNotFound", "no such alias")
    # and the move reads it once more: not moved by another writer, so it goes back
    sm.add_client_error("describe_image_version", "ResourceNotFound", "no such alias")
    sm.add_response(
        "update_image_version",
        {"ImageVersionArn": version_arn(2)},
        {"ImageName": IMAGE, "Version": 2, "AliasesToAdd": ["latest"]},
    )
    with pytest.raises(Conflict):
        service.move_alias(IMAGE, "latest", to_version=4)


def test_delete_by_alias_resolves_then_deletes_and_waits(stubbed):
    service, sm, _ = stubbed
    sm.add_response("describe_image_version", describe(5), {"ImageName": IMAGE, "Alias": "old"})
    sm.add_response(
        "list_aliases",
        {"SageMakerImageVersionAliases": ["old"]},
        {"ImageName": IMAGE, "Version": 5},
    )
    # The number resolved (and confirmed) is deleted, even if the alias moves meanwhile.
    sm.add_response("delete_image_version", {}, {"ImageName": IMAGE, "Version": 5})
    sm.add_response(
        "describe_image_version", describe(5, "DELETING"), {"ImageName": IMAGE, "Version": 5}
    )
    sm.add_client_error("describe_image_version", "ResourceNotFound", "gone")
    seen = []
    assert service.delete(IMAGE, alias="old", wait=True, on_status=seen.append) == 5
    assert [v.status for v in seen] == ["DELETING", "DELETING"]  # accepted, then polled


@pytest.mark.parametrize(
    ("code", "error", "our_code"),
    [
        ("ResourceNotFound", NotFound, "ResourceNotFound"),
        ("ResourceInUse", Conflict, "ResourceInUse"),
        ("ThrottlingException", Throttled, "ThrottlingException"),
        ("UnrecognizedClientException", NoCredentials, "NoCredentials"),
        ("ResourceLimitExceeded", AwsError, "ResourceLimitExceeded"),
    ],
)
def test_errors_map_by_code(stubbed, code, error, our_code):
    service, sm, _ = stubbed
    sm.add_client_error("describe_image_version", code, f"AWS says {code}", http_status_code=400)
    with pytest.raises(error) as caught:
        service.get(IMAGE, 1)
    assert type(caught.value) is error
    assert caught.value.code == our_code
    assert caught.value.to_dict()["code"] == our_code
    if error is AwsError:
        assert "AWS says" in caught.value.message


def test_no_credentials_says_how_to_configure(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    service = ImageVersions(region=REGION)
    with pytest.raises(NoCredentials) as caught:
        service.images()
    assert "JUPYTER_IMAGE_VERSIONS_BACKEND=local" in caught.value.message


def test_clients_use_standard_retries():
    client = ImageVersions(region=REGION)._clients.client("sagemaker")
    assert client.meta.config.retries["mode"] == "standard"
