"""`doctor`: will Studio start this image? Part of the grammar (parser.py)."""

from __future__ import annotations

import argparse
from typing import Any

from ..core.labels import count
from .base import Context, Outcome, UsageError, parse_target
from .progress import layer_progress
from .text import Styled

APP_TYPES = ("JupyterLab", "CodeEditor", "KernelGateway")
_MARK = {"error": "ERROR", "warning": "warn ", "info": "info "}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def resolve_base_image(service: Any, target: str) -> str:
    """An ECR URI as given, or the base image of IMAGE:VERSION / IMAGE@ALIAS."""
    if ".dkr.ecr." in target:
        return target
    parsed = parse_target(target, need="selector")
    version = service.get(parsed.image, version=parsed.version, alias=parsed.alias)
    return version.base_image


def report_text(data: dict[str, Any]) -> str:
    """The doctor's report as lines for a terminal."""
    user = data["user"]
    platform = data["platform"]
    kernels = ", ".join(k["name"] for k in data["kernels"]) or "none"
    lines = [
        f"{data['base_image']} ({data['digest']})",
        f"  for {data['app_type']}: {platform['os']}/{platform['architecture']}, user "
        f"{user.get('name') or '?'} ({user.get('uid')}/{user.get('gid')}), workdir "
        f"{data['workdir']}, kernels: {kernels}",
    ]
    spans: list[tuple[int, int, str]] = []
    for finding in data["findings"]:
        mark = _MARK[finding["severity"]]
        start = sum(len(line) + 1 for line in lines) + 2
        spans.append((start, start + len(mark.rstrip()), _STYLE[finding["severity"]]))
        lines.append(f"  {mark} {finding['code']}: {finding['message']}")
    errors = sum(f["severity"] == "error" for f in data["findings"])
    cost = (
        "from the cache"
        if data["cached"]
        else (f"{data['layers_scanned']} layers, {data['bytes_read']:,} bytes read")
    )
    verdict = f"{count(errors, 'problem')}: Studio will not start it" if errors else "no problems"
    start = sum(len(line) + 1 for line in lines) + 2
    spans.append((start, start + len(verdict), "bold red" if errors else "green"))
    lines.append(f"  {verdict} ({cost})")
    return Styled.make("\n".join(lines), spans)


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> Outcome:
    for name in ("uid", "gid"):
        value = getattr(args, name)
        if value is not None and not 0 <= value <= 65535:
            raise UsageError(f"--{name} must be a whole number from 0 to 65535")
    if args.max_mb is not None and args.max_mb <= 0:
        raise UsageError("--max-mb must be a positive number of MiB")
    service = ctx.service
    base_image = resolve_base_image(service, args.target)
    report = service.doctor(
        base_image,
        args.app_type,
        uid=args.uid,
        gid=args.gid,
        kernel_names=args.kernel_name or None,
        max_bytes=int(args.max_mb * 1024 * 1024) if args.max_mb else None,
        max_seconds=args.max_seconds,
        on_progress=layer_progress(ctx.progress),
    )
    ctx.progress.finish()
    data = report.to_dict()
    status = 0 if report.ok else 1
    title = f"Doctor: {base_image}"
    return Outcome(data, report_text(data), data, "doctor", title=title, exit_status=status)


def add_commands(sub: Any, magic: bool) -> None:
    """Add `doctor` to the shared grammar."""
    p = sub.add_parser(
        "doctor",
        help="read an image from ECR (without pulling it) and say whether Studio can start it",
        epilog="exit status: 0 no finding is an error, 1 a finding is an error (or an AWS "
        "error), 2 usage",
    )
    p.add_argument(
        "target",
        metavar="TARGET",
        help="ECR URI (tag or digest), IMAGE:VERSION or IMAGE@ALIAS (that version's base image)",
    )
    p.add_argument("--app-type", default="JupyterLab", choices=APP_TYPES, help="Studio app type")
    p.add_argument("--uid", type=int, help="the AppImageConfig's uid, to compare")
    p.add_argument("--gid", type=int, help="the AppImageConfig's gid, to compare")
    p.add_argument(
        "--kernel-name",
        action="append",
        metavar="NAME",
        help="a KernelSpecs name that must be in the image (repeatable)",
    )
    p.add_argument("--max-mb", type=float, help="byte budget in MiB (default 8192)")
    p.add_argument("--max-seconds", type=float, help="time budget (default 600)")
    p.set_defaults(func=cmd_doctor)
