"""The local endpoint behaves like AWS where AWS is less kind (issue 11), through plain boto3."""

from __future__ import annotations

import re
import sqlite3

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from jupyter_image_versions.core import awsmodel
from jupyter_image_versions.local import LocalEndpoint

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
NO_RETRY = Config(retries={"mode": "standard", "max_attempts": 1})


@pytest.fixture
def ep():
    """Creates settle at once; deletes stay DELETING for 30 s unless the clock is moved."""
    endpoint = LocalEndpoint(create_delay=0.0, delete_delay=30)
    yield endpoint
    endpoint.close()


@pytest.fixture
def sm(ep):
    return ep.client("sagemaker", config=NO_RETRY)


@pytest.fixture
def base(ep):
    ep.put_ecr_image("team/pytorch", "2.3")
    return ep.registry_uri("team/pytorch", "2.3")


def later(ep: LocalEndpoint, seconds: float) -> None:
    """Move the endpoint's clocks ahead, as if `seconds` had passed."""
    for ops in (ep.handler.sagemaker, ep.handler.studio):
        clock = ops.clock
        ops.clock = lambda clock=clock: clock() + seconds


def error(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    e = info.value.response["Error"]
    return e["Code"], e["Message"]


def pattern(shape: str) -> re.Pattern:
    return re.compile(awsmodel.service_model("sagemaker").shape_for(shape).metadata["pattern"])


# ---------------------------------------------------------------- asynchronous deletes


def test_delete_image_version_is_deleting_then_gone(ep, sm, base):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=base, Aliases=["1.0.0"])
    sm.create_image_version(ImageName="img", BaseImage=base, ClientToken="another-one")
    assert sm.delete_image_version(ImageName="img", Alias="1.0.0")["ResponseMetadata"]
    described = sm.describe_image_version(ImageName="img", Version=1)
    assert described["ImageVersionStatus"] == "DELETING"
    listed = sm.list_image_versions(ImageName="img")["ImageVersions"]
    assert [(v["Version"], v["ImageVersionStatus"]) for v in listed] == [
        (2, "CREATED"),
        (1, "DELETING"),
    ]
    with pytest.raises(ClientError) as info:
        sm.delete_image_version(ImageName="img", Version=1)
    assert error(info) == (
        "ResourceInUse",
        "Image version arn:aws:sagemaker:us-east-1:000000000000:image-version/img/1 is being "
        "deleted.",
    )
    with pytest.raises(ClientError) as info:
        sm.update_image_version(ImageName="img", Version=1, ReleaseNotes="x")
    assert error(info)[0] == "ResourceInUse" and "being deleted" in error(info)[1]

    later(ep, 31)
    with pytest.raises(ClientError) as info:
        sm.describe_image_version(ImageName="img", Version=1)
    assert error(info)[0] == "ResourceNotFound"
    assert [v["Version"] for v in sm.list_image_versions(ImageName="img")["ImageVersions"]] == [2]
    assert sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"] == []
    # The alias of the deleted version is free again; numbers are never reused.
    arn = sm.create_image_version(ImageName="img", BaseImage=base, Aliases=["1.0.0"])
    assert arn["ImageVersionArn"].endswith("/img/3")


def test_delete_image_leaves_it_deleting_with_its_versions(ep, sm, base):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=base, Aliases=["latest"])
    sm.delete_image(ImageName="img")
    assert sm.describe_image(ImageName="img")["ImageStatus"] == "DELETING"
    assert [i["ImageStatus"] for i in sm.list_images()["Images"]] == ["DELETING"]
    version = sm.describe_image_version(ImageName="img", Version=1)
    assert version["ImageVersionStatus"] == "DELETING"
    with pytest.raises(ClientError) as info:
        sm.delete_image(ImageName="img")
    assert error(info)[0] == "ResourceInUse" and "is being deleted" in error(info)[1]
    with pytest.raises(ClientError) as info:
        sm.create_image_version(ImageName="img", BaseImage=base)
    assert error(info)[0] == "ValidationException" and "DELETING" in error(info)[1]
    with pytest.raises(ClientError) as info:
        sm.create_image(ImageName="img", RoleArn=ROLE)
    assert error(info)[0] == "ResourceInUse"

    later(ep, 31)
    for call in (
        lambda: sm.describe_image(ImageName="img"),
        lambda: sm.describe_image_version(ImageName="img", Version=1),
        lambda: sm.list_aliases(ImageName="img"),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error(info)[0] == "ResourceNotFound"
    assert sm.list_images()["Images"] == []
    sm.create_image(ImageName="img", RoleArn=ROLE)  # the name is free again, numbers restart
    arn = sm.create_image_version(ImageName="img", BaseImage=base)["ImageVersionArn"]
    assert arn.endswith("/img/1")


def test_a_refused_delete_ends_in_delete_failed_with_a_reason(ep, sm, base):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=base, Aliases=["1.0.0"])
    ep.set_faults(delete_failure_rate=1.0)
    sm.delete_image_version(ImageName="img", Version=1)
    assert sm.describe_image_version(ImageName="img", Version=1)["ImageVersionStatus"] == (
        "DELETING"
    )
    later(ep, 31)
    failed = sm.describe_image_version(ImageName="img", Version=1)
    assert failed["ImageVersionStatus"] == "DELETE_FAILED"
    assert "Unable to delete image version" in failed["FailureReason"]
    summary = sm.list_image_versions(ImageName="img")["ImageVersions"][0]
    assert (summary["ImageVersionStatus"], summary["FailureReason"]) == (
        "DELETE_FAILED",
        failed["FailureReason"],
    )
    assert sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"] == ["1.0.0"]
    # A failed delete may be tried again.
    ep.set_faults(delete_failure_rate=0.0)
    sm.delete_image_version(ImageName="img", Version=1)
    assert sm.describe_image_version(ImageName="img", Version=1)["ImageVersionStatus"] == (
        "DELETING"
    )
    later(ep, 31)
    assert sm.list_image_versions(ImageName="img")["ImageVersions"] == []


