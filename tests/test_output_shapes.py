"""Every answer of every implemented operation fits botocore's output shape: types as on the wire
(timestamps are epoch numbers), required members, no unknown members, enums, patterns, lengths
and ranges. The answers are recorded from the raw JSON the endpoint sends to real boto3 clients."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from jupyter_image_versions.core import awsmodel
from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.handler import ECR_OPERATIONS, SAGEMAKER_OPERATIONS
from jupyter_image_versions.local.image_push import upload_blob

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
SERVICES = {"SageMaker": "sagemaker", "AmazonEC2ContainerRegistry_V20150921": "ecr"}


def problems(shape: Any, value: Any, path: str) -> list[str]:
    """What in `value` breaks `shape` (a botocore Shape); [] when it fits."""
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: a structure, not {value!r}"]
        found = [f"{path}.{m}: required, missing" for m in shape.required_members if m not in value]
        found += [
            f"{path}.{k}: not a member of {shape.name}" for k in value if k not in shape.members
        ]
        for name, member in shape.members.items():
            if name in value:
                found += problems(member, value[name], f"{path}.{name}")
        return found
    if kind in ("list", "map"):
        if not isinstance(value, list if kind == "list" else dict):
            return [f"{path}: a {kind}, not {value!r}"]
        found = _length(value, meta, path)
        if kind == "list":
            for i, item in enumerate(value):
                found += problems(shape.member, item, f"{path}[{i}]")
        else:
            for key, item in value.items():
                found += problems(shape.key, key, f"{path}.<key>")
                found += problems(shape.value, item, f"{path}[{key!r}]")
        return found
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: a string, not {value!r}"]
        found = _length(value, meta, path)
        if shape.enum and value not in shape.enum:
            found.append(f"{path}: {value!r} is not one of {shape.enum}")
        pattern = meta.get("pattern")
        compiled = awsmodel.compiled_pattern(pattern) if pattern else None
        if compiled is not None and not compiled.fullmatch(value):
            found.append(f"{path}: {value!r} does not match {pattern}")
        return found
    if kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: an integer, not {value!r}"]
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            return [f"{path}: {value} is outside [{low}, {high}]"]
        return []
    if kind in ("float", "double", "timestamp"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{path}: a number ({kind}), not {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: a boolean, not {value!r}"]
    if kind == "blob":
        try:
            base64.b64decode(value, validate=True)
            return []
        except (TypeError, ValueError):
            return [f"{path}: base64 text, not {value!r}"]
    return [f"{path}: unexpected shape type {kind}"]


def _length(value: Any, meta: dict, path: str) -> list[str]:
    low, high = meta.get("min"), meta.get("max")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        return [f"{path}: length {len(value)} outside [{low}, {high}]"]
    return []


def test_the_checker_finds_what_breaks_a_shape():
    shape = awsmodel.service_model("sagemaker").operation_model("DescribeImageVersion")
    out = shape.output_shape
    good = {
        "ImageArn": "arn:aws:sagemaker:us-east-1:000000000000:image/img",
        "ImageVersionArn": "arn:aws:sagemaker:us-east-1:000000000000:image-version/img/1",
        "ImageVersionStatus": "CREATED",
        "Version": 1,
        "CreationTime": 1.5,
        "Horovod": False,
    }
    assert problems(out, good, "") == []
    bad = good | {
        "ImageVersionArn": "arn:aws:sagemaker:us-east-1:000000000000:image-version/Img/1",
        "ImageVersionStatus": "GONE",
        "Version": "1",
        "CreationTime": "2024-01-01T00:00:00Z",
        "Horovod": "false",
        "Extra": 1,
    }
    found = problems(out, bad, "")
    for member in ("ImageVersionArn", "ImageVersionStatus", "Version", "CreationTime", "Horovod"):
        assert any(p.startswith(f".{member}:") for p in found), member
    assert any("Extra: not a member" in p for p in found)


@pytest.fixture
def recorded():
    """A local endpoint whose every 200 answer is kept as (service, operation, JSON)."""
    answers: list[tuple[str, str, dict]] = []
    with LocalEndpoint(create_delay=0.0, delete_delay=0.0) as ep:
        real = ep.handler.handle

        def handle(target, body, authorization=None):
            status, headers, payload = real(target, body, authorization)
            if status == 200:
                prefix, _, operation = target.partition(".")
                answers.append((SERVICES[prefix], operation, json.loads(payload)))
            return status, headers, payload

        ep.handler.handle = handle
        yield ep, answers


def exercise(ep: LocalEndpoint) -> None:
    """Call every implemented operation, in the states that shape its answers."""
    sm, ecr = ep.client("sagemaker"), ep.client("ecr")
    ecr.create_repository(repositoryName="team/pytorch")
    manifest = json.dumps(
        {"schemaVersion": 2, "layers": [{"size": 10, "digest": "sha256:" + "a" * 64}]}
    )
    ecr.put_image(repositoryName="team/pytorch", imageTag="2.3", imageManifest=manifest)
    ecr.describe_repositories()
    ecr.describe_repositories(repositoryNames=["team/pytorch"])
    ecr.describe_images(repositoryName="team/pytorch")
    ecr.describe_images(repositoryName="team/pytorch", imageIds=[{"imageTag": "2.3"}])
    ecr.batch_get_image(repositoryName="team/pytorch", imageIds=[{"imageTag": "2.3"}])
    ecr.list_images(repositoryName="team/pytorch")
    # the layer operations: a blob uploaded in parts, then referenced by an image
    digest = upload_blob(ecr, "team/pytorch", b"layer bytes")
    ecr.batch_check_layer_availability(repositoryName="team/pytorch", layerDigests=[digest])
    layered = json.dumps({"schemaVersion": 2, "layers": [{"size": 11, "digest": digest}]})
    ecr.put_image(repositoryName="team/pytorch", imageTag="layered", imageManifest=layered)
    ecr.get_download_url_for_layer(repositoryName="team/pytorch", layerDigest=digest)
    base = ep.registry_uri("team/pytorch", "2.3")

    sm.create_image(ImageName="MyImage", RoleArn=ROLE, DisplayName="Mine", Description="d")
    sm.update_image(ImageName="MyImage", Description="changed")
    sm.describe_image(ImageName="MyImage")
    metadata = {"MLFramework": "PyTorch 2.3", "ProgrammingLang": "Python 3.11", "Horovod": True}
    metadata |= {"Processor": "GPU", "JobType": "TRAINING", "VendorGuidance": "STABLE"}
    sm.create_image_version(ImageName="MyImage", BaseImage=base, Aliases=["1.0.0"], **metadata)
    sm.create_image_version(ImageName="MyImage", BaseImage=base + "-missing", ReleaseNotes="x")
    ep.create_delay = 60
    sm.create_image_version(ImageName="MyImage", BaseImage=base, ReleaseNotes="creating")
    ep.create_delay, ep.delete_delay = 0.0, 60
    sm.update_image_version(ImageName="MyImage", Version=1, AliasesToAdd=["latest"])
    sm.create_image_version(ImageName="MyImage", BaseImage=base, ReleaseNotes="deleting")
    sm.delete_image_version(ImageName="MyImage", Version=4)
    ep.set_faults(delete_failure_rate=1.0)
    ep.delete_delay = 0.0
    sm.create_image_version(ImageName="MyImage", BaseImage=base, ReleaseNotes="delete failed")
    sm.delete_image_version(ImageName="MyImage", Version=5)
    ep.set_faults(delete_failure_rate=0.0)
    for number in range(1, 6):  # CREATED, CREATE_FAILED, CREATING, DELETING, DELETE_FAILED
        sm.describe_image_version(ImageName="MyImage", Version=number)
    sm.describe_image_version(ImageName="MyImage", Alias="latest")
    sm.list_image_versions(ImageName="MyImage", MaxResults=2)
    sm.list_image_versions(ImageName="MyImage", SortBy="VERSION")
    sm.list_aliases(ImageName="MyImage")
    sm.list_aliases(ImageName="MyImage", Version=1)
    sm.list_images()
    sm.create_image(ImageName="gone", RoleArn=ROLE)
    ep.delete_delay = 60
    sm.delete_image(ImageName="gone")
    sm.describe_image(ImageName="gone")  # DELETING
    sm.list_images()
    ep.delete_delay = 0.0
    sm.create_image_version(ImageName="MyImage", BaseImage=base, ReleaseNotes="to delete")
    sm.delete_image_version(ImageName="MyImage", Version=6)

    lab = {"JupyterLabAppImageConfig": {"FileSystemConfig": {"MountPath": "/home/sagemaker-user"}}}
    sm.create_app_image_config(AppImageConfigName="MyImage-jupyterlab-config", **lab)
    sm.describe_app_image_config(AppImageConfigName="MyImage-jupyterlab-config")
    sm.list_app_image_configs()
    sm.update_app_image_config(AppImageConfigName="MyImage-jupyterlab-config", **lab)
    sm.delete_app_image_config(AppImageConfigName="MyImage-jupyterlab-config")
    ep.create_delay = 60  # a Pending domain first, then InService ones
    domain = sm.create_domain(
        DomainName="pending", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    sm.describe_domain(DomainId=domain)
    sm.list_domains()
    ep.create_delay = 0.0
    domain = sm.create_domain(
        DomainName="Studio", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    sm.update_domain(
        DomainId=domain,
        DefaultUserSettings={
            "JupyterLabAppSettings": {
                "CustomImages": [
                    {"ImageName": "MyImage", "ImageVersionNumber": 1, "AppImageConfigName": "c"}
                ]
            }
        },
    )
    sm.describe_domain(DomainId=domain)
    sm.list_domains()
    sm.create_user_profile(DomainId=domain, UserProfileName="Alice")
    sm.describe_user_profile(DomainId=domain, UserProfileName="Alice")
    sm.update_user_profile(
        DomainId=domain, UserProfileName="Alice", UserSettings={"ExecutionRole": ROLE}
    )
    content = base64.b64encode(b"#!/bin/bash\necho hi\n").decode()
    sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="MyConfig",
        StudioLifecycleConfigContent=content,
        StudioLifecycleConfigAppType="JupyterLab",
    )
    sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="MyConfig")
    sm.list_studio_lifecycle_configs()
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="MyConfig")
    sm.delete_image(ImageName="MyImage")


def test_every_answer_fits_its_output_shape(recorded):
    ep, answers = recorded
    exercise(ep)
    seen = {(service, operation) for service, operation, _ in answers}
    implemented = {("sagemaker", op) for op in SAGEMAKER_OPERATIONS}
    implemented |= {("ecr", op) for op in ECR_OPERATIONS}
    assert implemented - seen == set()  # every implemented operation was answered
    statuses = {a.get("ImageVersionStatus") for _, op, a in answers if op == "DescribeImageVersion"}
    assert statuses >= {"CREATED", "CREATE_FAILED", "CREATING", "DELETING", "DELETE_FAILED"}
    found = []
    for service, operation, answer in answers:
        output = awsmodel.service_model(service).operation_model(operation).output_shape
        if output is None:
            assert answer == {}, operation
            continue
        found += problems(output, answer, f"{operation}")
    assert found == []
