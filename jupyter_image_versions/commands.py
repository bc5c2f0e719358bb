"""The command grammar shared by the `%imageversion` magic and the `jupyter image-versions` CLI.

One parser defines every subcommand and option; each front end supplies how to confirm, how to
make the service, and how to show an Outcome.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import render
from .errors import ImageVersionsError, SpecError

GUIDANCE_HELP = "STABLE | TO_BE_ARCHIVED | ARCHIVED | NOT_PROVIDED"
_TARGET = re.compile(r"(?P<image>[^:@]+)(?::(?P<version>[^:@]*)|@(?P<alias>[^:@]*))?")


class UsageError(ImageVersionsError):
    """The command line itself is wrong (unknown option, missing argument...)."""

    code = "UsageError"


class HelpShown(Exception):
    """argparse printed help (or a version) and wanted to exit."""


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so a magic never kills the kernel."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            raise UsageError(message.strip())
        raise HelpShown()


@dataclass
class Outcome:
    """What a command produced: the objects, a text rendering, JSON data and HTML."""

    value: Any
    text: str
    data: Any
    html: str | None = None
    note: str = ""  # a one-line message about what was done, shown above the result

    def _repr_html_(self) -> str | None:
        return self.html


@dataclass
class Target:
    image: str
    version: int | None = None
    alias: str | None = None

    def label(self) -> str:
        if self.version is not None:
            return f"{self.image}:{self.version}"
        return f"{self.image}@{self.alias}" if self.alias else self.image


def parse_target(text: str, *, need: str = "any") -> Target:
    """Parse IMAGE, IMAGE:VERSION or IMAGE@ALIAS. `need`: 'image', 'version', 'selector', 'any'."""
    match = _TARGET.fullmatch(text.strip())
    if not match:
        raise UsageError(f"'{text}' must be IMAGE, IMAGE:VERSION or IMAGE@ALIAS")
    version = match["version"]
    if version is not None and not re.fullmatch(r"[0-9]{1,9}", version):
        raise UsageError(f"'{text}': the version after ':' must be a number, like my-image:3")
    if match["alias"] == "":
        raise UsageError(f"'{text}': give an alias after '@', like my-image@latest")
    target = Target(match["image"], int(version) if version else None, match["alias"])
    if need == "version" and target.version is None:
        raise UsageError(f"'{text}' must name a version: IMAGE:VERSION, like my-image:3")
    if need == "selector" and target.version is None and target.alias is None:
        raise UsageError(f"'{text}' must be IMAGE:VERSION or IMAGE@ALIAS")
    if need == "image" and (target.version is not None or target.alias):
        raise UsageError(f"'{text}' must be an image name alone")
    return target


@dataclass
class Context:
    """What a command needs from its front end."""

    service_factory: Callable[[], Any]
    confirm: Callable[[str], bool]
    front_end: str = "cli"
    _service: Any = field(default=None, repr=False)

    @property
    def service(self) -> Any:
        if self._service is None:
            self._service = self.service_factory()
        return self._service


# -- commands ------------------------------------------------------------------------------


def cmd_images(args: argparse.Namespace, ctx: Context) -> Outcome:
    images = ctx.service.images()
    return Outcome(
        images,
        render.images_text(images) if images else "No images.",
        [i.to_dict() for i in images],
        render.images_html(images),
    )


def cmd_history(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = parse_target(args.image, need="image").image
    versions = ctx.service.history(image, limit=args.limit)
    text = render.versions_text(versions) if versions else f"{image} has no versions."
    return Outcome(
        versions,
        text,
        [v.to_dict() for v in versions],
        render.versions_html(versions, title=f"{image}: {len(versions)} versions"),
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
    text = (note + "\n" if note else "") + render.version_text(version)
    return Outcome(version, text, version.to_dict(), render.versions_html([version]), note)


def cmd_register(args: argparse.Namespace, ctx: Context) -> Outcome:
    from .spec import ImageVersionSpec

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
    version = ctx.service.register(
        spec, wait=not args.no_wait, create_image=args.create_image, role_arn=args.role
    )
    warnings = "; ".join(spec.warnings().values())
    note = f"Registered {version.image_name} version {version.version} ({version.status})."
    if warnings:
        note += f"\nNote: {warnings}"
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
    text = render.aliases_text(aliases) if aliases else f"{image} has no aliases."
    return Outcome(aliases, text, aliases, render.aliases_html(aliases))


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
    if not args.yes and not ctx.confirm(question):
        return Outcome(None, "Nothing deleted.", {"deleted": None}, None, "Nothing deleted.")
    number = service.delete(target.image, version.version)
    text = f"Deleted {target.image} version {number}."
    return Outcome(number, text, {"deleted": number, "image_name": target.image}, None, text)


def cmd_create_image(args: argparse.Namespace, ctx: Context) -> Outcome:
    image = ctx.service.create_image(
        args.name, role_arn=args.role, display_name=args.display_name, description=args.description
    )
    text = f"Created image {image.name} ({image.status})."
    return Outcome(image, text, image.to_dict(), render.images_html([image]), text)


def cmd_local_endpoint(args: argparse.Namespace, ctx: Context) -> None:
    from .backend import default_local_db
    from .local import main_http

    main_http(
        host=args.host,
        port=args.port,
        db=args.db or default_local_db(),
        create_delay=args.create_delay,
        latency_ms=args.latency_ms,
        throttle_rate=args.throttle_rate,
        error_rate=args.error_rate,
    )


# -- the parser ----------------------------------------------------------------------------


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


def _common_options() -> CommandParser:
    """Options accepted before or after the subcommand."""
    common = CommandParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", help="print JSON instead of tables")
    common.add_argument("--backend", choices=("aws", "local"), help="override the backend")
    common.add_argument("--region", help="AWS region")
    common.add_argument("--profile", help="AWS profile")
    common.add_argument("--endpoint-url", help="SageMaker/ECR endpoint (e.g. a local endpoint)")
    return common


def option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    """A common option's value, wherever it was given."""
    return getattr(args, name, default)


