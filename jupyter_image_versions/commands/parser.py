"""The one grammar, assembled from its topics, and `run`, which parses and runs a command."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import Any

from .._version import __version__
from .base import CommandParser, Context, Outcome, common_options
from .checks import checked
from .completion import add_commands as add_completion_commands
from .contents import add_analysis_commands
from .contents import add_commands as add_contents_commands
from .demo import add_commands as add_demo_commands
from .derive import add_commands as add_derive_commands
from .doctor import add_commands as add_doctor_commands
from .export import add_commands as add_export_commands
from .local_endpoint import add_commands as add_local_endpoint_commands
from .studio import add_commands as add_studio_commands
from .versions import add_commands as add_version_commands

AddCommands = Callable[[Any, bool], None]

EXIT_CODES = """exit status:
  0  done
  1  an AWS or validation error (doctor: a finding is an error)
  2  usage: an unknown command or option, a missing or malformed argument
  130 interrupted (Ctrl-C)"""

# Each topic adds its subcommands; a new topic is a module with `add_commands(sub, magic)`.
TOPICS: tuple[AddCommands, ...] = (
    add_version_commands,
    add_local_endpoint_commands,
    add_export_commands,
    add_demo_commands,
    add_studio_commands,
    add_doctor_commands,
    add_contents_commands,
    add_analysis_commands,
    add_derive_commands,
    add_completion_commands,
)


def build_parser(
    prog: str = "jupyter image-versions",
    *,
    magic: bool = False,
    extra: Iterable[AddCommands] = (),
) -> CommandParser:
    """The one definition of the grammar; `magic` leaves out what a kernel cannot do, and
    `extra` adds a front end's own subcommands (the magic's `panel`)."""
    epilog = "Backend: $JUPYTER_IMAGE_VERSIONS_BACKEND=aws|local (default aws)."
    if not magic:
        epilog += "\nShell completion: jupyter image-versions completion bash|zsh|fish --help\n\n"
        epilog += EXIT_CODES
    parser = CommandParser(
        prog=prog,
        description="Manage Amazon SageMaker image versions.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = common_options()
    for action in common._actions:
        if action.dest != "help":
            parser._add_action(action)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    real_add_parser = sub.add_parser
    sub.add_parser = lambda name, **kw: real_add_parser(
        name, parents=kw.pop("parents", [common]), **kw
    )
    sub.required = True
    for add_commands in (*TOPICS, *extra):
        add_commands(sub, magic)
    parser.set_defaults(grammar=parser)  # for `completion`, which writes scripts from it
    return parser


def run(
    argv: list[str],
    ctx_factory: Callable[[argparse.Namespace], Context],
    *,
    parser: CommandParser | None = None,
) -> tuple[argparse.Namespace, Outcome]:
    """Parse `argv` and run its command. Raises UsageError, HelpShown or ImageVersionsError."""
    parser = parser or build_parser()
    args = checked(parser.parse_args(argv))
    return args, args.func(args, ctx_factory(args))
