"""`jupyter image-versions` and the AWS CLI against `local-endpoint` over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROLE

REGISTRY = "000000000000.dkr.ecr.us-east-1.amazonaws.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def endpoint_options() -> list[str]:
    return []


@pytest.fixture
def endpoint(tmp_path, monkeypatch, endpoint_options):
    """`jupyter image-versions local-endpoint` in a subprocess; yields its URL."""
    port = free_port()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    cmd = [sys.executable, "-m", "jupyter_image_versions.commands.cli", "local-endpoint"]
    cmd += ["--port", str(port), "--db", str(tmp_path / "db.sqlite"), "--create-delay", "0.2"]
    cmd += endpoint_options
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"local endpoint did not start: {proc.stdout.read()}")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def cli(url: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "jupyter_image_versions.commands.cli",
        *args,
        "--endpoint-url",
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def aws(url: str, *args: str) -> dict:
    exe = shutil.which("aws") or str(Path(sys.executable).parent / "aws")
    done = subprocess.run(
        [exe, "--endpoint-url", url, "--output", "json", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_aws_cli_and_our_cli_against_the_http_endpoint(endpoint):
    url = endpoint
    manifest = json.dumps({"schemaVersion": 2, "layers": [{"digest": "sha256:" + "1" * 64}]})
    aws(url, "ecr", "create-repository", "--repository-name", "team/pytorch")
    pushed = aws(
        url,
        "ecr",
        "put-image",
        "--repository-name",
        "team/pytorch",
        "--image-tag",
        "2.3-gpu",
        "--image-manifest",
        manifest,
    )
    assert pushed["image"]["imageId"]["imageDigest"].startswith("sha256:")
    aws(url, "sagemaker", "create-image", "--image-name", "cli-image", "--role-arn", ROLE)
    base = f"{REGISTRY}/team/pytorch:2.3-gpu"
    for n in (1, 2, 3):
        arn = aws(
            url,
            "sagemaker",
            "create-image-version",
            "--image-name",
            "cli-image",
            "--base-image",
            base,
            "--release-notes",
            f"release {n}",
        )["ImageVersionArn"]
        assert arn.endswith(f"/cli-image/{n}")
    listed = aws(url, "sagemaker", "list-image-versions", "--image-name", "cli-image")
    assert sorted(v["Version"] for v in listed["ImageVersions"]) == [1, 2, 3]
    aws(
        url,
        "sagemaker",
        "update-image-version",
        "--image-name",
        "cli-image",
        "--version-number",
        "2",
        "--aliases-to-add",
        "1.0.0",
        "stable",
    )
    by_alias = aws(
        url, "sagemaker", "describe-image-version", "--image-name", "cli-image", "--alias", "stable"
    )
    assert by_alias["Version"] == 2
    aws(
        url,
        "sagemaker",
        "update-image-version",
        "--image-name",
        "cli-image",
        "--alias",
        "stable",
        "--aliases-to-delete",
        "stable",
    )
    aliases = aws(url, "sagemaker", "list-aliases", "--image-name", "cli-image")
    assert aliases["SageMakerImageVersionAliases"] == ["1.0.0"]
    aws(
        url,
        "sagemaker",
        "delete-image-version",
        "--image-name",
        "cli-image",
        "--version-number",
        "1",
    )

    # Our CLI on the same state.
    history = json.loads(cli(url, "history", "cli-image", "--json").stdout)
    assert [(v["version"], v["aliases"]) for v in history] == [(3, []), (2, ["1.0.0"])]
    assert "cli-image" in cli(url, "images").stdout
    table = cli(url, "history", "cli-image").stdout
    assert table.splitlines()[0].split()[:3] == ["VERSION", "STATUS", "ALIASES"]

    registered = json.loads(
        cli(
            url,
            "register",
            "cli-image",
            base,
            "--framework",
            "PyTorch 2.3",
            "--alias",
            "2.3.0",
            "--alias",
            "latest",
            "--json",
        ).stdout
    )
    assert (registered["version"], registered["status"]) == (4, "CREATED")
    assert registered["aliases"] == ["2.3.0", "latest"]
    assert json.loads(cli(url, "show", "cli-image@latest", "--json").stdout)["version"] == 4

    cli(url, "alias", "cli-image:3", "--move", "latest", "--add", "3.0.0")
    assert json.loads(cli(url, "aliases", "cli-image", "--json").stdout) == {
        "1.0.0": 2,
        "2.3.0": 4,
        "3.0.0": 3,
        "latest": 3,
    }
    shown = json.loads(cli(url, "guidance", "cli-image:2", "TO_BE_ARCHIVED", "--json").stdout)
    assert shown["vendor_guidance"] == "TO_BE_ARCHIVED"

    refused = cli(url, "delete", "cli-image:2", ok=False)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    deleted = cli(url, "delete", "cli-image:2", "--yes", "--wait")
    assert "Deleted cli-image version 2." in deleted.stdout
    assert "cli-image version 2: DELETING" in deleted.stderr  # the progress of --wait
    remaining = json.loads(cli(url, "history", "cli-image", "--json").stdout)
    assert [v["version"] for v in remaining] == [4, 3]
    # Without --wait it returns once AWS accepted the delete: the version is DELETING.
    accepted = json.loads(cli(url, "delete", "cli-image:3", "--yes", "--json").stdout)
    assert accepted == {"deleted": 3, "image_name": "cli-image", "gone": False}


@pytest.mark.parametrize(
    "endpoint_options", [["--conflict-rate", "0.25", "--seed", "5", "--delete-delay", "0.5"]]
)
def test_cli_retries_modified_concurrently_and_waits_for_deletes(endpoint):
    url = endpoint
    aws(url, "ecr", "create-repository", "--repository-name", "team/pytorch")
    manifest = json.dumps({"schemaVersion": 2, "layers": []})
    put = ("put-image", "--repository-name", "team/pytorch", "--image-tag", "2.3")
    aws(url, "ecr", *put, "--image-manifest", manifest)
    base = f"{REGISTRY}/team/pytorch:2.3"
    args = ("register", "conflicted", base, "--create-image", "--role", ROLE, "--json")
    numbers = [json.loads(cli(url, *args, "--notes", str(n)).stdout)["version"] for n in range(3)]
    # a quarter of the version writes are refused (seeded: 5 refusals in a row, the retry
    # limit, do not happen in this sequence); each retry lands once
    assert numbers == [1, 2, 3]
    cli(url, "alias", "conflicted:3", "--add", "latest")
    assert json.loads(cli(url, "aliases", "conflicted", "--json").stdout) == {"latest": 3}
    deleted = cli(url, "delete", "conflicted:1", "--yes", "--wait")
    assert "conflicted version 1: DELETING" in deleted.stderr
    history = json.loads(cli(url, "history", "conflicted", "--json").stdout)
    assert [v["version"] for v in history] == [3, 2]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["register", "x", "nope:1"], "error: BASE_IMAGE: 'nope:1' must be an ECR image URI"),
        (
            ["register", "x", f"{REGISTRY}/r:t", "--framework", "pytorch"],
            "--framework: 'pytorch' must look like 'PyTorch 2.3'",
        ),
        (
            ["register", "x", f"{REGISTRY}/r:t", "--processor", "TPU"],
            "--processor: 'TPU' must be one of CPU, GPU",
        ),
        (["show", "x:abc"], "the version after ':' must be a number"),
        (["show", "x:\u00b2"], "the version after ':' must be a number"),
        (["guidance", "x:1", "OLD"], "error: --guidance: 'OLD' must be one of"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["history", "bad name"], "error: IMAGE: 'bad name'"),
    ],
)
def test_errors_are_one_line_without_traceback(args, expected):
    env = os.environ | {"JUPYTER_IMAGE_VERSIONS_BACKEND": "local"}
    env["JUPYTER_IMAGE_VERSIONS_LOCAL_DB"] = ":memory:"
    cmd = [sys.executable, "-m", "jupyter_image_versions.commands.cli", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode in (1, 2)
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_no_credentials_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {"AWS_CONFIG_FILE": str(tmp_path / "c"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path)}
    env |= {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
    cmd = [sys.executable, "-m", "jupyter_image_versions.commands.cli", "images"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("error: No AWS credentials found")


def test_region_from_aws_region_alone(endpoint, tmp_path):
    """`AWS_REGION` is enough when neither `AWS_DEFAULT_REGION` nor the profile names a region."""
    env = {k: v for k, v in os.environ.items() if k != "AWS_DEFAULT_REGION"}
    env |= {"AWS_REGION": "eu-west-1", "AWS_CONFIG_FILE": str(tmp_path / "no-config")}
    cmd = [
        sys.executable,
        "-m",
        "jupyter_image_versions.commands.cli",
        "images",
        "--endpoint-url",
        endpoint,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    # Without either variable the error names both.
    del env["AWS_REGION"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "No AWS region configured" in done.stderr
    assert "AWS_REGION" in done.stderr and "AWS_DEFAULT_REGION" in done.stderr
