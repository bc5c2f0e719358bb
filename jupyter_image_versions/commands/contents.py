"""`contents`: what is inside an image version (packages, OS, Python, CUDA), read from ECR
without pulling it. Part of the grammar (parser.py); diff, find and sbom join this topic."""

from __future__ import annotations

import argparse
from typing import Any

from ..contents.model import ECOSYSTEMS, Inventory
from .base import Context, Outcome, UsageError
from .text import Styled, text_table

MAX_FILTER = 200


def progress_reporter(ctx: Context, what: str = "reading layers") -> Any:
    """The image reader's progress (layers done, bytes) as `ctx.progress` steps."""

    def show(progress: dict[str, Any]) -> None:
        read, total = progress["bytes_read"] / 1e6, progress["bytes_total"] / 1e6
        done = progress["layers_done"]
        ctx.progress.step(f"{what}: {done} done, {read:.1f} of {total:.1f} MB", key=done)

    return show


def filtered(data: dict[str, Any], ecosystem: str | None, text: str | None) -> dict[str, Any]:
    """The inventory's JSON with only the packages of ``ecosystem`` whose name holds ``text``."""
    needle = (text or "").lower()
    packages = [
        p
        for p in data["packages"]
        if (ecosystem is None or p["ecosystem"] == ecosystem) and needle in p["name"].lower()
    ]
    return {**data, "packages": packages}


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The OS / architecture / Python / CUDA / size lines above the package table."""
    os_info = data["os"]
    pythons = ", ".join(
        f"{p['path']} {p['version']}" + (" (default)" if p["default"] else "")
        for p in data["python"]
    )
    size = data["size"]
    uncompressed = size["uncompressed"]
    sizes = f"{size['compressed'] / 1e6:.1f} MB compressed" + (
        f", {uncompressed / 1e6:.1f} MB uncompressed" if uncompressed is not None else ""
    )
    cost = "from the cache" if data["cached"] else f"{data['bytes_read']:,} bytes read"
    return [
        f"{data.get('uri') or ''} ({data['digest']})",
        f"  OS: {os_info.get('pretty_name') or os_info.get('id') or 'unknown'}, "
        f"{data['architecture'] or '?'}; CUDA: {data['cuda'] or 'none'}",
        f"  Python: {pythons or 'none'}",
        f"  {sizes}, {data['layers']} layers ({cost})",
    ]


def contents_text(data: dict[str, Any], width: int | None = None) -> Styled:
    """The summary, then one row per package (ecosystem, name, version, installer, location)."""
    rows = [
        (p["ecosystem"], p["name"], p["version"], p["installer"], p["location"])
        for p in data["packages"]
    ]
    lines = summary_lines(data)
    if not rows:
        return Styled.make("\n".join([*lines, "  no package matches"]))
    table = text_table(
        ("ECOSYSTEM", "NAME", "VERSION", "INSTALLER", "LOCATION"),
        rows,
        width=width,
        shrink={4: (16, "left"), 1: (16, "right")},
        drop=(4, 3),
    )
    return Styled.make("\n".join([*lines, "", ""])) + table


def cmd_contents(args: argparse.Namespace, ctx: Context) -> Outcome:
    if args.filter is not None and len(args.filter) > MAX_FILTER:
        raise UsageError(f"--filter must be at most {MAX_FILTER} characters")
    inventory: Inventory = ctx.service.contents(args.target, on_progress=progress_reporter(ctx))
    ctx.progress.finish()
    data = filtered(inventory.to_dict(), args.ecosystem, args.filter)
    return Outcome(
        inventory, contents_text(data), data, "contents", title=f"Contents: {args.target}"
    )


def add_commands(sub: Any, magic: bool) -> None:
    """Add `contents` to the shared grammar."""
    p = sub.add_parser(
        "contents",
        help="what is inside an image version: packages (pypi, conda, deb, apk), OS, Python, "
        "CUDA, read from ECR without pulling it",
    )
    p.add_argument(
        "target",
        metavar="TARGET",
        help="IMAGE:VERSION, IMAGE@ALIAS (that version's base image) or an ECR URI",
    )
    p.add_argument("--ecosystem", choices=ECOSYSTEMS, help="only this ecosystem's packages")
    p.add_argument("--filter", metavar="TEXT", help="only packages whose name holds TEXT")
    p.set_defaults(func=cmd_contents)
