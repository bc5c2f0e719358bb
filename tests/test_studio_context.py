"""Studio context from resource-metadata.json and the environment."""

from __future__ import annotations

import json

from jupyter_image_versions.studio import read_context

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