# ---------------------------------------------------------------- CREATING / UPDATING / Pending


def test_create_image_and_update_image_are_asynchronous():
    with LocalEndpoint(create_delay=30) as ep:
        sm = ep.client("sagemaker", config=NO_RETRY)
        sm.create_image(ImageName="img", RoleArn=ROLE)
        assert sm.describe_image(ImageName="img")["ImageStatus"] == "CREATING"
        ep.put_ecr_image("team/pytorch", "2.3")
        uri = ep.registry_uri("team/pytorch", "2.3")
        with pytest.raises(ClientError) as info:
            sm.create_image_version(ImageName="img", BaseImage=uri)
        code, message = error(info)
        assert code == "ValidationException" and "is in status CREATING" in message
        later(ep, 31)
        assert sm.describe_image(ImageName="img")["ImageStatus"] == "CREATED"
        sm.update_image(ImageName="img", Description="new")
        updating = sm.describe_image(ImageName="img")
        assert (updating["ImageStatus"], updating["Description"]) == ("UPDATING", "new")
        with pytest.raises(ClientError) as info:
            sm.create_image_version(ImageName="img", BaseImage=uri)
        assert "is in status UPDATING" in error(info)[1]
        with pytest.raises(ClientError) as info:
            sm.update_image(ImageName="img", Description="again")
        assert error(info)[0] == "ResourceInUse"
        later(ep, 31)
        assert sm.describe_image(ImageName="img")["ImageStatus"] == "CREATED"
        assert sm.create_image_version(ImageName="img", BaseImage=uri)["ImageVersionArn"]


def test_create_domain_is_pending_then_in_service():
    with LocalEndpoint(create_delay=30) as ep:
        sm = ep.client("sagemaker", config=NO_RETRY)
        domain = sm.create_domain(DomainName="d", AuthMode="IAM", DefaultUserSettings={})
        assert sm.describe_domain(DomainId=domain["DomainId"])["Status"] == "Pending"
        later(ep, 31)
        assert sm.describe_domain(DomainId=domain["DomainId"])["Status"] == "InService"


# ---------------------------------------------------------------- ARNs


def test_arns_are_lower_case_as_the_model_patterns_require(ep, sm, base):
    image_arn = sm.create_image(ImageName="MyImage", RoleArn=ROLE)["ImageArn"]
    assert image_arn == "arn:aws:sagemaker:us-east-1:000000000000:image/myimage"
    version_arn = sm.create_image_version(ImageName="MyImage", BaseImage=base)["ImageVersionArn"]
    assert version_arn == "arn:aws:sagemaker:us-east-1:000000000000:image-version/myimage/1"
    assert pattern("ImageArn").fullmatch(image_arn)
    assert pattern("ImageVersionArn").fullmatch(version_arn)
    described = sm.describe_image_version(ImageName="MyImage", Version=1)
    assert (described["ImageArn"], described["ImageVersionArn"]) == (image_arn, version_arn)
    assert sm.describe_image(ImageName="MyImage")["ImageName"] == "MyImage"  # the name keeps case
    # Two names differing only in case would share one ARN: AWS cannot have both.
    with pytest.raises(ClientError) as info:
        sm.create_image(ImageName="myimage", RoleArn=ROLE)
    assert error(info)[0] == "ResourceInUse"


