"""The `export` command: an image's history as CloudFormation, CDK or Terraform code."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..export import FORMATS, TERRAFORM_FORMATS
from .base import Outcome, UsageError, common_options, option, parse_target


def cmd_export(args: Any, ctx: Any) -> Any:
    """`export IMAGE [--format F] [--json] [--versions 3-7] [--pin-digests] [--no-archived]
    [--import|--no-import] [--output FILE]`: the template, app or configuration as text; `--json`
    means CloudFormation JSON."""
    image = parse_target(args.image, need="image").image
    as_json = bool(option(args, "json", False))
    if as_json and args.format != "cloudformation":
        raise UsageError("--json applies to --format cloudformation only")
    imports = option(args, "imports", None)
    if imports is not None and args.format not in TERRAFORM_FORMATS:
        raise UsageError("--import and --no-import apply to --format terraform|terraform-json only")
    if args.format in TERRAFORM_FORMATS and args.pin_digests and imports is not False:
        raise UsageError(
            "--pin-digests changes the base_image of every imported version, which Terraform can "
            "only do by replacing it: add --no-import to pin digests in a new configuration"
        )
    code = ctx.service.export(
        image,
        format=args.format,
        versions=args.versions,
        pin_digests=args.pin_digests,
        include_archived=not args.no_archived,
        as_json=as_json,
        imports=imports,
    )
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(code)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
        note = f"Wrote the {args.format} export of {image} to {args.output}."
        summary = {"image_name": image, "format": args.format, "output": args.output}
        return Outcome(args.output, note, summary, note=note)
    if args.format != "cloudformation":
        data: Any = str(code)
    elif as_json:
        data = json.loads(code)  # the CLI's --json prints the template itself
    else:
        import yaml

        data = yaml.safe_load(code)
    return Outcome(code, code.rstrip("\n"), data, "code")


def add_commands(sub: Any, magic: bool) -> None:
    """Add `export` to the shared grammar (CLI and magic alike)."""
    p = sub.add_parser(
        "export",
        parents=[common_options(with_output=False)],  # its --output is a FILE
        help="an image's history as CloudFormation, CDK or Terraform code",
    )
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--format", choices=FORMATS, default="cloudformation", help="what to write")
    p.add_argument("--versions", metavar="3-7", help="only these versions: 3-7 or 1,4,9-12")
    p.add_argument(
        "--pin-digests", action="store_true", help="BaseImage by digest (the same bytes)"
    )
    p.add_argument("--no-archived", action="store_true", help="leave ARCHIVED versions out")
    p.add_argument(
        "--import",
        dest="imports",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Terraform: import blocks adopting the live image and versions (the default)",
    )
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of printing")
    p.set_defaults(func=cmd_export)
