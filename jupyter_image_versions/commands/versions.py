"""The image and version subcommands: images, history, show, register, alias, aliases, guidance,
update, delete, create-image."""

from __future__ import annotations

import argparse
from typing import Any

from ..core.errors import SpecError
from ..core.spec import ImageVersionSpec
from .base import Context, Outcome, UsageError, parse_target
from .checks import HISTORY_LIMIT, whole_number
from .text import aliases_text, images_text, version_text, versions_text

GUIDANCE_HELP = "STABLE | TO_BE_ARCHIVED | ARCHIVED | NOT_PROVIDED"


def cmd_images(args: argparse.Namespace, ctx: Context) -> Outcome:
    images = ctx.service.images()
    return Outcome(
        images,
        images_text(images, ctx.width) if images else "No images.",
        [i.to_dict() for i in images],
        "images",
    )


def cmd_history(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image

    def listed(pages: int, count: int) -> None:  # a large image's history: pages as they come
        text = f"{image}: {count} versions listed ({pages} page{'s' if pages > 1 else ''})"
        ctx.progress.step(text, plain=pages > 1)

    versions = ctx.service.history(image, limit=args.limit, on_page=listed)
    ctx.progress.finish()
    text = versions_text(versions, ctx.width) if versions else f"{image} has no versions."
    return Outcome(
        versions,
        text,
        [v.to_dict() for v in versions],
        "versions",
        title=f"{image}: {len(versions)} versions",
    )


def cmd_show(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target)
    if target.version is None and target.alias is None:
        found = ctx.service.history(target.image, limit=1)
        if not found:
            raise SpecError({}, message=f"{target.image} has no versions")
        version = found[0]
    else:
        version = ctx.service.get(target.image, version=target.version, alias=target.alias)
    return _version_outcome(version)


def _version_outcome(version: Any, note: str = "") -> Outcome:
    text = (note + "\n" if note else "") + version_text(version)
    return Outcome(version, text, version.to_dict(), "versions", note)


def cmd_register(args: argparse.Namespace, ctx: Context) -> Outcome:
    spec = ImageVersionSpec(
        image_name=args.image,
        base_image=args.base_image,
        aliases=list(args.alias or []),
        ml_framework=args.framework,
        programming_lang=args.lang,
        processor=args.processor,
        job_type=args.job_type,
        horovod=args.horovod,
        release_notes=args.notes,
        vendor_guidance=args.guidance,
    )
    spec.validate()
    if args.role and not args.create_image:
        raise UsageError("--role is only used with --create-image")
    from .contents import draft_for_register, register_note

    spec, draft = draft_for_register(args, ctx, spec)
    ctx.progress.step(f"Registering a version of {spec.image_name}…", plain=False)
    version = ctx.service.register(
        spec,
        wait=not args.no_wait,
        create_image=args.create_image,
        role_arn=args.role,
        on_status=lambda v: ctx.progress.step(f"{v.image_name} version {v.version}: {v.status}"),
    )
    ctx.progress.finish(f"{version.image_name} version {version.version}: {version.status}")
    warnings = "; ".join(spec.warnings().values())
    note = f"Registered {version.image_name} version {version.version} ({version.status})."
    if warnings:
        note += f"\nNote: {warnings}"
    if draft is not None:
        note += "\n" + register_note(draft, args, version)
    return _version_outcome(version, note)


def cmd_alias(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target, need="selector")
    if not (args.add or args.remove or args.move):
        raise UsageError("give at least one of --add, --remove or --move")
    service = ctx.service
    version = service.update(
        target.image,
        version=target.version,
        alias=target.alias,
        aliases_to_add=args.add or [],
        aliases_to_delete=args.remove or [],
        move_aliases=args.move or [],
    )
    return _version_outcome(version, f"{target.image}:{version.version} aliases updated.")


def cmd_aliases(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image
    aliases = ctx.service.aliases(image)
    text = aliases_text(aliases) if aliases else f"{image} has no aliases."
    return Outcome(aliases, text, aliases, "aliases")


def cmd_guidance(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target, need="selector")
    version = ctx.service.update(
        target.image, version=target.version, alias=target.alias, vendor_guidance=args.guidance
    )
    return _version_outcome(
        version, f"{target.image}:{version.version} vendor guidance is {version.vendor_guidance}."
    )


def cmd_update(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target, need="selector")
    metadata = {
        "ml_framework": args.framework,
        "programming_lang": args.lang,
        "processor": args.processor,
        "job_type": args.job_type,
        "horovod": args.horovod,
        "release_notes": args.notes,
        "vendor_guidance": args.guidance,
    }
    metadata = {k: v for k, v in metadata.items() if v is not None}
    if not metadata:
        raise UsageError("give at least one field to change (--framework, --notes, ...)")
    version = ctx.service.update(
        target.image, version=target.version, alias=target.alias, **metadata
    )
    return _version_outcome(version, f"{target.image}:{version.version} updated.")


def cmd_delete(args: argparse.Namespace, ctx: Context) -> Outcome:
    target = parse_target(args.target, need="selector")
    service = ctx.service
    version = service.get(target.image, version=target.version, alias=target.alias)
    aliases = f" (aliases: {', '.join(version.aliases)})" if version.aliases else ""
    question = f"Delete {target.image} version {version.version}{aliases}?"
    ctx.progress.finish()  # no live line (a throttled get) under the question
    if not args.yes and not ctx.confirm(question):
        return Outcome(None, "Nothing deleted.", {"deleted": None}, "", "Nothing deleted.")

    def progress(current: Any) -> None:  # on stderr (stdout stays the result)
        ctx.progress.step(f"{target.image} version {current.version}: {current.status}")

    number = service.delete(target.image, version.version, wait=args.wait, on_status=progress)
    if args.wait:
        text = f"Deleted {target.image} version {number}."
        ctx.progress.finish(f"{target.image} version {number}: gone")
    else:
        text = f"Deleting {target.image} version {number} (AWS deletes it in the background)."
    data = {"deleted": number, "image_name": target.image, "gone": bool(args.wait)}
    return Outcome(number, text, data, "", text)


def cmd_create_image(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = ctx.service.create_image(
        args.name, role_arn=args.role, display_name=args.display_name, description=args.description
    )
    text = f"Created image {image.name} ({image.status})."
    return Outcome(image, text, image.to_dict(), "images", text)


def _metadata_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--framework", metavar="F", help="ML framework, like 'PyTorch 2.3'")
    p.add_argument("--lang", metavar="L", help="programming language, like 'Python 3.11'")
    p.add_argument("--processor", metavar="CPU|GPU", help="processor type")
    p.add_argument("--job-type", metavar="T", help="TRAINING | INFERENCE | NOTEBOOK_KERNEL")
    p.add_argument(
        "--horovod", action=argparse.BooleanOptionalAction, default=None, help="uses Horovod"
    )
    p.add_argument("--notes", metavar="N", help="release notes")
    p.add_argument("--guidance", metavar="G", help=f"vendor guidance: {GUIDANCE_HELP}")


def add_commands(sub: Any, magic: bool) -> None:
    """Add the image and version subcommands to the grammar."""
    p = sub.add_parser("images", help="list images")
    p.set_defaults(func=cmd_images)

    p = sub.add_parser("history", help="the versions of an image, newest first")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument(
        "--limit", type=whole_number(*HISTORY_LIMIT), metavar="N", help="only the newest N versions"
    )
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("show", help="one version: IMAGE[:VERSION | @ALIAS]")
    p.add_argument("target", metavar="IMAGE[:VERSION|@ALIAS]")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("register", help="register an ECR image as a new version")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("base_image", metavar="BASE_IMAGE", help="ECR image URI")
    _metadata_options(p)
    p.add_argument("--alias", action="append", metavar="A", help="alias (repeatable)")
    p.add_argument("--create-image", action="store_true", help="create IMAGE when missing")
    p.add_argument("--role", metavar="ARN", help="role for --create-image")
    p.add_argument("--no-wait", action="store_true", help="return while still CREATING")
    p.add_argument(
        "--notes-from-diff",
        nargs="?",
        const="",
        metavar="VERSION",
        help="release notes drafted from the changes since VERSION (default: the newest "
        "CREATED one); the framework and language the image suggests are shown, not sent",
    )
    p.set_defaults(func=cmd_register)

    p = sub.add_parser("alias", help="add, remove or move aliases of a version")
    p.add_argument("target", metavar="IMAGE:VERSION")
    p.add_argument("--add", action="append", metavar="A", help="add alias (repeatable)")
    p.add_argument("--remove", action="append", metavar="A", help="remove alias (repeatable)")
    p.add_argument("--move", action="append", metavar="A", help="move alias here (repeatable)")
    p.set_defaults(func=cmd_alias)

    p = sub.add_parser("aliases", help="{alias: version} of an image")
    p.add_argument("image", metavar="IMAGE")
    p.set_defaults(func=cmd_aliases)

    p = sub.add_parser("guidance", help="set a version's vendor guidance")
    p.add_argument("target", metavar="IMAGE:VERSION")
    p.add_argument("guidance", metavar=GUIDANCE_HELP.replace(" ", ""))
    p.set_defaults(func=cmd_guidance)

    p = sub.add_parser("update", help="change a version's metadata")
    p.add_argument("target", metavar="IMAGE:VERSION")
    _metadata_options(p)
    p.set_defaults(func=cmd_update)

    p = sub.add_parser("delete", help="delete a version: IMAGE:VERSION | IMAGE@ALIAS")
    p.add_argument("target", metavar="IMAGE:VERSION|IMAGE@ALIAS")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--wait", action="store_true", help="wait (with progress) until it is gone")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("create-image", help="create a SageMaker image")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ARN", help="role SageMaker pulls with")
    p.add_argument("--display-name")
    p.add_argument("--description")
    p.set_defaults(func=cmd_create_image)
