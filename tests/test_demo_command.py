"""`jupyter image-versions demo`: seeds the local backend and starts JupyterLab on it."""

from __future__ import annotations

import os
import sys

from jupyter_image_versions.commands.demo import lab_command, seed_demo
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE
from jupyter_image_versions.commands.parser import build_parser

from .server_helpers import PYTHON_BIN, free_port, get_json, spawn, stop, wait_for_server


def check_demo_history(versions: list[dict]) -> None:
    """The seeded history: 5 versions, newest first, aliases, one failed, one to be archived."""
    assert [v["version"] for v in versions] == [5, 4, 3, 2, 1]
    by_number = {v["version"]: v for v in versions}
    assert by_number[5]["aliases"] == ["2.3.0", "latest"]
    assert by_number[2]["aliases"] == ["2.2.0"]
    assert by_number[3]["status"] == "CREATE_FAILED"
    assert "2.4-gpu" in by_number[3]["failure_reason"]
    assert by_number[1]["vendor_guidance"] == "TO_BE_ARCHIVED"
    assert {v["status"] for k, v in by_number.items() if k != 3} == {"CREATED"}


def test_lab_command_line():
    args = build_parser().parse_args(
        ["demo", "--no-browser", "--port", "9999", "--ip", "0.0.0.0", "--", "--foo=bar"]
    )
    argv = lab_command(args, "/tmp/x.sqlite")
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ImageVersionsApp.backend=local" in argv
    assert "--ImageVersionsApp.local_db=/tmp/x.sqlite" in argv
    assert "--ServerApp.jpserver_extensions=jupyter_image_versions=True" in argv
    assert {"--port=9999", "--ip=0.0.0.0", "--no-browser"} <= set(argv)
    assert argv[-1] == "--foo=bar"
    assert ("--allow-root" in argv) == (os.getuid() == 0)


def test_demo_help_offers_no_aws_options():
    """The demo runs on the local backend: no --backend, --region, --profile, --endpoint-url."""
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    demo_help = sub.choices["demo"].format_help()
    assert "--db" in demo_help and "--reset" in demo_help
    for name in ("--backend", "--region", "--profile", "--endpoint-url"):
        assert name not in demo_help
    assert "--endpoint-url" in sub.choices["images"].format_help()


def test_seed_once_and_reset(tmp_path):
    db = str(tmp_path / "demo.sqlite")
    assert seed_demo(db) is True
    assert seed_demo(db) is False
    assert seed_demo(db, reset=True) is True


def test_demo_serves_the_seeded_history(tmp_path):
    port, token = free_port(), "demo-test-token"
    data_dir = tmp_path / "data"
    env = {
        "JUPYTER_DATA_DIR": str(data_dir),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    jupyter = os.path.join(PYTHON_BIN, "jupyter")
    command = [jupyter, "image-versions", "demo", "--no-browser", f"--port={port}"]
    command += ["--", f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"]
    proc = spawn(command, tmp_path / "demo.log", env=env, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}/image-versions/api"
        context = wait_for_server(proc, f"{base}/context", token)
        assert context["backend"] == "local"
        assert context["local_db"] == str(data_dir / "image-versions" / "local.sqlite")
        status, page = get_json(f"{base}/images/{DEMO_IMAGE}/versions", token)
        assert status == 200
        check_demo_history(page["versions"])
        status, _ = get_json(f"{base}/context", "wrong-token")
        assert status == 403
    finally:
        log = stop(proc)
    assert "Demo state seeded" in log
