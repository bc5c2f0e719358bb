"""Crash safety and several processes: SIGKILL the HTTP endpoint during a stream of writes, and
several processes writing to one SQLite file. Afterwards the database passes integrity_check and
holds every write that was acknowledged.

Quick by default; IMAGE_VERSIONS_LONG=1 runs many more kills and operations.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import boto3
import pytest
from botocore.config import Config

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.core.errors import Conflict, SpecError
from jupyter_image_versions.local import LocalEndpoint

from .reliability_helpers import LONG, ROLE

KILLS = 60 if LONG else 3
WRITES_PER_LIFE = 40 if LONG else 15
PROCESSES, ROUNDS = (4, 60) if LONG else (3, 6)
BASE = LocalEndpoint.registry_uri("team/pytorch", "2.3-gpu")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: str, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "jupyter_image_versions.commands.cli", "local-endpoint"]
    cmd += ["--port", str(port), "--db", db, "--create-delay", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"the endpoint did not start: {proc.stderr.read()!r}")


def _rows(db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.timeout(600)
def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path, monkeypatch):
    db, port = str(tmp_path / "state.sqlite"), _free_port()
    seed = LocalEndpoint(db)
    seed.put_ecr_image("team/pytorch", "2.3-gpu")
    seed.handler.sagemaker.CreateImage({"ImageName": "crash", "RoleArn": ROLE})
    seed.close()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    config = Config(retries={"mode": "standard", "max_attempts": 1}, read_timeout=5)
    acknowledged: dict[str, int] = {}  # release notes -> version number
    attempted = 0
    for life in range(KILLS + 1):
        proc = _start(db, port)
        sm = boto3.client(
            "sagemaker",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            config=config,
        )
        kill_at = WRITES_PER_LIFE // 2 + (life * 7) % (WRITES_PER_LIFE // 2)
        for n in range(WRITES_PER_LIFE):
            if n == kill_at and life < KILLS:
                os.kill(proc.pid, signal.SIGKILL)  # mid-stream: writes may be in flight
            notes = f"life{life}-w{n}"
            attempted += 1
            try:
                out = sm.create_image_version(
                    ImageName="crash", BaseImage=BASE, ClientToken=notes, ReleaseNotes=notes
                )
            except Exception:  # the endpoint is dead: unacknowledged
                continue
            acknowledged[notes] = int(out["ImageVersionArn"].rsplit("/", 1)[1])
        proc.kill()
        proc.wait(10)
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = dict(_rows(db, "SELECT release_notes, version FROM versions WHERE image = 'crash'"))
    lost = {k: v for k, v in acknowledged.items() if stored.get(k) != v}
    versions = [v for _, v in _rows(db, "SELECT release_notes, version FROM versions")]
    print(
        f"\nSIGKILL: {KILLS} kills, {attempted} writes attempted, {len(acknowledged)} "
        f"acknowledged, {len(lost)} lost, {len(stored)} stored"
    )
    assert not lost
    assert len(versions) == len(set(versions))
    assert len(acknowledged) >= KILLS  # the stream did write between the kills


def _writer(db: str, worker: int, rounds: int) -> None:
    iv = ImageVersions.local(db, create_delay=0)
    try:
        for n in range(rounds):
            notes = f"p{worker}-{n}"
            version = iv.register(ImageVersionSpec("shared", BASE, release_notes=notes), wait=False)
            # losing the race to other movers is one clear error (Conflict, or AWS's "already
            # associated"): allowed; the alias is then still on a version (checked below)
            with contextlib.suppress(Conflict, SpecError):
                iv.move_alias("shared", "current", version.version)
            iv.update("shared", version.version, vendor_guidance="STABLE")
    finally:
        iv.close()


@pytest.mark.timeout(600)
def test_several_processes_on_one_sqlite_file(tmp_path):
    db = str(tmp_path / "shared.sqlite")
    seed = ImageVersions.local(db, create_delay=0)
    seed.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    seed.create_image("shared", role_arn=ROLE)
    seed.close()
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(db, w, ROUNDS)) for w in range(PROCESSES)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(300)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    rows = _rows(db, "SELECT version, release_notes FROM versions WHERE image = 'shared'")
    assert sorted(v for v, _ in rows) == list(range(1, PROCESSES * ROUNDS + 1))
    assert len({notes for _, notes in rows}) == len(rows)
    aliases = _rows(db, "SELECT alias, version FROM aliases WHERE image = 'shared'")
    assert len(aliases) == 1 and aliases[0][0] == "current"
    print(f"\n{PROCESSES} processes x {ROUNDS} rounds x 3 operations on one file: consistent")
