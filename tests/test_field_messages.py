"""Every field message the REST API and the CLI give for the attach, register and export forms is
in the user's words: it names the field by its label or option, never by an API key
(`domain_id`, `DomainId`), and counts as people do ("4 problems", not "4 error(s)")."""

from __future__ import annotations

import json
import re

import pytest

from jupyter_image_versions.commands import demo_data as demo
from jupyter_image_versions.commands.cli import main
from jupyter_image_versions.core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV
from jupyter_image_versions.core.errors import SpecError
from jupyter_image_versions.core.labels import FIELD_LABELS

from .server_helpers import local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]

API = "image-versions/api"
GOOD = "000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu"
# Words that look like AWS keys but are products or values people type.
PRODUCTS = {"JupyterLab", "KernelGateway", "CodeEditor", "PyTorch", "CloudFormation"}
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
CAMEL = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")

ATTACH_BODIES = [
    {},
    {"image_name": 5, "version": "a", "domain_id": 3, "app_type": "Nope", "force": "yes"},
    {
        "image_name": demo.DEMO_IMAGE,
        "version": 5,
        "domain_id": "d-bad id",
        "app_type": "JupyterLab",
        "uid": 70000,
        "gid": -1,
        "mount_path": "relative",
        "kernel_name": "python3",
    },
    {"image_name": "Bad Name", "alias": "my alias", "domain_id": "d-x", "app_type": "CodeEditor"},
    {"image_name": demo.DEMO_IMAGE, "version": 5, "alias": "latest", "domain_id": "d-x"},
    {
        "image_name": demo.DEMO_IMAGE,
        "version": 5,
        "domain_id": "d-x",
        "app_type": "JupyterLab",
        "uid": 70000,
        "gid": "x",
    },
]
REGISTER_BODIES = [
    {},
    {
        "base_image": "nope",
        "ml_framework": "pytorch",
        "programming_lang": "py",
        "processor": "TPU",
        "job_type": "x",
        "horovod": "yes",
        "vendor_guidance": "x",
        "aliases": ["my alias"],
        "release_notes": "x" * 300,
    },
    {"base_image": GOOD, "create_image": "yes", "role_arn": 5, "image_name": "other"},
    {"base_image": GOOD, "aliases": ["a", "a"]},
    {"base_image": GOOD, "aliases": "latest", "nonsense": 1},
]
EXPORT_QUERIES = [
    {"format": "bad", "versions": "7-3"},
    {"versions": "7-3"},
    {"versions": "0"},
    {"versions": "abc"},
    {"versions": "1-999999999"},
    {"json": "maybe", "include_archived": "x", "pin_digests": "x"},
    {"format": "cdk-python", "json": "true"},
]


def api_keys(message: str) -> list[str]:
    """The API keys a message names outside the values it quotes."""
    text = QUOTED.sub("", message)
    snake = [w for w in SNAKE.findall(text) if w in FIELD_LABELS or "_" in w]
    camel = [w for w in CAMEL.findall(text) if w not in PRODUCTS]
    return snake + camel


def expect_words(messages: list[str]) -> None:
    assert messages, "no message was collected"
    named = {m: api_keys(m) for m in messages if api_keys(m)}
    assert named == {}, f"messages name API keys: {json.dumps(named, indent=1)}"
    assert not [m for m in messages if "(s)" in m], messages


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


async def test_rest_field_messages_name_no_api_key(jp_fetch, jp_serverapp):
    demo.seed(jp_serverapp.web_app.settings["image_versions_app"].service)
    messages: list[str] = []

    async def collect(path: str, **kwargs) -> None:
        response = await jp_fetch(f"{API}/{path}", raise_error=False, **kwargs)
        assert response.code in (400, 404, 409), (path, response.code, response.body)
        data = json.loads(response.body)
        messages.append(data["message"])
        messages.extend(data.get("problems", {}).values())

    for body in ATTACH_BODIES:
        await collect("studio/attach", method="POST", body=json.dumps(body))
    for body in REGISTER_BODIES:
        path = f"images/{demo.DEMO_IMAGE}/versions"
        await collect(path, method="POST", body=json.dumps(body))
    for query in EXPORT_QUERIES:
        await collect(f"images/{demo.DEMO_IMAGE}/export", params=query)
    expect_words(messages)
    # The label leads: a person reads "Domain id is required", "UID must be a whole number".
    joined = "\n".join(messages)
    assert "Domain id is required" in joined
    assert "UID must be a whole number" in joined
    assert "'7-3' counts down; write the lower number first, like 3-7" in joined


