"""The local endpoint's Studio operations, driven by a real boto3 client."""

from __future__ import annotations

import base64
import time

import pytest
from botocore.exceptions import ClientError

from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.studio_ops import domain_id_for


@pytest.fixture
def sm():
    with LocalEndpoint(":memory:") as ep:
        yield ep.client("sagemaker")


def _code(info) -> str:
    return info.value.response["Error"]["Code"]


def _in_service(sm, domain_id: str) -> dict:
    """Poll DescribeDomain until the domain is InService (a new one starts Pending)."""
    deadline = time.monotonic() + 10
    while (found := sm.describe_domain(DomainId=domain_id))["Status"] != "InService":
        assert found["Status"] == "Pending" and time.monotonic() < deadline
        time.sleep(0.05)
    return found


def test_create_domain_starts_pending_then_is_in_service():
    with LocalEndpoint(":memory:", create_delay=30) as ep:
        sm = ep.client("sagemaker")
        domain_id = sm.create_domain(DomainName="d1", AuthMode="IAM", DefaultUserSettings={})[
            "DomainId"
        ]
        assert sm.describe_domain(DomainId=domain_id)["Status"] == "Pending"
        assert [d["Status"] for d in sm.list_domains()["Domains"]] == ["Pending"]
        clock = ep.handler.studio.clock
        ep.handler.studio.clock = lambda: clock() + 31  # as if the 30 s had passed
        assert sm.describe_domain(DomainId=domain_id)["Status"] == "InService"
        assert [d["Status"] for d in sm.list_domains()["Domains"]] == ["InService"]


def test_update_domain_replaces_each_member_sent_and_keeps_the_rest(sm):
    settings = {
        "ExecutionRole": "arn:aws:iam::000000000000:role/R",
        "JupyterLabAppSettings": {
            "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
            "CodeRepositories": [{"RepositoryUrl": "https://example.com/r.git"}],
        },
    }
    created = sm.create_domain(
        DomainName="d1", AuthMode="IAM", DefaultUserSettings=settings, SubnetIds=["subnet-1"]
    )
    assert created["DomainId"] == domain_id_for("d1")
    sm.update_domain(
        DomainId=created["DomainId"],
        DefaultUserSettings={"JupyterLabAppSettings": {"LifecycleConfigArns": []}},
    )
    found = sm.describe_domain(DomainId=created["DomainId"])
    assert found["DefaultUserSettings"] == {
        "ExecutionRole": "arn:aws:iam::000000000000:role/R",
        "JupyterLabAppSettings": {"LifecycleConfigArns": []},
    }
    assert found["SubnetIds"] == ["subnet-1"] and found["Status"] in ("Pending", "InService")
    assert _in_service(sm, created["DomainId"])["SubnetIds"] == ["subnet-1"]
    assert [d["DomainName"] for d in sm.list_domains()["Domains"]] == ["d1"]
    with pytest.raises(ClientError) as info:
        sm.create_domain(DomainName="d1", AuthMode="IAM", DefaultUserSettings={})
    assert _code(info) == "ResourceInUse"


def test_validation_and_not_found(sm):
    with pytest.raises(ClientError) as info:
        sm.describe_domain(DomainId="D_BAD")
    assert _code(info) == "ValidationException"
    assert "domainId" in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:
        sm.describe_user_profile(DomainId="d-000000000000", UserProfileName="x")
    assert _code(info) == "ResourceNotFound"
    with pytest.raises(ClientError) as info:
        sm.create_app_image_config(
            AppImageConfigName="c", KernelGatewayImageConfig={"KernelSpecs": [{"Name": "k" * 1025}]}
        )
    assert _code(info) == "ValidationException"


def test_app_image_configs(sm):
    sm.create_app_image_config(AppImageConfigName="a", JupyterLabAppImageConfig={})
    sm.create_app_image_config(
        AppImageConfigName="b", KernelGatewayImageConfig={"KernelSpecs": [{"Name": "python3"}]}
    )
    listed = sm.list_app_image_configs(SortBy="Name", SortOrder="Ascending")["AppImageConfigs"]
    assert [c["AppImageConfigName"] for c in listed] == ["a", "b"]
    sm.update_app_image_config(
        AppImageConfigName="b", KernelGatewayImageConfig={"KernelSpecs": [{"Name": "r"}]}
    )
    found = sm.describe_app_image_config(AppImageConfigName="b")
    assert found["KernelGatewayImageConfig"]["KernelSpecs"] == [{"Name": "r"}]
    sm.delete_app_image_config(AppImageConfigName="a")
    with pytest.raises(ClientError) as info:
        sm.describe_app_image_config(AppImageConfigName="a")
    assert _code(info) == "ResourceNotFound"


def test_studio_lifecycle_configs(sm):
    content = base64.b64encode(b"#!/bin/bash\necho hi\n").decode()
    for name, app in (("lab", "JupyterLab"), ("classic", "JupyterServer")):
        arn = sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName=name,
            StudioLifecycleConfigContent=content,
            StudioLifecycleConfigAppType=app,
        )["StudioLifecycleConfigArn"]
        assert arn.endswith(f":studio-lifecycle-config/{name}")
    listed = sm.list_studio_lifecycle_configs(AppTypeEquals="JupyterLab")
    assert [c["StudioLifecycleConfigName"] for c in listed["StudioLifecycleConfigs"]] == ["lab"]
    assert (
        sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="lab")[
            "StudioLifecycleConfigContent"
        ]
        == content
    )
    with pytest.raises(ClientError) as info:  # content over the model's 16,384 characters
        sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="big",
            StudioLifecycleConfigContent="A" * 16388,
            StudioLifecycleConfigAppType="JupyterLab",
        )
    assert _code(info) == "ValidationException"
    with pytest.raises(ClientError) as info:
        sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="notb64",
            StudioLifecycleConfigContent="not base64!",
            StudioLifecycleConfigAppType="JupyterLab",
        )
    assert _code(info) == "ValidationException"
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="lab")
    left = sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]
    assert [c["StudioLifecycleConfigName"] for c in left] == ["classic"]
