"""binder/: in a fresh virtual environment, do what mybinder.org does (requirements.txt, postBuild,
then every command through start) and check the server is on the local backend with the demo."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_image_versions import __version__
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE

from .server_helpers import free_port, get_json, spawn, stop, wait_for_server
from .test_demo_command import check_demo_history

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"


# The slowest tests build the wheel in the checkout (pip, jlpm): one worker runs them in turn.
@pytest.mark.slow
@pytest.mark.xdist_group("wheel-build")
@pytest.mark.timeout(420)
def test_binder_postbuild_and_start(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV")) or k == "PYTHONHASHSEED"
    }
    env |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "HOME": str(home),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    if "XDG_CACHE_HOME" not in env and "HOME" in os.environ:
        # keep using the machine's pip cache although HOME is a fresh directory
        env["XDG_CACHE_HOME"] = str(Path(os.environ["HOME"]) / ".cache")

    def run(*command: str) -> str:
        result = subprocess.run(
            command, env=env, cwd=REPO, capture_output=True, text=True, timeout=360
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{command} failed:\n{output[-4000:]}"
        return output

    run("python", "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt"))
    run(str(BINDER / "postBuild"))
    assert (home / ".image-versions" / "demo.sqlite").is_file()
    # installed from the wheel, the server extension is enabled by its jupyter_server_config.d file
    listing = run("jupyter", "server", "extension", "list")
    assert str(venv / "etc" / "jupyter") in listing
    assert "jupyter_image_versions enabled" in _plain(listing)
    assert f"jupyter_image_versions {__version__} OK" in _plain(listing)

    port, token = free_port(), "binder-test-token"
    command = [str(BINDER / "start"), "jupyter", "lab", "--no-browser", f"--port={port}"]
    command += ["--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    if os.getuid() == 0:
        command.append("--allow-root")
    proc = spawn(command, tmp_path / "server.log", env=env, cwd=home)
    try:
        base = f"http://127.0.0.1:{port}/image-versions/api"
        context = wait_for_server(proc, f"{base}/context", token)
        assert context["backend"] == "local"
        assert context["local_db"] == str(home / ".image-versions" / "demo.sqlite")
        status, page = get_json(f"{base}/images/{DEMO_IMAGE}/versions", token)
        assert status == 200
        check_demo_history(page["versions"])
    finally:
        log = stop(proc)
    assert "image-versions: local backend" in log


def _plain(text: str) -> str:
    """Without terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
