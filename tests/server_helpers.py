"""Helpers for the server tests: JSON requests checked against /openapi.json, live servers."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from jupyter_image_versions.server.openapi import openapi_document

OPENAPI = openapi_document()


def operation_of(method: str, path: str) -> tuple[str, dict]:
    """The OpenAPI path template and operation that serve `method path` (path after the prefix)."""
    for template, item in OPENAPI["paths"].items():
        regex = re.sub(r"\{[^}]+\}", "[^?]+" if "repository" in template else "[^/?]+", template)
        if re.fullmatch(regex, path.split("?")[0]) and method.lower() in item:
            # a more specific template wins: /images/{image} must not eat /images/x/versions
            if template == "/images/{image}" and "/" in path.split("?")[0][len("/images/") :]:
                continue
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in openapi.json")


def check_against_openapi(method: str, path: str, status: int, body: bytes, headers: Any) -> Any:
    """Assert the response is documented for its operation and fits its schema; the JSON."""
    template, op = operation_of(method, path)
    documented = op["responses"].get(str(status))
    assert documented is not None, f"{method} {template} answered undocumented {status}"
    if "content" not in documented:
        assert not body, f"{method} {template} {status} should have no body"
        return None
    assert headers.get("Content-Type", "").startswith("application/json")
    data = json.loads(body)
    schema = documented["content"]["application/json"]["schema"]
    validator = Draft202012Validator(
        {**schema, "components": OPENAPI["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, f"{method} {template} {status} breaks its schema: {errors[0].message}"
    for name in documented.get("headers", {}):
        assert headers.get(name), f"{method} {template} {status} lacks header {name}"
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, token: str, timeout: float = 10) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def wait_for_server(proc: subprocess.Popen, url: str, token: str, timeout: float = 90) -> Any:
    """Poll `url` until it answers 200; fail with the server's output if it dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = output(proc)
            raise AssertionError(f"server exited with {proc.returncode}:\n{out[-4000:]}")
        try:
            status, data = get_json(url, token, timeout=5)
            if status == 200:
                return data
        except (OSError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"no answer from {url} within {timeout} s")


def stop(proc: subprocess.Popen) -> str:
    """Stop a server started by a test (SIGTERM, then SIGKILL) and return its output."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    text = output(proc)
    proc.log_file.close()  # type: ignore[attr-defined]
    return text


def spawn(
    args: list[str], log_path: Any, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.Popen:
    """Start a server process; its output goes to `log_path` (a pipe could fill and block it)."""
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        **kwargs,
    )
    proc.log_file = log  # type: ignore[attr-defined]
    return proc


def output(proc: subprocess.Popen) -> str:
    log = proc.log_file  # type: ignore[attr-defined]
    log.flush()
    with open(log.name) as f:
        return f.read()


PYTHON_BIN = os.path.dirname(sys.executable)


def local_server_config(tmp_path: Any) -> Iterator[Any]:
    """A jp_server_config body: the extension on a local backend in `tmp_path`, nothing else; the
    variables the extension exports for kernels are put back afterwards."""
    from traitlets.config import Config

    from jupyter_image_versions.core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV

    keys = (BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV)
    saved = {k: os.environ.get(k) for k in keys}
    yield Config(
        {
            "ServerApp": {
                "jpserver_extensions": {
                    "jupyter_image_versions": True,
                    "jupyter_server_terminals": False,
                },
                "allow_unauthenticated_access": False,
            },
            "ImageVersionsApp": {
                "backend": "local",
                "local_db": str(tmp_path / "state.sqlite"),
                "local_create_delay": 0,
            },
        }
    )
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