def test_arns_carry_the_region_of_the_request(ep, base):
    west = ep.client("sagemaker", config=NO_RETRY, region_name="eu-west-1")
    arn = west.create_image(ImageName="img", RoleArn=ROLE)["ImageArn"]
    assert arn == "arn:aws:sagemaker:eu-west-1:000000000000:image/img"
    assert west.create_image_version(ImageName="img", BaseImage=base)["ImageVersionArn"] == (
        "arn:aws:sagemaker:eu-west-1:000000000000:image-version/img/1"
    )
    east = ep.client("sagemaker", config=NO_RETRY)
    assert east.describe_image(ImageName="img")["ImageArn"].split(":")[3] == "us-east-1"
    with ep.serve_http() as server:  # the HTTP transport reads the same SigV4 scope
        remote = boto3.client(
            "sagemaker",
            region_name="ap-southeast-2",
            endpoint_url=server.url,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=NO_RETRY,
        )
        described = remote.describe_image_version(ImageName="img", Version=1)
        assert described["ImageVersionArn"].split(":")[3] == "ap-southeast-2"
        ecr = boto3.client(
            "ecr",
            region_name="ap-southeast-2",
            endpoint_url=server.url,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        repo = ecr.describe_repositories()["repositories"][0]
        assert repo["repositoryArn"].startswith("arn:aws:ecr:ap-southeast-2:")


# ---------------------------------------------------------------- ClientToken


def test_client_token_reused_with_other_parameters_is_refused(ep, sm, base):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    first = sm.create_image_version(
        ImageName="img", BaseImage=base, ClientToken="t" * 36, Aliases=["a", "b"]
    )
    again = sm.create_image_version(
        ImageName="img", BaseImage=base, ClientToken="t" * 36, Aliases=["b", "a"]
    )
    assert again["ImageVersionArn"] == first["ImageVersionArn"]
    with pytest.raises(ClientError) as info:
        sm.create_image_version(
            ImageName="img", BaseImage=base, ClientToken="t" * 36, ReleaseNotes="other"
        )
    code, message = error(info)
    assert code == "ValidationException"
    assert f"ClientToken {'t' * 36} was already used to create version 1" in message
    assert len(sm.list_image_versions(ImageName="img")["ImageVersions"]) == 1


# ---------------------------------------------------------------- fault injection


def test_conflict_rate_refuses_version_writes_as_modified_concurrently(ep, sm, base):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=base)
    ep.set_faults(conflict_rate=1.0)
    for call in (
        lambda: sm.create_image_version(ImageName="img", BaseImage=base),
        lambda: sm.update_image_version(ImageName="img", Version=1, AliasesToAdd=["x"]),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error(info)[0] == "ResourceInUse" and "modified concurrently" in error(info)[1]
    # Reads and other writes are untouched, and a refused request changed nothing.
    assert sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"] == []
    assert len(sm.list_image_versions(ImageName="img")["ImageVersions"]) == 1
    sm.update_image(ImageName="img", Description="still fine")


# ---------------------------------------------------------------- small ones


def test_describe_latest_of_an_image_without_versions(sm):
    sm.create_image(ImageName="img", RoleArn=ROLE)
    with pytest.raises(ClientError) as info:
        sm.describe_image_version(ImageName="img")
    assert error(info) == (
        "ResourceNotFound",
        "Latest ImageVersion with ImageName img does not exist.",
    )


def test_time_filters_are_inclusive(ep, sm, base):
    ops = ep.handler.sagemaker
    ops.clock = lambda: 1_700_000_000.0  # whole seconds, so the bound equals the time exactly
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=base)
    at = sm.describe_image_version(ImageName="img", Version=1)["CreationTime"]
    for member in ("CreationTimeAfter", "CreationTimeBefore"):
        listed = sm.list_image_versions(ImageName="img", **{member: at})["ImageVersions"]
        assert [v["Version"] for v in listed] == [1], member
        assert [i["ImageName"] for i in sm.list_images(**{member: at})["Images"]] == ["img"]
    for member in ("LastModifiedTimeAfter", "LastModifiedTimeBefore"):
        listed = sm.list_image_versions(ImageName="img", **{member: at})["ImageVersions"]
        assert [v["Version"] for v in listed] == [1], member
    ops.clock = lambda: 1_700_000_001.0
    assert (
        sm.list_image_versions(ImageName="img", CreationTimeAfter=1_700_000_000.5)["ImageVersions"]
        == []
    )


def test_ecr_refuses_max_results_with_names_or_ids(ep, base):
    ecr = ep.client("ecr", config=NO_RETRY)
    names = {"repositoryNames": ["team/pytorch"]}
    ids = {"repositoryName": "team/pytorch", "imageIds": [{"imageTag": "2.3"}]}
    for call, member in (
        (lambda: ecr.describe_repositories(**names, maxResults=5), "maxResults"),
        (lambda: ecr.describe_repositories(**names, nextToken="x"), "nextToken"),
        (lambda: ecr.describe_images(**ids, maxResults=5), "maxResults"),
    ):
        with pytest.raises(ClientError) as info:
            call()
        code, message = error(info)
        assert code == "InvalidParameterException" and member in message
    # Each alone is fine.
    assert ecr.describe_repositories(maxResults=5)["repositories"]
    assert ecr.describe_images(repositoryName="team/pytorch", imageIds=[{"imageTag": "2.3"}])


def test_an_older_database_file_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    with LocalEndpoint(str(path), create_delay=0) as ep:
        ep.client("sagemaker").create_image(ImageName="img", RoleArn=ROLE)
    db = sqlite3.connect(path)
    for table, column in (("versions", "gone_at"), ("images", "ready_at")):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.commit()
    db.close()
    with LocalEndpoint(str(path), create_delay=0, delete_delay=30) as ep:
        sm = ep.client("sagemaker")
        assert sm.describe_image(ImageName="img")["ImageStatus"] == "CREATED"
        sm.delete_image(ImageName="img")
        assert sm.describe_image(ImageName="img")["ImageStatus"] == "DELETING"
