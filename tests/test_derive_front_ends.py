"""derive in every front end: the CLI (text, --json, usage errors), the magic, and the REST job
(POST /derive -> 202, GET /derive/{id} until done), each answer checked against the OpenAPI."""

from __future__ import annotations

import asyncio
import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands import cli
from jupyter_image_versions.core.backend import LOCAL_DB_ENV, LOCAL_DELAY_ENV

from .derive_helpers import debian_like, make_wheel, push_base
from .server_helpers import check_against_openapi, local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]
ROLE = "arn:aws:iam::000000000000:role/R"


@pytest.fixture
def wheelhouse(tmp_path):
    folder = tmp_path / "wheelhouse"
    make_wheel(folder, "purepkg", "1.0", scripts={"purepkg-hello": "purepkg:main"})
    return folder


def seed(service: ImageVersions) -> str:
    uri = push_base(service, debian_like())
    service.register(
        ImageVersionSpec("lab", uri, processor="CPU"), create_image=True, role_arn=ROLE
    )
    return uri


@pytest.fixture
def local_db(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    yield service
    service.close()


def test_cli_plan_push_register_and_json(local_db, wheelhouse, capsys):
    where = ["--no-index", "--find-links", str(wheelhouse), "--backend", "local"]
    assert (
        cli.main(["derive", "lab:1", "--pip", "purepkg", "--tag", "t1", "--dry-run", *where]) == 0
    )
    out = capsys.readouterr().out
    assert "add      purepkg 1.0" in out and "dry run" in out
    args = ["derive", "lab:1", "--pip", "purepkg", "--tag", "t1", "--register", "--alias", "1.1.0"]
    assert cli.main([*args, *where, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"]["version"] == 2 and data["version"]["aliases"] == ["1.1.0"]
    assert data["version"]["processor"] == "CPU"
    assert data["pushed"]["uri"].endswith(data["pushed"]["digest"])
    assert set(data["seconds"]) == {"plan", "download", "build", "push", "check", "register"}


def test_cli_requirements_file_with_its_index_options(local_db, wheelhouse, tmp_path, capsys):
    wanted = tmp_path / "requirements.txt"
    wanted.write_text(f"--no-index\n--find-links {wheelhouse}\npurepkg==1.0\n")
    args = ["derive", "lab@nothing", "-r", str(wanted), "--tag", "t2", "--dry-run"]
    assert cli.main([*args, "--backend", "local"]) == 1
    assert "nothing" in capsys.readouterr().err  # no such alias
    args[1] = "lab:1"
    assert cli.main([*args, "--backend", "local", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"]["add"][0]["name"] == "purepkg"


def test_cli_usage_and_validation_errors(local_db, wheelhouse, capsys):
    assert cli.main(["derive", "lab:1", "--pip", "purepkg", "--backend", "local"]) == 2
    assert "--tag" in capsys.readouterr().err
    assert cli.main(["derive", "lab:1", "--tag", "t", "--alias", "a", "--backend", "local"]) == 2
    assert "--alias needs --register" in capsys.readouterr().err
    args = ["derive", "lab:1", "--pip", "nothere", "--tag", "t", "--no-index", "--backend", "local"]
    assert cli.main([*args, "--find-links", str(wheelhouse)]) == 1
    assert "nothere" in capsys.readouterr().err
    assert (
        cli.main(["derive", "lab:1", "--file", "nocolon", "--tag", "t", "--backend", "local"]) == 2
    )
    assert "LOCAL:/path" in capsys.readouterr().err


def test_magic_derive(local_db, wheelhouse):
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {local_db.endpoint.path!r}")
    try:
        line = f"derive lab:1 --pip purepkg --tag m1 --no-index --find-links {wheelhouse}"
        result = shell.run_line_magic("imageversion", line)
        assert [p.name for p in result.plan.added] == ["purepkg"]
        assert result.pushed is not None and result.version is None
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


async def test_rest_job_from_plan_to_registered_version(jp_fetch, jp_serverapp, jp_root_dir):
    # the requirements text names the wheelhouse relative to the Jupyter root, as the sidebar does
    make_wheel(jp_root_dir / "wheelhouse", "purepkg", "1.0")
    service = jp_serverapp.web_app.settings["image_versions_app"].service
    await asyncio.get_running_loop().run_in_executor(None, seed, service)

    async def call(method, path, body=None):
        kw = {"method": method, "raise_error": False}
        if body is not None:
            kw["body"] = json.dumps(body)
        response = await jp_fetch("image-versions/api" + path, **kw)
        data = check_against_openapi(method, path, response.code, response.body, response.headers)
        return response, data

    response, data = await call("POST", "/derive", {"target": "lab:1", "tag": ""})
    assert response.code == 400 and "tag" in data["problems"]
    response, data = await call("POST", "/derive", {"target": "lab:1", "tag": "x", "pip": [1]})
    assert response.code == 400 and "pip" in data["problems"]
    body = {
        "target": "lab:1",
        "tag": "r1",
        "requirements": "# wanted\n--no-index\n--find-links wheelhouse\npurepkg==1.0\n",
        "register": True,
        "alias": "2.0.0",
    }
    response, job = await call("POST", "/derive", body)
    assert response.code == 202 and job["state"] == "planning"
    location = response.headers["Location"]
    assert location.endswith("/derive/" + job["id"])
    states = []
    for _ in range(300):
        response, job = await call("GET", f"/derive/{job['id']}")
        assert response.code == 200
        states.append(job["state"])
        if job["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert job["state"] == "done", job["error"]
    assert job["plan"]["add"][0]["name"] == "purepkg"
    assert job["progress"]["bytes_sent"] == job["progress"]["bytes_total"] > 0
    assert job["result"]["version"]["version"] == 2
    assert job["result"]["version"]["aliases"] == ["2.0.0"]
    # a failure is the job's state, with the message naming what and why
    body = {"target": "lab:1", "tag": "r2", "requirements": "--no-index\nnothere\n"}
    response, job = await call("POST", "/derive", body)
    assert response.code == 202
    for _ in range(300):
        response, job = await call("GET", f"/derive/{job['id']}")
        if job["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert job["state"] == "failed" and "nothere" in job["error"]["message"]
    assert "pip" in job["error"]["problems"]
    response, data = await call("GET", "/derive/" + "0" * 32)
    assert response.code == 404
    response, data = await call("GET", "/derive/nope")
    assert response.code == 400 and "id" in data["problems"]