def build_parser(prog: str = "jupyter image-versions", *, magic: bool = False) -> CommandParser:
    """The one definition of the grammar; `magic` adds the notebook-only commands."""
    parser = CommandParser(
        prog=prog,
        description="Manage Amazon SageMaker image versions.",
        epilog="Backend: $JUPYTER_IMAGE_VERSIONS_BACKEND=aws|local (default aws).",
    )
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _common_options()
    for action in common._actions:
        if action.dest != "help":
            parser._add_action(action)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    real_add_parser = sub.add_parser
    sub.add_parser = lambda name, **kw: real_add_parser(name, parents=[common], **kw)
    sub.required = True

    p = sub.add_parser("images", help="list images")
    p.set_defaults(func=cmd_images)

    p = sub.add_parser("history", help="the versions of an image, newest first")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N versions")
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
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("create-image", help="create a SageMaker image")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ARN", help="role SageMaker pulls with")
    p.add_argument("--display-name")
    p.add_argument("--description")
    p.set_defaults(func=cmd_create_image)

    if not magic:
        p = sub.add_parser("local-endpoint", help="serve the local SageMaker + ECR endpoint")
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=4599)
        p.add_argument("--db", help="SQLite file (default: the Jupyter data directory)")
        p.add_argument("--create-delay", type=float, default=2.0, metavar="S")
        p.add_argument("--latency-ms", type=int, default=0, metavar="N")
        p.add_argument("--throttle-rate", type=float, default=0.0, metavar="R")
        p.add_argument("--error-rate", type=float, default=0.0, metavar="R")
        p.set_defaults(func=cmd_local_endpoint)

    from .export import add_commands as add_export_commands

    add_export_commands(sub, magic)
    for extend in EXTENSIONS:
        extend(sub, magic)
    return parser


# Other modules (local endpoint, demo, export, studio, panel) add their subcommands here.
EXTENSIONS: list[Callable[[Any, bool], None]] = []


def _demo_commands(sub: Any, magic: bool) -> None:
    from .demo_cli import add_commands

    add_commands(sub, magic)


EXTENSIONS.append(_demo_commands)


def run(
    argv: list[str],
    ctx_factory: Callable[[argparse.Namespace], Context],
    *,
    parser: CommandParser | None = None,
) -> tuple[argparse.Namespace, Outcome]:
    """Parse `argv` and run its command. Raises UsageError, HelpShown or ImageVersionsError."""
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    return args, args.func(args, ctx_factory(args))


from .studio_commands import add_commands as _studio_commands  # noqa: E402

EXTENSIONS.append(_studio_commands)
