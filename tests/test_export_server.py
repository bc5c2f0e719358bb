"""GET /image-versions/api/images/{image}/export on a real Jupyter server (pytest-jupyter),
every response checked against /openapi.json."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest
import yaml

from jupyter_image_versions.commands import demo_data as demo

from .server_helpers import check_against_openapi, local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]

API = "image-versions/api"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


@pytest.fixture
def export(jp_fetch, jp_serverapp):
    """`await export("/images/x/export?format=...")` -> (status, json), checked against OpenAPI."""
    service = jp_serverapp.web_app.settings["image_versions_app"].service
    demo.seed(service)
    service.update(demo.DEMO_IMAGE, 5, release_notes=f"notes: {XSS}\n# 'quoted' \"too\"")

    async def call(path: str, headers: dict | None = None):
        route, _, query = path.partition("?")
        response = await jp_fetch(
            API + route, params=dict(parse_qsl(query)), raise_error=False, headers=headers or {}
        )
        data = check_against_openapi("GET", path, response.code, response.body, response.headers)
        return response.code, data

    call.service = service
    return call


async def test_export_formats(export):
    image = demo.DEMO_IMAGE
    status, data = await export(f"/images/{image}/export")
    assert status == 200
    assert (data["format"], data["json"], data["filename"]) == (
        "cloudformation",
        False,
        f"{image}.template.yaml",
    )
    template = yaml.safe_load(data["content"])
    notes = template["Resources"]["PytorchTrainingV5"]["Properties"]["ReleaseNotes"]
    assert notes == f"notes: {XSS}\n# 'quoted' \"too\""  # carried exactly, JSON-encoded on the wire

    status, data = await export(f"/images/{image}/export?json=true&versions=4-5&pin_digests=1")
    assert status == 200 and data["filename"] == f"{image}.template.json"
    template = json.loads(data["content"])
    assert list(template["Resources"]) == [
        "ImagePytorchTraining",
        "PytorchTrainingV4",
        "PytorchTrainingV5",
    ]
    assert "@sha256:" in template["Resources"]["PytorchTrainingV4"]["Properties"]["BaseImage"]
    assert template["Resources"]["PytorchTrainingV4"]["DependsOn"] == "ImagePytorchTraining"

    for fmt, filename, needle in (
        ("cdk-python", "app.py", "sagemaker.CfnImageVersion("),
        ("cdk-typescript", "app.ts", "new sagemaker.CfnImageVersion("),
    ):
        status, data = await export(f"/images/{image}/export?format={fmt}&include_archived=false")
        assert status == 200 and data["filename"] == filename
        assert data["content"].count(needle) == 4
        assert "PytorchTrainingV5" in data["content"]


async def test_export_terraform(export):
    image = demo.DEMO_IMAGE
    status, data = await export(f"/images/{image}/export?format=terraform")
    assert status == 200
    assert (data["format"], data["import"], data["filename"]) == ("terraform", True, "main.tf")
    assert 'id = "pytorch-training,5"' in data["content"]
    assert "notes: <script>alert(1)</script>\\n# 'quoted' \\\"too\\\"" in data["content"]

    query = "format=terraform-json&import=false&pin_digests=true&versions=4-5"
    status, data = await export(f"/images/{image}/export?{query}")
    assert status == 200
    assert (data["format"], data["import"], data["filename"]) == (
        "terraform-json",
        False,
        "main.tf.json",
    )
    config = json.loads(data["content"])
    assert "import" not in config
    versions = config["resource"]["aws_sagemaker_image_version"]
    assert list(versions) == ["pytorch_training_v4", "pytorch_training_v5"]
    assert "@sha256:" in versions["pytorch_training_v4"]["base_image"]
    assert versions["pytorch_training_v5"]["depends_on"] == [
        "aws_sagemaker_image_version.pytorch_training_v4"
    ]
    assert versions["pytorch_training_v5"]["release_notes"] == f"notes: {XSS}\n# 'quoted' \"too\""


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=pulumi", "format"),
        ("format=cloudformation&import=true", "import"),
        ("format=terraform&import=maybe", "import"),
        ("format=terraform&pin_digests=true", "pin_digests"),
        ("format=terraform-json&json=true", "json"),
        ("format=cdk-python&json=true", "json"),
        ("json=maybe", "json"),
        ("versions=7-3", "versions"),
        ("versions=" + "1," * 120, "versions"),
        ("pin_digests=yes", "pin_digests"),
        ("include_archived=2", "include_archived"),
    ],
)
async def test_export_bad_query_is_400_naming_the_field(export, query, field):
    calls = export.service.endpoint.request_count
    status, data = await export(f"/images/{demo.DEMO_IMAGE}/export?{query}")
    assert status == 400
    assert field in data["problems"], data
    assert export.service.endpoint.request_count == calls  # refused before any AWS call


async def test_export_missing_image_and_no_token(export):
    status, data = await export("/images/no-such-image/export")
    assert status == 404 and data["code"] == "ResourceNotFound"
    status, data = await export("/images/bad_name!/export")
    assert status == 400 and "image_name" in data["problems"]
    status, data = await export(f"/images/{demo.DEMO_IMAGE}/export", {"Authorization": ""})
    assert status == 403
