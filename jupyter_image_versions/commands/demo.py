"""`jupyter image-versions demo`: JupyterLab with the extension on the local backend, demo data."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV, default_local_db
from .base import UsageError
from .checks import PORT, check_db, whole_number


def add_commands(sub: Any, magic: bool) -> None:
    """Register `demo` (CLI only: it replaces the process with JupyterLab)."""
    if magic:
        return
    # The class's add_parser, not the instance's (which adds --backend, --region, --profile and
    # --endpoint-url): the demo always runs on the local backend.
    p = type(sub).add_parser(
        sub,
        "demo",
        help="JupyterLab on the local backend with demo data (no AWS account needed)",
        description="Seed the demo state into the local backend's SQLite file, then start "
        "JupyterLab with the image-versions extension on it. Arguments after -- go to "
        "JupyterLab, e.g. -- --IdentityProvider.token=secret",
    )
    p.add_argument("--db", help=f"SQLite file (default: ${LOCAL_DB_ENV} or the Jupyter data dir)")
    p.add_argument("--reset", action="store_true", help="start from a fresh demo state")
    p.add_argument("--port", type=whole_number(*PORT), help="JupyterLab's port")
    p.add_argument("--ip", help="JupyterLab's address")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--create-delay",
        type=float,
        default=2.0,
        metavar="S",
        help="seconds a new version stays CREATING (default 2)",
    )
    p.add_argument("lab_args", nargs=argparse.REMAINDER, help="-- then JupyterLab arguments")
    p.set_defaults(func=cmd_demo)


def lab_command(args: argparse.Namespace, db: str) -> list[str]:
    """The `jupyter lab` command line the demo runs."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.jpserver_extensions=jupyter_image_versions=True",
        "--ImageVersionsApp.backend=local",
        f"--ImageVersionsApp.local_db={db}",
        f"--ImageVersionsApp.local_create_delay={args.create_delay}",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        argv.append("--allow-root")
    if args.port is not None:
        argv.append(f"--port={args.port}")
    if args.ip:
        argv.append(f"--ip={args.ip}")
    if args.no_browser:
        argv.append("--no-browser")
    extra = list(args.lab_args or [])
    if extra[:1] == ["--"]:
        extra = extra[1:]
    return argv + extra


def seed_demo(db: str, reset: bool = False) -> bool:
    """Create the demo state in `db` (once); True when it was created now."""
    from ..api import ImageVersions
    from .demo_data import seed

    path = Path(db)
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    service = ImageVersions.local(db, create_delay=0.1)
    try:
        return seed(service)
    finally:
        service.close()
        service.endpoint.close()


def cmd_demo(args: argparse.Namespace, ctx: Any) -> None:
    from .demo_data import DEMO_IMAGE, DEMO_REPOSITORY

    label = "--db" if args.db else f"${LOCAL_DB_ENV}"
    db = str(Path(args.db).resolve()) if args.db else default_local_db()
    try:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{label}: cannot create the directory of {db}: {exc.strerror}") from None
    created = seed_demo(check_db(db, label), reset=args.reset)
    state = "seeded" if created else "already there"
    print(
        f"Demo state {state} in {db}: image {DEMO_IMAGE}, ECR repository {DEMO_REPOSITORY}.\n"
        "Starting JupyterLab on the local backend (no AWS account is used)...",
        flush=True,
    )
    os.environ[BACKEND_ENV] = "local"
    os.environ[LOCAL_DB_ENV] = db
    os.environ[LOCAL_DELAY_ENV] = str(args.create_delay)
    argv = lab_command(args, db)
    os.execv(argv[0], argv)
