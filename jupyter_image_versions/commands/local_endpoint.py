"""`local-endpoint`: serve the embedded SageMaker + ECR endpoint over HTTP (CLI only)."""

from __future__ import annotations

import argparse
import sqlite3
from typing import Any

from ..core.backend import LOCAL_DB_ENV, default_local_db
from .base import Context, UsageError
from .checks import PORT, check_db, whole_number


def cmd_local_endpoint(args: argparse.Namespace, ctx: Context) -> None:
    from ..local import main_http  # the endpoint's modules load only for this command

    label = "--db" if args.db else f"${LOCAL_DB_ENV}"
    db = check_db(args.db or default_local_db(), label)
    try:
        main_http(
            host=args.host,
            port=args.port,
            db=db,
            create_delay=args.create_delay,
            latency_ms=args.latency_ms,
            throttle_rate=args.throttle_rate,
            error_rate=args.error_rate,
        )
    except sqlite3.Error as exc:
        raise UsageError(f"{label}: {db}: {exc}") from None
    except OSError as exc:  # the port is in use, or the address is not this machine's
        reason = exc.strerror or str(exc)
        raise UsageError(f"--port {args.port} on {args.host}: cannot listen: {reason}") from None


def add_commands(sub: Any, magic: bool) -> None:
    """Add `local-endpoint` (not in the magic: a kernel should not serve HTTP)."""
    if magic:
        return
    p = sub.add_parser("local-endpoint", help="serve the local SageMaker + ECR endpoint")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=whole_number(*PORT), default=4599)
    p.add_argument("--db", help="SQLite file (default: the Jupyter data directory)")
    p.add_argument("--create-delay", type=float, default=2.0, metavar="S")
    p.add_argument("--latency-ms", type=int, default=0, metavar="N")
    p.add_argument("--throttle-rate", type=float, default=0.0, metavar="R")
    p.add_argument("--error-rate", type=float, default=0.0, metavar="R")
    p.set_defaults(func=cmd_local_endpoint)
