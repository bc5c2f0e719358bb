"""`derive TARGET --pip SPEC... --tag TAG`: a new image from a version by adding Python
packages and files, without Docker; optionally registered as the next version."""

from __future__ import annotations

import argparse
from typing import Any

from ..derive.request import DeriveRequest
from ..derive.resolve import PipOptions
from .base import Context, Outcome, UsageError, parse_target


def request_from_args(args: argparse.Namespace) -> DeriveRequest:
    """The grammar's arguments as a `DeriveRequest` (checked whole by the service)."""
    files = []
    for item in args.file or []:
        local, sep, path = item.partition(":")
        if not sep or not local or not path:
            raise UsageError(f"--file {item!r} must be LOCAL:/path/in/image")
        files.append((local, path))
    target: dict[str, Any] = {}
    if ".dkr.ecr." in args.target:
        target["base_image"] = args.target
    else:
        parsed = parse_target(args.target, need="selector")
        target.update(image_name=parsed.image, version=parsed.version, alias=parsed.alias)
    return DeriveRequest(
        tag=args.tag,
        pip=list(args.pip or []),
        requirements=list(args.requirements or []),
        files=files,
        env=list(args.env or []),
        repository=args.repository,
        python=args.python,
        allow_upgrade=args.allow_upgrade,
        dry_run=args.dry_run,
        register=args.register,
        new_alias=args.alias,
        force=args.force,
        pip_options=PipOptions(
            args.index_url,
            list(args.extra_index_url or []),
            list(args.find_links or []),
            args.no_index,
        ),
        **target,
    )


def plan_lines(plan: dict[str, Any]) -> list[str]:
    target = plan["target"]
    lines = [
        f"Plan for {plan['base_image']} ({plan['base_digest'][:19]})",
        f"  Python {target['python_version']} at {target['interpreter']}, into "
        f"{target['site_packages']} ({target['platforms'][0]})",
    ]
    lines += [f"  add      {p['name']} {p['version']}" for p in plan["add"]]
    lines += [f"  upgrade  {p['name']} {p['replaces']} -> {p['version']}" for p in plan["upgrade"]]
    lines += [f"  file     {f['path']} (from {f['local']})" for f in plan["files"]]
    lines += [f"  env      {e}" for e in plan["env"]]
    return lines


def result_text(data: dict[str, Any]) -> str:
    lines = plan_lines(data["plan"])
    pushed, layer, version = data["pushed"], data["layer"], data["version"]
    if pushed is None:
        return "\n".join([*lines, "dry run: nothing downloaded or pushed"])
    lines.append(
        f"Layer {layer['digest'][:19]}: {layer['size']:,} bytes, {layer['files']} files, "
        f"{layer['whiteouts']} whiteouts"
    )
    state = "already there" if pushed["existed"] else f"{pushed['bytes_uploaded']:,} bytes uploaded"
    lines.append(f"Pushed {pushed['uri']} ({state})")
    if data["new_errors"]:
        lines.append(
            "Doctor: new errors, pushed anyway (--force): " + "; ".join(data["new_errors"])
        )
    if version:
        lines.append(
            f"Registered {version['image_name']}:{version['version']} ({version['status']})"
        )
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in data["seconds"].items())
    lines.append(f"Time: {seconds}")
    return "\n".join(lines)


def _reporter(ctx: Context) -> Any:
    def show(stage: str, info: dict[str, Any]) -> None:
        if stage == "planned":
            ctx.progress.step("\n".join(plan_lines(info["plan"])), key="plan")
        elif "bytes_total" in info:
            sent, total = info["bytes_sent"] / 1e6, info["bytes_total"] / 1e6
            ctx.progress.step(f"pushing: {sent:.1f} of {total:.1f} MB", key=("push", sent))
        elif stage != "done":
            ctx.progress.step(f"{stage}…", key=stage)

    return show


def cmd_derive(args: argparse.Namespace, ctx: Context) -> Outcome:
    if args.alias is not None and not args.register:
        raise UsageError("--alias needs --register")
    request = request_from_args(args)
    result = ctx.service.derive(request, _reporter(ctx))
    ctx.progress.finish()
    data = result.to_dict()
    title = f"Derive: {args.target} -> {args.tag}"
    return Outcome(result, result_text(data), data, "code", title=title)


def add_commands(sub: Any, magic: bool) -> None:
    """Add `derive` to the shared grammar."""
    p = sub.add_parser(
        "derive",
        help="a new image from a version: add Python packages and files, push, register",
        description="Resolve wheels for the image's platform with pip, unpack them into one new "
        "layer, push it through ECR's API and (with --register) register the next version. "
        "No Docker needed.",
    )
    p.add_argument(
        "target",
        metavar="TARGET",
        help="IMAGE:VERSION, IMAGE@ALIAS (that version's base image) or an ECR URI",
    )
    p.add_argument("--pip", nargs="+", action="extend", metavar="SPEC", help="requirements")
    p.add_argument(
        "--requirements", "-r", action="append", metavar="FILE", help="a requirements file"
    )
    p.add_argument("--file", action="append", metavar="LOCAL:PATH", help="add a file to the image")
    p.add_argument("--env", action="append", metavar="K=V", help="append to the config's Env")
    p.add_argument("--tag", required=True, help="the new image's tag")
    p.add_argument("--repository", help="push into this ECR repository (default: the base's)")
    p.add_argument("--python", metavar="PATH", help="the image's interpreter (default python3)")
    p.add_argument("--allow-upgrade", action="store_true", help="let installed packages change")
    p.add_argument("--dry-run", action="store_true", help="show the plan, push nothing")
    p.add_argument("--register", action="store_true", help="register the next version")
    p.add_argument("--alias", help="with --register: the new version's alias")
    p.add_argument("--force", action="store_true", help="go on despite new doctor errors")
    p.add_argument("--index-url", help="pip's index")
    p.add_argument("--extra-index-url", action="append", metavar="URL", help="another index")
    p.add_argument("--find-links", action="append", metavar="DIR_OR_URL", help="wheels here")
    p.add_argument("--no-index", action="store_true", help="only --find-links")
    p.set_defaults(func=cmd_derive)
