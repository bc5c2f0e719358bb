"""The execution role, step by step in the SageMaker SDK's order."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from jupyter_image_versions import ImageVersions, NoCredentials, SpecError
from jupyter_image_versions.local.studio_ops import domain_id_for
from jupyter_image_versions.studio.context import (
    read_context,
    resolve_execution_role,
    role_from_caller_arn,
)

ACCOUNT = "000000000000"
PROFILE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ProfileRole"
DOMAIN_ROLE = f"arn:aws:iam::{ACCOUNT}:role/DomainDefaultRole"
SPACE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/SpaceDefaultRole"
METADATA_ROLE = f"arn:aws:iam::{ACCOUNT}:role/MetadataRole"


def _sts(arn: str | None, error: str | None = None):
    client = boto3.client(
        "sts", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    stubber = Stubber(client)
    if error:
        stubber.add_client_error("get_caller_identity", service_error_code=error)
    elif arn:
        stubber.add_response(
            "get_caller_identity", {"UserId": "AROAEXAMPLE:s", "Account": ACCOUNT, "Arn": arn}
        )
    stubber.activate()
    return client, stubber


class Clients:
    """The local endpoint for SageMaker, a stubbed STS (STS is not on the local endpoint)."""

    def __init__(self, iv, sts):
        self.iv, self.sts = iv, sts

    def client(self, name):
        return self.sts if name == "sts" else self.iv._client(name)


@pytest.fixture
def domain(iv):
    sm = iv._client("sagemaker")
    sm.create_domain(
        DomainName="studio",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": DOMAIN_ROLE},
        DefaultSpaceSettings={"ExecutionRole": SPACE_ROLE},
    )
    domain_id = domain_id_for("studio")
    sm.create_user_profile(
        DomainId=domain_id, UserProfileName="alice", UserSettings={"ExecutionRole": PROFILE_ROLE}
    )
    sm.create_user_profile(DomainId=domain_id, UserProfileName="bob")
    return domain_id


def _context(monkeypatch, tmp_path, **metadata):
    path = tmp_path / "resource-metadata.json"
    path.write_text(json.dumps({"AppType": "JupyterLab", **metadata}))
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(path))
    monkeypatch.delenv("SAGEMAKER_SPACE_NAME", raising=False)
    return read_context()


def test_step1_metadata_role_needs_no_call(iv, domain, monkeypatch, tmp_path):
    ctx = _context(
        monkeypatch,
        tmp_path,
        DomainId=domain,
        UserProfileName="alice",
        ExecutionRoleArn=METADATA_ROLE,
    )
    sts, stubber = _sts(None)
    before = iv.endpoint.request_count
    assert resolve_execution_role(Clients(iv, sts), ctx) == METADATA_ROLE
    assert iv.endpoint.request_count == before
    stubber.assert_no_pending_responses()


def test_step2_user_profile_role(iv, domain, monkeypatch, tmp_path):
    ctx = _context(monkeypatch, tmp_path, DomainId=domain, UserProfileName="alice")
    sts, _ = _sts(None)  # not called: a call would fail on the empty stubber
    assert resolve_execution_role(Clients(iv, sts), ctx) == PROFILE_ROLE


def test_step3_domain_default_when_the_profile_has_none(iv, domain, monkeypatch, tmp_path):
    ctx = _context(monkeypatch, tmp_path, DomainId=domain, UserProfileName="bob")
    sts, _ = _sts(None)
    assert resolve_execution_role(Clients(iv, sts), ctx) == DOMAIN_ROLE


def test_step4_sts_when_the_domain_cannot_say(iv, monkeypatch, tmp_path):
    ctx = _context(monkeypatch, tmp_path, DomainId="d-000000000000", UserProfileName="carol")
    sts, stubber = _sts(f"arn:aws:sts::{ACCOUNT}:assumed-role/StudioRole/SageMaker")
    assert (
        resolve_execution_role(Clients(iv, sts), ctx) == f"arn:aws:iam::{ACCOUNT}:role/StudioRole"
    )
    stubber.assert_no_pending_responses()


def test_space_uses_describe_space_then_domain_space_default(monkeypatch, tmp_path):
    ctx = _context(monkeypatch, tmp_path, DomainId="d-abc123def456", SpaceName="team-space")
    sm = boto3.client(
        "sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(sm) as stubber:
        stubber.add_response(
            "describe_space",
            {"DomainId": "d-abc123def456", "SpaceName": "team-space", "SpaceSettings": {}},
            {"DomainId": "d-abc123def456", "SpaceName": "team-space"},
        )
        stubber.add_response(
            "describe_domain",
            {
                "DomainId": "d-abc123def456",
                "DefaultSpaceSettings": {"ExecutionRole": SPACE_ROLE},
                "DefaultUserSettings": {"ExecutionRole": DOMAIN_ROLE},
            },
            {"DomainId": "d-abc123def456"},
        )

        class Only:
            def client(self, name):
                assert name == "sagemaker"
                return sm

        assert resolve_execution_role(Only(), ctx) == SPACE_ROLE
        stubber.assert_no_pending_responses()


def test_sts_conversion_as_the_sdk_does():
    assert (
        role_from_caller_arn("arn:aws:sts::111122223333:assumed-role/Name/session-1")
        == "arn:aws:iam::111122223333:role/Name"
    )
    assert (
        role_from_caller_arn(
            "arn:aws-us-gov:sts::111122223333:assumed-role/AmazonSageMaker-ExecutionRole-2024/x"
        )
        == "arn:aws-us-gov:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-2024"
    )
    assert role_from_caller_arn("arn:aws:iam::111122223333:user/alice") is None


def test_outside_studio_there_is_no_role(iv, monkeypatch, tmp_path):
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(tmp_path / "missing.json"))
    monkeypatch.delenv("SAGEMAKER_SPACE_NAME", raising=False)
    monkeypatch.delenv("SAGEMAKER_APP_TYPE", raising=False)
    assert iv.studio_context() is None
    assert iv.execution_role() is None
    with pytest.raises(SpecError) as info:
        iv.create_image("needs-role")
    assert "is required to create an image" in info.value.problems["role_arn"]


def test_sts_failure_is_the_projects_error(iv, monkeypatch, tmp_path):
    ctx = _context(monkeypatch, tmp_path)
    sts, _ = _sts(None, error="ExpiredToken")
    with pytest.raises(NoCredentials):
        resolve_execution_role(Clients(iv, sts), ctx)


def test_create_image_in_studio_uses_the_resolved_role(iv, domain, monkeypatch, tmp_path):
    _context(monkeypatch, tmp_path, DomainId=domain, UserProfileName="alice")
    image = iv.create_image("studio-image")
    sm = iv._client("sagemaker")
    assert sm.describe_image(ImageName=image.name)["RoleArn"] == PROFILE_ROLE
    assert iv.context()["studio"]["execution_role"] == PROFILE_ROLE


def test_service_execution_role(iv: ImageVersions, domain, monkeypatch, tmp_path):
    _context(monkeypatch, tmp_path, DomainId=domain, UserProfileName="bob")
    assert iv.studio_context().user_profile == "bob"
    assert iv.execution_role() == DOMAIN_ROLE


def test_step4_sts_when_no_setting_names_a_role(iv, monkeypatch, tmp_path):
    sm = iv._client("sagemaker")
    sm.create_domain(DomainName="bare", AuthMode="IAM", DefaultUserSettings={})
    sm.create_user_profile(DomainId=domain_id_for("bare"), UserProfileName="dave")
    ctx = _context(monkeypatch, tmp_path, DomainId=domain_id_for("bare"), UserProfileName="dave")
    sts, stubber = _sts(f"arn:aws:sts::{ACCOUNT}:assumed-role/BareRole/SageMaker")
    before = iv.endpoint.request_count
    assert resolve_execution_role(Clients(iv, sts), ctx) == f"arn:aws:iam::{ACCOUNT}:role/BareRole"
    assert iv.endpoint.request_count - before == 2  # DescribeUserProfile, DescribeDomain
    stubber.assert_no_pending_responses()
