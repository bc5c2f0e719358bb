"""Issue 12's input defects: invalid text, bad numbers and paths, the lifecycle script, the
endpoint's Host check. Every refusal is one line naming what is wrong; never a traceback."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys

import pytest

from jupyter_image_versions import ImageVersionSpec
from jupyter_image_versions.commands.cli import main
from jupyter_image_versions.core.errors import SpecError
from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.http_server import host_allowed
from jupyter_image_versions.studio import lcc_script as lcc

URI = "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/pytorch:2.3-gpu"
LONE = "ok\ud800"
CLI = [sys.executable, "-m", "jupyter_image_versions.commands.cli"]
TEXT_FIELDS = ("image_name", "base_image", "ml_framework", "programming_lang", "processor")
TEXT_FIELDS += ("job_type", "release_notes", "vendor_guidance")


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# -- lone surrogates (defect 5) -----------------------------------------------------------------


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_spec_refuses_a_lone_surrogate_in_every_text_field(name):
    spec = ImageVersionSpec(**({"image_name": "img", "base_image": URI} | {name: LONE}))
    problems = spec.problems()
    # the message names no API field (each front end names it its own way): the key does
    assert "not valid text" in problems[name] and not problems[name].startswith(name)
    problems["x"] = "\n".join(problems.values())
    problems["x"].encode("utf-8")  # the message itself is printable anywhere


def test_spec_refuses_a_lone_surrogate_in_an_alias():
    assert "not valid text" in ImageVersionSpec("img", URI, aliases=[LONE]).problems()["aliases"]


def test_update_and_move_refuse_invalid_text_before_any_request(iv, image):
    before = iv.endpoint.request_count
    with pytest.raises(SpecError, match="Release notes is not valid text"):
        iv.update(image, 1, release_notes=LONE)
    with pytest.raises(SpecError, match="not valid text"):
        iv.move_alias(image, LONE, 1)
    assert iv.endpoint.request_count == before


def test_cli_refuses_invalid_utf8_naming_the_option(capsys):
    assert main(["register", "img", URI, "--notes", "bad\udcff", "--backend", "local"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "--notes" in line and "not valid text" in line
    assert main(["studio", "lcc", "--app-type", "JupyterLab", "--install", "x\udcff"]) == 2
    assert "--install" in _one_error_line(capsys.readouterr().err)


def test_cli_with_real_invalid_utf8_bytes_is_one_line():
    argv = [*CLI, "studio", "lcc", "--app-type", "JupyterLab", "--install", b"pkg\xff"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--install" in _one_error_line(done.stderr)


# -- numbers, ports and paths (defects 6 and 7) ------------------------------------------------


@pytest.mark.parametrize("limit", ["-5", "0", "10001", "99999999999999999999", "x"])
def test_history_limit_out_of_range_names_the_option(limit, capsys):
    assert main(["history", "img", "--limit", limit, "--backend", "local"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "--limit" in line and "1 to 10000" in line


def test_magic_refuses_the_same_limits(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    assert shell.run_line_magic("imageversion", "history img --limit 0") is None
    assert "--limit" in _one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_local_endpoint_bad_port_is_one_line(port, capsys):
    assert main(["local-endpoint", "--port", port, "--db", ":memory:"]) == 2
    assert "--port" in _one_error_line(capsys.readouterr().err)


def test_local_endpoint_port_in_use_is_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        argv = [*CLI, "local-endpoint", "--port", port, "--db", ":memory:"]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert f"--port {port}" in line and "cannot listen" in line


def test_db_in_a_missing_directory_or_a_directory_is_one_line(tmp_path, monkeypatch, capsys):
    missing = str(tmp_path / "nope" / "db.sqlite")
    assert main(["local-endpoint", "--db", missing, "--port", "0"]) == 2
    assert "--db" in _one_error_line(capsys.readouterr().err)
    assert main(["local-endpoint", "--db", str(tmp_path), "--port", "0"]) == 2
    assert "is a directory" in _one_error_line(capsys.readouterr().err)
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", str(tmp_path))
    assert main(["images", "--backend", "local"]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert "JUPYTER_IMAGE_VERSIONS_LOCAL_DB" in line and "is a directory" in line
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", missing)
    assert main(["images", "--backend", "local"]) == 1
    assert "does not exist" in _one_error_line(capsys.readouterr().err)
    assert main(["demo", "--db", str(tmp_path)]) == 2
    assert "--db" in _one_error_line(capsys.readouterr().err)
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["demo", "--db", str(blocker / "db.sqlite")]) == 2
    assert "--db" in _one_error_line(capsys.readouterr().err)


# -- the lifecycle script (defect 8) -----------------------------------------------------------


def test_install_with_a_tilde_is_refused():
    with pytest.raises(SpecError, match="'~'"):
        lcc.lifecycle_script("JupyterLab", "~/x.whl")


PRESIGNED = (
    "https://bucket.s3.amazonaws.com/w/jupyter_image_versions-0.1.0-py3-none-any.whl"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1"
    "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
    "&X-Amz-Security-Token=FwoGZXIvYXdzSECRET&X-Amz-Signature=deadbeefcafe"
)


def test_presigned_url_secrets_are_redacted_and_the_script_lints(tmp_path):
    shown = lcc.redacted(PRESIGNED)
    for secret in ("AKIAEXAMPLE", "FwoGZXIvYXdzSECRET", "deadbeefcafe"):
        assert secret not in shown
    assert "X-Amz-Signature=***" in shown and "X-Amz-Expires=3600" in shown
    script = lcc.lifecycle_script("JupyterLab", PRESIGNED)
    path = tmp_path / "lcc.sh"
    path.write_text(script)
    lint = subprocess.run(["shellcheck", "--severity=style", str(path)], capture_output=True)
    assert (lint.returncode, lint.stdout) == (0, b"")
    shown_line = next(line for line in script.splitlines() if line.startswith("SHOWN="))
    assert "deadbeefcafe" not in shown_line


# -- the endpoint's Host check (defect 9) and deep JSON (defect 4) -------------------------------


@pytest.mark.parametrize(
    "host,ok",
    [
        ("127.0.0.1:4599", True),
        ("localhost:4599", True),
        ("[::1]:4599", True),
        ("127.1.2.3", True),
        ("evil.example:4599", False),
        ("127.0.0.1.evil.example", False),
        ("", False),
    ],
)
def test_host_allowed(host, ok):
    assert host_allowed(host, "127.0.0.1") is ok


def test_http_endpoint_refuses_a_foreign_host_header():
    endpoint = LocalEndpoint(":memory:")
    server = endpoint.serve_http(port=0)
    try:
        for host, status in (("rebound.example.com", 403), (f"localhost:{server.port}", 200)):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request(
                "POST",
                "/",
                body=b"{}",
                headers={"Host": host, "X-Amz-Target": "SageMaker.ListImages"},
            )
            answer = conn.getresponse()
            assert answer.status == status, answer.read()
            conn.close()
    finally:
        server.shutdown()
        endpoint.close()


def test_local_endpoint_answers_deep_json_with_400():
    endpoint = LocalEndpoint(":memory:")
    status, _, body = endpoint.handle("SageMaker.ListImages", b"[" * 100_000)
    endpoint.close()
    assert status == 400 and b"SerializationException" in body


def test_panel_shows_invalid_text_inline_and_sends_nothing():
    from jupyter_image_versions import ImageVersions
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    from .conftest import ROLE

    service = ImageVersions.local(":memory:", create_delay=0.2)
    service.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    service.create_image("my-image", role_arn=ROLE)
    panel = ImageVersionPanel("my-image", service=service, page_size=3)
    try:
        assert panel.wait_idle(20)
        form = panel.form
        form.base_image.value = service.endpoint.registry_uri("team/pytorch", "2.3-gpu")
        for widget in (form.release_notes, form.ml_framework, form.aliases):
            good = widget.value
            widget.value = "x\ud800"
            messages = [p.value for p in panel.problems.values() if p.value]
            assert len(messages) == 1 and "not valid text" in messages[0], messages
            assert form.register_button.disabled
            widget.value = good
        assert not form.register_button.disabled
    finally:
        panel.close()
        service.close()
