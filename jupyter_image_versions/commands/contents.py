"""`contents`: what is inside an image version (packages, OS, Python, CUDA), read from ECR
without pulling it; `diff`, `find`, `sbom` and `notes` over it, and `register --notes-from-diff`'s
draft. Part of the grammar (parser.py); the text forms of diff/find/notes are analysis_text.py."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from ..contents.inventory import filtered
from ..contents.model import ECOSYSTEMS, Inventory
from .analysis_text import diff_text, draft_text, find_text, sbom_summary, suggestion_lines
from .base import Context, Outcome, UsageError, common_options, option, parse_target
from .checks import whole_number
from .progress import layer_progress
from .text import Styled, text_table

MAX_FILTER = 200


def progress_reporter(ctx: Context, what: str = "reading layers") -> Any:
    """The image reader's progress (layers done, bytes) as `ctx.progress` steps."""

    return layer_progress(ctx.progress, what)


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
    # the value is the JSON shape (as the doctor's): the magic returns it, rendered as HTML
    text = contents_text(data, ctx.width)
    return Outcome(data, text, data, "contents", title=f"Contents: {args.target}")


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
        help="IMAGE:VERSION, IMAGE@ALIAS (its ContainerImage) or an ECR URI",
    )
    p.add_argument("--ecosystem", choices=ECOSYSTEMS, help="only this ecosystem's packages")
    p.add_argument("--filter", metavar="TEXT", help="only packages whose name holds TEXT")
    p.set_defaults(func=cmd_contents)


def cmd_diff(args: argparse.Namespace, ctx: Context) -> Outcome:
    diff = ctx.service.diff(
        args.target_a, args.target_b, on_progress=progress_reporter(ctx, "reading both images")
    )
    ctx.progress.finish()
    data = diff.to_dict()
    title = f"{args.target_a} → {args.target_b}"
    return Outcome(data, diff_text(data, ctx.width), data, "contents-diff", title=title)


def cmd_find(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image

    def show(progress: dict[str, Any]) -> None:
        done, total = progress["versions_done"], progress["versions_total"]
        text = f"{image}: {done} of {total} versions read, {progress['matched']} match"
        ctx.progress.step(text, key=done)

    result = ctx.service.find(image, args.requirement, on_progress=show)
    ctx.progress.finish()
    summary = result.to_dict()
    title = f"{image}: {len(result.matches)} of {result.checked} versions match"
    matches = result.matches
    return Outcome(matches, find_text(summary), matches, "contents-find", title=title)


def cmd_sbom(args: argparse.Namespace, ctx: Context) -> Outcome:
    bom = ctx.service.sbom(args.target, on_progress=progress_reporter(ctx))
    ctx.progress.finish()
    text = json.dumps(bom, indent=2)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
        note = (
            f"Wrote the CycloneDX 1.6 SBOM of {args.target} to {args.output}: {sbom_summary(bom)}."
        )
        summary = {
            "target": args.target,
            "output": args.output,
            "components": len(bom.get("components", [])),
        }
        return Outcome(args.output, note, summary, note=note)
    if option(args, "json", False):
        return Outcome(bom, text, bom, "code")
    return Outcome(bom, text, bom, "code", title=f"SBOM of {args.target}: {sbom_summary(bom)}")


def notes_against(value: str | None) -> int | None:
    """`--notes-from-diff [VERSION]`: None for the newest CREATED version, else the number."""
    if value in (None, "", "previous"):
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise UsageError(f"--notes-from-diff {value}: give a version number, like 4 (or nothing)")
    return int(value)


def draft_for_register(args: argparse.Namespace, ctx: Context, spec: Any) -> tuple[Any, Any]:
    """`register --notes-from-diff [VERSION]`: the spec with the drafted notes, and the draft
    (None without the option). Reads both images before anything is registered."""
    if args.notes_from_diff is None:
        return spec, None
    if args.notes is not None:
        raise UsageError("give --notes or --notes-from-diff, not both")
    against = notes_against(args.notes_from_diff)
    ctx.progress.step(f"Drafting release notes from {spec.base_image}…", plain=False)
    draft = ctx.service.draft_release_notes(spec.image_name, spec.base_image, against=against)
    if draft.notes is None:
        raise UsageError(f"--notes-from-diff: {draft.reason}; give --notes instead")
    return replace(spec, release_notes=draft.notes), draft


def register_note(draft: Any, args: argparse.Namespace, version: Any) -> str:
    """What `register --notes-from-diff` tells: the notes sent, and the suggestions not sent
    (for the fields not given) with the `update` that accepts them."""
    lines = [f"Release notes drafted from the changes since version {draft.against}: {draft.notes}"]
    given = {
        "ml_framework": args.framework,
        "programming_lang": args.lang,
        "processor": args.processor,
    }
    open_fields = {
        k: v for k, v in draft.suggested.items() if k == "reasons" or given.get(k) is None
    }
    accept = f"jupyter image-versions update {version.image_name}:{version.version}"
    return "\n".join(lines + suggestion_lines(open_fields, accept))


def cmd_notes(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image
    ctx.progress.step(f"Reading {args.base_image} and the version to compare with…", plain=False)
    draft = ctx.service.draft_release_notes(image, args.base_image, against=args.against)
    ctx.progress.finish()
    data = draft.to_dict()
    title = f"Draft for {image}"
    return Outcome(data, draft_text(data, image), data, "contents-notes", title=title)


def add_analysis_commands(sub: Any, magic: bool) -> None:
    """Add diff, find, sbom and notes to the shared grammar."""
    p = sub.add_parser(
        "diff",
        help="what changed between two images: packages, OS, Python, CUDA, size, layers",
    )
    p.add_argument(
        "target_a", metavar="TARGET_A", help="the older: ECR URI, IMAGE:VERSION or IMAGE@ALIAS"
    )
    p.add_argument("target_b", metavar="TARGET_B", help="the newer, in the same forms")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "find",
        help="the versions of an image whose contents meet every requirement",
        epilog="requirements: 'torch>=2.3', 'numpy<2' (PEP 508 / PEP 440), 'deb:libc6>=2.35' "
        "(dpkg's order), 'conda:python=3.11'. Quote them in a shell.",
    )
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("requirement", metavar="REQUIREMENT", nargs="+", help="e.g. 'torch>=2.3'")
    p.set_defaults(func=cmd_find)

    p = sub.add_parser(
        "sbom",
        parents=[common_options(with_output=False)],  # its --output is a FILE
        help="the CycloneDX 1.6 SBOM (JSON) of an image, read from ECR",
    )
    p.add_argument("target", metavar="TARGET", help="ECR URI, IMAGE:VERSION or IMAGE@ALIAS")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.set_defaults(func=cmd_sbom)

    p = sub.add_parser(
        "notes",
        help="draft release notes for a new version from its diff, and the suggested metadata",
    )
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("base_image", metavar="BASE_IMAGE", help="the new version's ECR image URI")
    p.add_argument(
        "--against",
        type=whole_number(1, 10**9),
        metavar="VERSION",
        help="compare with this version (default: the newest CREATED one)",
    )
    p.set_defaults(func=cmd_notes)
