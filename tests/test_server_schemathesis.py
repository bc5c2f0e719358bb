"""schemathesis against /openapi.json on a live server: no 5xx, every response fits its schema.

A real `jupyter server` (subprocess, free port, token) on the local backend with the demo state;
schemathesis (its `st run`, invoked in-process) generates requests for every operation from the
document the server serves, including stateful sequences that follow the API's links.
"""

from __future__ import annotations

import os
import re
import time

import pytest
import schemathesis
from click.testing import CliRunner
from schemathesis.cli import schemathesis as schemathesis_cli

from jupyter_image_versions.commands.demo import seed_demo

from .server_helpers import OPENAPI, PYTHON_BIN, free_port, spawn, stop, wait_for_server

TOKEN = "schemathesis-token"
# The long variant (IMAGE_VERSIONS_LONG=1, docs/reliability.md) runs a larger budget.
LONG = os.environ.get("IMAGE_VERSIONS_LONG") == "1"
MAX_EXAMPLES = 200 if LONG else 10
MAX_SECONDS = 900 if LONG else 30  # schemathesis' own budget for the whole run


@schemathesis.check
def bad_request_names_its_field(ctx, response, case):
    """Every 400 says which input is wrong: `problems` has one entry per field (issue 12)."""
    if response.status_code != 400:
        return None
    body = response.json()
    problems = body.get("problems") if isinstance(body, dict) else None
    if not problems:
        raise AssertionError(f"a 400 that names no field: {body!r:.300}")
    for field, message in problems.items():
        if not (isinstance(field, str) and field and isinstance(message, str) and message):
            raise AssertionError(f"a 400 whose problem is not a field and a message: {body!r:.300}")
    return None


CHECKS = [
    "bad_request_names_its_field",
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("schemathesis")
    db = str(tmp / "state.sqlite")
    seed_demo(db)
    port = free_port()
    command = [
        os.path.join(PYTHON_BIN, "jupyter"),
        "server",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--no-browser",
        f"--IdentityProvider.token={TOKEN}",
        "--ServerApp.jpserver_extensions=jupyter_image_versions=True",
        "--ImageVersionsApp.backend=local",
        f"--ImageVersionsApp.local_db={db}",
        "--ImageVersionsApp.local_create_delay=0.1",
    ]
    if os.getuid() == 0:
        command.append("--allow-root")
    env = {
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
    }
    proc = spawn(command, tmp / "server.log", env=env, cwd=tmp)
    base = f"http://127.0.0.1:{port}/image-versions/api"
    try:
        wait_for_server(proc, f"{base}/context", TOKEN)
        yield base
    finally:
        log = stop(proc)
        assert "Traceback" not in log, log[-4000:]


@pytest.mark.timeout(1200 if LONG else 120)
def test_schemathesis_finds_no_5xx_and_no_schema_violation(live_server, tmp_path, monkeypatch):
    """`st run` in-process: examples, coverage, fuzzing and stateful phases, bounded in time."""
    monkeypatch.chdir(tmp_path)  # schemathesis keeps state in ./.schemathesis
    started = time.monotonic()
    result = CliRunner().invoke(
        schemathesis_cli,
        [
            "run",
            f"{live_server}/openapi.json",
            f"--url={live_server}",
            "--header",
            f"Authorization: token {TOKEN}",
            f"--checks={','.join(CHECKS)}",
            f"--max-examples={MAX_EXAMPLES}",
            f"--max-time={MAX_SECONDS}",
            "--generation-deterministic",
            "--warnings=off",
            "--request-timeout=30",
        ],
        catch_exceptions=False,
    )
    elapsed = time.monotonic() - started
    print(result.output[-3000:])
    print(f"schemathesis ran {elapsed:.0f} s")
    assert result.exit_code == 0, result.output[-8000:]
    assert "No issues found" in result.output
    documented = sum(len(item) for item in OPENAPI["paths"].values())
    # schemathesis leaves out the document's own path (it loaded it to begin with)
    assert f"Tested: {documented - 1}" in result.output
    assert re.search(r"(\d+) generated, \1 passed", result.output)
