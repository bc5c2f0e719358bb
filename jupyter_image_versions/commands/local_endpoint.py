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

    if args.rate_limit is not None and not 0 < args.rate_limit < float("inf"):
        raise UsageError(f"--rate-limit {args.rate_limit} must be above 0 requests per second")
    if args.burst is not None and not 1 <= args.burst < float("inf"):
        raise UsageError(f"--burst {args.burst} must be at least 1 request")
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
            rate_limit=args.rate_limit,
            burst=args.burst,
            delete_delay=args.delete_delay,
            conflict_rate=args.conflict_rate,
            delete_failure_rate=args.delete_failure_rate,
            seed=args.seed,
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
    p.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="R",
        help="throttle each operation above R requests per second (a token bucket)",
    )
    p.add_argument("--burst", type=float, default=None, metavar="B", help="bucket size (R)")
    p.add_argument(
        "--delete-delay", type=float, metavar="S", help="seconds DELETING (default: create delay)"
    )
    p.add_argument(
        "--conflict-rate",
        type=float,
        default=0.0,
        metavar="R",
        help='CreateImageVersion/UpdateImageVersion refused as "modified concurrently"',
    )
    p.add_argument(
        "--delete-failure-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="deletes that end in DELETE_FAILED",
    )
    p.add_argument("--seed", type=int, metavar="N", help="the injected faults' random seed")
    p.set_defaults(func=cmd_local_endpoint)
