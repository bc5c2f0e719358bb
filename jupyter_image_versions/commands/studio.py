"""The Studio subcommands of the shared grammar: `studio context`, `studio lcc`, `attach`,
`detach`. Part of the grammar (parser.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..core.errors import SpecError
from .base import Context, Outcome, UsageError, common_options, parse_target


def cmd_studio_context(args: argparse.Namespace, ctx: Context) -> Outcome:
    service = ctx.service
    studio = service.studio_context()
    if studio is None:
        text = "Not in SageMaker Studio (no resource metadata file, no Studio environment)."
        return Outcome(None, text, None, "message")
    data = studio.to_dict()
    if not data.get("execution_role"):
        data["execution_role"] = service.execution_role()
    lines = [f"{key}: {value}" for key, value in data.items() if value is not None]
    return Outcome(studio, "\n".join(lines), data, "table")


def cmd_studio_lcc(args: argparse.Namespace, ctx: Context) -> Outcome:
    from ..studio import lcc_script as lcc

    script = lcc.lifecycle_script(args.app_type, args.install)
    content = lcc.encode(script)
    data: dict[str, Any] = {
        "app_type": args.app_type,
        "install": args.install,
        "base64_length": len(content),
        "max_base64_length": lcc.max_content_length(),
    }
    notes = []
    if args.output:
        path = Path(args.output)
        try:
            path.write_text(script, encoding="utf-8")
            os.chmod(path, 0o755)
        except OSError as exc:
            raise SpecError({"output": f"--output {path}: {exc.strerror or exc}"}) from None
        data["output"] = str(path)
        notes.append(f"Wrote {path} ({len(content)} of {data['max_base64_length']} base64 chars).")
    domain, profile = _attach_target(args)
    if (domain or profile) and not args.create:
        raise UsageError("--attach-domain/--attach-user-profile need --create NAME")
    if args.create:
        arn = ctx.service.create_lifecycle_config(args.create, content, args.app_type)
        data["arn"] = arn
        notes.append(f"Created Studio lifecycle config {arn}.")
        if domain:
            arns = ctx.service.attach_lifecycle_config(
                arn, args.app_type, domain_id=domain, user_profile=profile, default=args.default
            )
            where = f"user profile {profile} of {domain}" if profile else f"domain {domain}"
            data["attached_to"] = {"domain_id": domain, "user_profile": profile}
            data["lifecycle_config_arns"] = arns
            notes.append(f"Allowed it for {args.app_type} apps of {where}.")
    if not notes:
        data["script"] = script
        return Outcome(script, script.rstrip("\n"), data, "code")
    text = "\n".join(notes)
    return Outcome(data, text, data, "code")


def _attach_target(args: argparse.Namespace) -> tuple[str | None, str | None]:
    if args.attach_user_profile:
        domain, sep, profile = args.attach_user_profile.partition("/")
        if not sep or not domain or not profile:
            raise UsageError("--attach-user-profile must be DOMAIN_ID/PROFILE, like d-abc/alice")
        return domain, profile
    return args.attach_domain, None


def cmd_attach(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target, need="selector")
    service = ctx.service
    version = target.version
    if version is None:
        version = service.get(target.image, alias=target.alias).version
    result = service.attach(
        target.image,
        version,
        domain_id=args.domain,
        app_type=args.app_type,
        user_profile=args.user_profile,
        kernel_name=args.kernel_name,
        display_name=args.display_name,
        uid=args.uid,
        gid=args.gid,
        mount_path=args.mount_path,
        force=getattr(args, "force", False),
    )
    text = (
        f"Attached {target.image}:{version} to {_where(result)} as a {args.app_type} image "
        f"(AppImageConfig {result['app_image_config']})."
    )
    doctor = result.get("doctor") or {}
    if not doctor.get("checked"):
        text += f"\nThe image was not checked: {doctor.get('reason')}"
    for finding in doctor.get("findings") or []:
        if finding["severity"] != "info":
            text += f"\n  {finding['severity']}: {finding['message']}"
    return Outcome(result, text, result, "message")


def cmd_detach(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image
    result = ctx.service.detach(
        image, domain_id=args.domain, app_type=args.app_type, user_profile=args.user_profile
    )
    text = f"Detached {image} from {_where(result)} ({args.app_type})."
    return Outcome(result, text, result, "message")


def _where(result: dict[str, Any]) -> str:
    if result.get("user_profile"):
        return f"user profile {result['user_profile']} of domain {result['domain_id']}"
    return f"domain {result['domain_id']}"


def add_commands(sub: Any, magic: bool) -> None:
    """Add `studio`, `attach` and `detach` to the shared grammar."""
    studio = sub.add_parser("studio", help="SageMaker Studio: context, lifecycle configuration")
    studio_sub = studio.add_subparsers(dest="studio_command", metavar="SUBCOMMAND")
    studio_sub.required = True

    def add(name: str, **kw: Any) -> argparse.ArgumentParser:
        # --json, --backend... are accepted after `studio X` too
        # (lcc's --output is a FILE, so the format goes before the subcommand there)
        return studio_sub.add_parser(name, parents=[common_options(with_output=False)], **kw)

    p = add("context", help="where this runs in Studio, and the execution role")
    p.set_defaults(func=cmd_studio_context)

    p = add("lcc", help="write (and optionally create/attach) a Studio lifecycle configuration")
    p.add_argument(
        "--app-type", required=True, choices=("JupyterLab", "JupyterServer", "CodeEditor")
    )
    p.add_argument(
        "--install",
        required=True,
        metavar="SPEC",
        help="pip requirement (jupyter-image-versions==0.1.0), wheel URL, or s3://BUCKET/KEY.whl",
    )
    p.add_argument("--output", metavar="FILE", help="write the script here (else print it)")
    p.add_argument("--create", metavar="NAME", help="CreateStudioLifecycleConfig with this name")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--attach-domain", metavar="DOMAIN_ID", help="allow it on the domain")
    where.add_argument(
        "--attach-user-profile", metavar="DOMAIN_ID/PROFILE", help="allow it on a user profile"
    )
    p.add_argument("--default", action="store_true", help="also make it the default to run")
    p.set_defaults(func=cmd_studio_lcc)

    p = sub.add_parser("attach", help="make a version a custom image of a Studio domain")
    p.add_argument("target", metavar="IMAGE:VERSION|IMAGE@ALIAS")
    _target_options(p)
    p.add_argument("--kernel-name", help="KernelGateway: kernelspec name in the image (python3)")
    p.add_argument("--display-name", help="KernelGateway: kernel display name")
    p.add_argument("--uid", type=int, help="default POSIX uid (0-65535)")
    p.add_argument("--gid", type=int, help="default POSIX gid (0-65535)")
    p.add_argument("--mount-path", help="where the home EFS volume is mounted")
    p.add_argument(
        "--force", action="store_true", help="attach even when the image doctor finds errors"
    )
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("detach", help="remove an image from a Studio domain's custom images")
    p.add_argument("image", metavar="IMAGE")
    _target_options(p)
    p.set_defaults(func=cmd_detach)


def _target_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--domain", required=True, metavar="DOMAIN_ID", help="the Studio domain")
    p.add_argument(
        "--app-type",
        default="JupyterLab",
        choices=("JupyterLab", "KernelGateway", "CodeEditor"),
        help="app",
    )
    p.add_argument("--user-profile", metavar="NAME", help="a user profile instead of the domain")
