"""The doctor in every front end: CLI (exit 0/1/2, --json), the magic, and GET /doctor."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands import cli
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE, seed
from jupyter_image_versions.commands.demo_images import FAILING_TAG, PASSING_TAG, seed_images
from jupyter_image_versions.core.backend import LOCAL_DB_ENV, LOCAL_DELAY_ENV

from .server_helpers import check_against_openapi, local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]

KEYS = (
    "base_image",
    "digest",
    "platform",
    "user",
    "workdir",
    "entrypoint",
    "cmd",
    "exposed_ports",
    "kernels",
    "findings",
    "layers_scanned",
    "bytes_read",
)


@pytest.fixture
def local_db(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    service = ImageVersions.local(db, create_delay=0.0)
    uris = seed_images(service)
    service.register(
        ImageVersionSpec(image_name="lab", base_image=uris[FAILING_TAG]),
        create_image=True,
        role_arn="arn:aws:iam::000000000000:role/R",
        wait=True,
    )
    service.uris = uris
    yield service
    service.close()


def test_cli_exit_status_and_json(local_db, capsys):
    ok = local_db.uris[PASSING_TAG]
    assert cli.main(["doctor", ok, "--backend", "local"]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out and "sagemaker-user" in out
    bad = local_db.uris[FAILING_TAG]
    assert cli.main(["doctor", bad, "--backend", "local", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(KEYS) <= set(data)
    assert {f["code"] for f in data["findings"] if f["severity"] == "error"} == {
        "architecture",
        "user",
        "large-id",
        "server",
    }
    assert data["platform"]["architecture"] == "arm64"
    # IMAGE:VERSION is that version's base image
    assert cli.main(["doctor", "lab:1", "--backend", "local", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["base_image"] == bad
    assert (
        cli.main(["doctor", ok, "--app-type", "KernelGateway", "--uid", "0", "--backend", "local"])
        == 1
    )
    assert "uid-gid-mismatch" in capsys.readouterr().out


def test_cli_usage_errors_are_status_2(local_db, capsys):
    ok = local_db.uris[PASSING_TAG]
    assert cli.main(["doctor", ok, "--app-type", "Jupyter", "--backend", "local"]) == 2
    assert "--app-type" in capsys.readouterr().err
    assert cli.main(["doctor", ok, "--uid", "70000", "--backend", "local"]) == 2
    assert "--uid must be" in capsys.readouterr().err
    assert cli.main(["doctor", "lab", "--backend", "local"]) == 2
    assert "IMAGE:VERSION" in capsys.readouterr().err
    assert cli.main(["doctor", ok, "--max-mb", "0.0001", "--backend", "local"]) == 1
    assert "byte budget" in capsys.readouterr().err


def test_magic_doctor(local_db):
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {local_db.endpoint.path!r}")
    try:
        bad = local_db.uris[FAILING_TAG]
        result = shell.run_line_magic("imageversion", f"doctor {bad} --app-type KernelGateway")
        assert "no-kernels" in {f["code"] for f in result["findings"] if f["severity"] == "error"}
        html = result._repr_html_()
        assert "Studio will not start it" in html and "&#x27;exec format error&#x27;" in html
        data = shell.run_line_magic("imageversion", f"doctor {bad} --json")
        assert data["user"] == {"name": "root", "uid": 0, "gid": 0}
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


@pytest.fixture
def doctor(jp_fetch, jp_serverapp):
    service = jp_serverapp.web_app.settings["image_versions_app"].service
    seed(service)

    async def call(query: dict):
        path = "/doctor?" + urlencode(query, doseq=True)
        params = [(k, v) for k, vs in query.items() for v in (vs if isinstance(vs, list) else [vs])]
        response = await jp_fetch("image-versions/api/doctor", params=params, raise_error=False)
        return response.code, check_against_openapi(
            "GET", path, response.code, response.body, response.headers
        )

    call.service = service
    return call


async def test_rest_doctor(doctor):
    from jupyter_image_versions.commands.demo_images import DEMO_IMAGES_REPOSITORY

    registry = "000000000000.dkr.ecr.us-east-1.amazonaws.com"
    bad = f"{registry}/{DEMO_IMAGES_REPOSITORY}:{FAILING_TAG}"
    status, data = await doctor({"image": bad, "app_type": "JupyterLab"})
    assert status == 200 and data["ok"] is False
    assert "large-id" in {f["code"] for f in data["findings"]}
    status, data = await doctor(
        {
            "image": f"{registry}/{DEMO_IMAGES_REPOSITORY}:{PASSING_TAG}",
            "app_type": "KernelGateway",
            "kernel_name": ["python3", "R"],
        }
    )
    assert status == 200 and [f["code"] for f in data["findings"] if f["severity"] == "error"] == [
        "kernel-missing"
    ]
    assert data["cached"] is False
    status, data = await doctor({"image": f"{DEMO_IMAGE}@latest"})
    # the demo's versions are real images (local/sample_contents.py) that JupyterLab starts
    assert status == 200 and data["ok"] and data["kernels"][0]["name"] == "python3"
    status, data = await doctor({"image": bad, "app_type": "Jupyter", "uid": "x"})
    assert status == 400 and set(data["problems"]) == {"app_type", "uid"}
    status, data = await doctor({"app_type": "JupyterLab"})
    assert status == 400 and "image" in data["problems"]


async def test_rest_attach_needs_force_on_error_findings(doctor, jp_fetch):
    from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID
    from jupyter_image_versions.commands.demo_images import DEMO_IMAGES_REPOSITORY

    registry = "000000000000.dkr.ecr.us-east-1.amazonaws.com"
    bad = f"{registry}/{DEMO_IMAGES_REPOSITORY}:{FAILING_TAG}"
    doctor.service.register(
        ImageVersionSpec(image_name="bad", base_image=bad),
        create_image=True,
        role_arn="arn:aws:iam::000000000000:role/R",
        wait=True,
    )
    body = {
        "image_name": "bad",
        "version": 1,
        "domain_id": DEMO_DOMAIN_ID,
        "app_type": "JupyterLab",
    }

    async def post(payload):
        response = await jp_fetch(
            "image-versions/api/studio/attach",
            method="POST",
            body=json.dumps(payload),
            raise_error=False,
        )
        data = check_against_openapi(
            "POST", "/studio/attach", response.code, response.body, response.headers
        )
        return response.code, data

    status, data = await post(body)
    assert status == 409 and data["code"] == "ImageCheckFailed"
    assert any("large-id" in key for key in data["problems"])
    status, data = await post(body | {"force": "yes"})
    assert status == 400 and "force" in data["problems"]
    status, data = await post(body | {"force": True})
    assert status == 200 and data["doctor"]["checked"] is True


def test_cli_doctor_over_http_on_the_aws_backend(tmp_path, monkeypatch, capsys):
    """The doctor as on AWS: boto3 over HTTP, blob URLs served by the endpoint's process."""
    from jupyter_image_versions.local import LocalEndpoint

    endpoint = LocalEndpoint(str(tmp_path / "http.sqlite"))
    server = endpoint.serve_http()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    try:
        service = ImageVersions.local(endpoint.path)
        uris = seed_images(service)
        service.close()
        argv = ["doctor", uris[FAILING_TAG], "--json", "--backend", "aws"]
        argv += ["--region", "us-east-1", "--endpoint-url", server.url]
        assert cli.main(argv) == 1
        data = json.loads(capsys.readouterr().out)
        assert data["platform"]["architecture"] == "arm64" and data["layers_scanned"] == 2
        assert endpoint.handler.layers.blobs.requests == 3  # served by the HTTP endpoint's process
    finally:
        server.shutdown()
        endpoint.close()


def test_cli_doctor_progress_off_a_terminal_is_once_per_change(tmp_path, monkeypatch, capsys):
    """Piped stderr (not a tty): each progress line once, in sizes that say something."""
    db = str(tmp_path / "demo.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    service.close()
    for version in ("1", "2", "1"):  # the last one from the cache
        assert cli.main(["doctor", f"{DEMO_IMAGE}:{version}", "--backend", "local"]) == 0
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == len(set(lines)), err
        assert not any("0.0 of 0.0" in line for line in lines), err
