"""Studio context from resource-metadata.json and the environment."""

from __future__ import annotations

import json

from jupyter_image_versions.studio.context import read_context

SPACE_METADATA = {
    "AppType": "JupyterLab",
    "DomainId": "d-abc123def456",
    "SpaceName": "team-space",
    "ResourceArn": "arn:aws:sagemaker:eu-west-1:111122223333:app/d-abc123def456/team-space/"
    "JupyterLab/default",
    "ResourceName": "default",
    "ExecutionRoleArn": "arn:aws:iam::111122223333:role/StudioExec",
}


def test_outside_studio_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(tmp_path / "missing.json"))
    monkeypatch.delenv("SAGEMAKER_SPACE_NAME", raising=False)
    monkeypatch.delenv("SAGEMAKER_APP_TYPE", raising=False)
    assert read_context() is None


def test_space_metadata(monkeypatch, tmp_path):
    path = tmp_path / "resource-metadata.json"
    path.write_text(json.dumps(SPACE_METADATA))
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(path))
    ctx = read_context()
    assert (ctx.domain_id, ctx.space, ctx.app_type) == (
        "d-abc123def456",
        "team-space",
        "JupyterLab",
    )
    assert (ctx.region, ctx.account, ctx.partition) == ("eu-west-1", "111122223333", "aws")
    assert ctx.execution_role.endswith(":role/StudioExec")
    assert ctx.error is None


def test_malformed_metadata_is_a_message_not_a_crash(monkeypatch, tmp_path):
    path = tmp_path / "resource-metadata.json"
    path.write_text("{not json")
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(path))
    ctx = read_context()
    assert ctx.error.startswith(f"Studio metadata {path} could not be read")
    assert ctx.domain_id is None


# -- more real-shaped metadata files --------------------------------------------------------

CLASSIC_METADATA = {
    "AppType": "JupyterServer",
    "DomainId": "d-xyz789abc012",
    "UserProfileName": "alice",
    "ResourceArn": "arn:aws-cn:sagemaker:cn-north-1:444455556666:app/d-xyz789abc012/alice/"
    "JupyterServer/default",
    "ResourceName": "default",
    "AppImageVersion": "",
}


def _write(tmp_path, monkeypatch, content):
    path = tmp_path / "resource-metadata.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(path))
    return path


def test_classic_user_profile_metadata(monkeypatch, tmp_path):
    monkeypatch.delenv("SAGEMAKER_SPACE_NAME", raising=False)
    _write(tmp_path, monkeypatch, CLASSIC_METADATA)
    ctx = read_context()
    assert (ctx.domain_id, ctx.user_profile, ctx.space) == ("d-xyz789abc012", "alice", None)
    assert ctx.app_type == "JupyterServer"
    assert (ctx.region, ctx.account, ctx.partition) == ("cn-north-1", "444455556666", "aws-cn")
    assert ctx.execution_role is None and ctx.error is None


def test_environment_only(monkeypatch, tmp_path):
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(tmp_path / "missing.json"))
    monkeypatch.setenv("SAGEMAKER_SPACE_NAME", "my-space")
    monkeypatch.setenv("SAGEMAKER_APP_TYPE", "JupyterLab")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    ctx = read_context()
    assert (ctx.space, ctx.app_type, ctx.region, ctx.domain_id) == (
        "my-space",
        "JupyterLab",
        "ap-south-1",
        None,
    )


def test_not_an_object_and_not_utf8_are_messages(monkeypatch, tmp_path):
    _write(tmp_path, monkeypatch, "[1, 2]")
    assert "not a JSON object" in read_context().error
    path = tmp_path / "resource-metadata.json"
    path.write_bytes(b"\xff\xfe{")
    assert read_context().error.startswith(f"Studio metadata {path} could not be read")