@pytest.fixture
def local(tmp_path, monkeypatch):
    monkeypatch.setenv(LOCAL_DB_ENV, str(tmp_path / "local.sqlite"))
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    monkeypatch.setenv(BACKEND_ENV, "local")
    from jupyter_image_versions import ImageVersions

    service = ImageVersions.local(str(tmp_path / "local.sqlite"), create_delay=0.0)
    demo.seed(service)
    yield service
    service.close()


CLI_RUNS = [
    ["register", demo.DEMO_IMAGE, "nope", "--framework", "pytorch", "--lang", "py"],
    ["register", demo.DEMO_IMAGE, GOOD, "--alias", "my alias", "--notes", "x" * 300],
    ["register", demo.DEMO_IMAGE, GOOD, "--alias", "a", "--alias", "a", "--guidance", "x"],
    ["register", "Bad Name", GOOD, "--create-image"],
    ["attach", f"{demo.DEMO_IMAGE}:5", "--domain", "d-bad id", "--uid", "70000"],
    ["attach", f"{demo.DEMO_IMAGE}:5", "--domain", "d-x", "--gid", "-1", "--kernel-name", "k"],
    ["attach", f"{demo.DEMO_IMAGE}:5", "--domain", "d-x", "--mount-path", "relative"],
    ["export", demo.DEMO_IMAGE, "--versions", "7-3"],
    ["export", demo.DEMO_IMAGE, "--versions", "0"],
    ["export", demo.DEMO_IMAGE, "--versions", "abc"],
]


def test_cli_field_messages_name_no_api_key(local, capsys):
    messages = []
    for argv in CLI_RUNS:
        status = main(argv)
        _, err = capsys.readouterr()
        assert status != 0, argv
        messages.append(err.strip())
    expect_words(messages)
    assert any(m.startswith("error: --versions: '7-3' counts down") for m in messages), messages


def test_spec_error_leads_each_problem_with_its_label():
    error = SpecError({"domain_id": "domain_id is required", "uid": "uid: must be a whole number"})
    assert error.problems == {"domain_id": "is required", "uid": "must be a whole number"}
    assert error.message == "Domain id is required; UID must be a whole number"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["histroy", "x"], "unknown command 'histroy'; did you mean 'history'?"),
        (["studio", "contxt"], "unknown command 'contxt'; did you mean 'context'?"),
        (
            ["doctor", "ml-platform/studio-images:jupyterlab-ok"],
            "is an ECR repository and tag, not a SageMaker image: give the whole ECR URI, like "
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-platform/studio-images:jupyterlab-ok",
        ),
        (["show", f"{demo.DEMO_IMAGE}:42"], f"Image version {demo.DEMO_IMAGE}:42 does not exist"),
        (["show", "no-such-image:1"], "Image no-such-image does not exist"),
        (["export", demo.DEMO_IMAGE, "--versions", "7-3"], "error: --versions: '7-3' counts down"),
    ],
)
def test_cli_says_what_the_user_typed(local, capsys, argv, said):
    assert main(argv) != 0
    _, err = capsys.readouterr()
    assert said in err
    assert "__complete" not in err and "arn:aws" not in err


def test_history_on_100_columns_keeps_the_aliases_whole(local):
    from jupyter_image_versions.commands.text import versions_text

    table = versions_text(local.history(demo.DEMO_IMAGE), width=100)
    text = getattr(table, "text", str(table))
    assert all(len(line) <= 100 for line in text.splitlines()), text
    assert "2.3.0,latest" in text and "2.3.0-cpu" in text  # the base image gave way first
    assert "pytorch:2.3-gpu" in text  # its tag kept
