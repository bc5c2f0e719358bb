"""The CLI on a terminal and off it: the progress line through a pseudo-terminal (pexpect), none
without one, colour and NO_COLOR, tables fitted to the terminal's width."""

from __future__ import annotations

import json
import os
import re
import sys

import pexpect
import pytest

from . import test_cli
from .conftest import ROLE
from .test_cli import REGISTRY, aws, cli

endpoint, endpoint_options = test_cli.endpoint, test_cli.endpoint_options  # its fixtures

COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # SGR: colours and bold
CLI = ["-m", "jupyter_image_versions.commands.cli"]
BASE = f"{REGISTRY}/team/pytorch:2.3-gpu"


def on_terminal(*args: str, env: dict[str, str] | None = None, columns: int = 120) -> str:
    """Run the CLI in a pseudo-terminal; everything it wrote (stdout and stderr), and status 0."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    env |= {"TERM": "xterm-256color", "COLUMNS": str(columns)}
    child = pexpect.spawn(
        sys.executable,
        [*CLI, *args],
        env=env,
        dimensions=(40, columns),
        encoding="utf-8",
        timeout=90,
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    return out


def seeded(url: str) -> None:
    aws(url, "ecr", "create-repository", "--repository-name", "team/pytorch")
    manifest = json.dumps({"schemaVersion": 2, "layers": []})
    put = ("put-image", "--repository-name", "team/pytorch", "--image-tag", "2.3-gpu")
    aws(url, "ecr", *put, "--image-manifest", manifest)


# CREATING for 8 s: the first poll, right after the create, sees it even on a loaded machine.
@pytest.mark.parametrize("endpoint_options", [["--create-delay", "8"]])
def test_register_shows_a_progress_line_on_a_terminal_only(endpoint):
    url = endpoint
    seeded(url)
    new = ("--create-image", "--role", ROLE)
    out = on_terminal("register", "tty-image", BASE, *new, "--endpoint-url", url)
    # The live line (rich, on stderr): the status while AWS creates it, and the time elapsed.
    assert re.search(r"tty-image version 1: CREATING\s*(\x1b\[[0-9;]*m)*\d:\d\d:\d\d", out), out
    assert "Registered tty-image version 1 (CREATED)." in out

    # Without a terminal: plain lines, each status once, no live line, no escape codes.
    done = cli(url, "register", "tty-image", BASE, "--notes", "second")
    assert "\x1b" not in done.stderr + done.stdout and "\r" not in done.stderr
    assert done.stderr.splitlines() == [
        "tty-image version 2: CREATING",
        "tty-image version 2: CREATED",
    ]
    # With --json (or --output/--query) nothing is added: stderr stays empty.
    done = cli(url, "register", "tty-image", BASE, "--notes", "third", "--json")
    assert done.stderr == ""
    assert json.loads(done.stdout)["status"] == "CREATED"


def test_colour_on_a_terminal_and_none_with_no_color(endpoint):
    url = endpoint
    seeded(url)
    for n in (1, 2):
        new = ("--create-image", "--role", ROLE, "--guidance", "STABLE")
        cli(url, "register", "tty-image", BASE, "--notes", str(n), *new)
    coloured = on_terminal("history", "tty-image", "--endpoint-url", url)
    assert "\x1b[32mCREATED" in coloured and "\x1b[32mSTABLE" in coloured  # green
    plain = on_terminal("history", "tty-image", "--endpoint-url", url, env={"NO_COLOR": "1"})
    assert "CREATED" in plain and "STABLE" in plain
    assert not COLOUR.search(plain), repr(plain)
    piped = cli(url, "history", "tty-image").stdout
    assert "\x1b" not in piped and "CREATED" in piped


def test_tables_fit_the_terminal_and_keep_the_tag(endpoint):
    url = endpoint
    seeded(url)
    new = ("--create-image", "--role", ROLE, "--framework", "PyTorch 2.3", "--alias", "latest")
    cli(url, "register", "tty-image", BASE, *new)
    out = on_terminal("history", "tty-image", "--endpoint-url", url, columns=100)
    table = [line for line in COLOUR.sub("", out).splitlines() if "CREATED" in line]
    assert table and all(len(line.rstrip()) <= 100 for line in table), table
    assert table[-1].rstrip().endswith(":2.3-gpu")  # shortened from the left: the tag shows
    # Not a terminal: nothing is cut.
    assert BASE in cli(url, "history", "tty-image").stdout


@pytest.mark.parametrize("endpoint_options", [["--rate-limit", "0.05", "--burst", "1"]])
def test_a_throttled_call_shows_on_the_progress_line(endpoint):
    """A token per 20 s (under the gate's 30 s limit): the second call waits, and the live line
    says so."""
    url = endpoint
    cli(url, "images")
    out = on_terminal("images", "--endpoint-url", url)
    assert re.search(r"list_images: throttled, retrying in \d\.\d s", out), out
