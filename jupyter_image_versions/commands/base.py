"""The building blocks of the one command grammar (CLI and magic): the parser class, targets,
the context a front end gives a command, and the Outcome a command returns."""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ImageVersionsError
from .progress import Progress

OUTPUTS = ("table", "json", "yaml")
_TARGET = re.compile(r"(?P<image>[^:@]+)(?::(?P<version>[^:@]*)|@(?P<alias>[^:@]*))?")


class UsageError(ImageVersionsError):
    """The command line itself is wrong (unknown option, missing argument...)."""

    code = "UsageError"


class HelpShown(Exception):
    """argparse printed help (or a version) and wanted to exit."""


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so a magic never kills the kernel."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{_suggesting(message)} (see {self.prog} --help)")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            raise UsageError(message.strip())
        raise HelpShown()


@dataclass
class Outcome:
    """What a command produced: the objects, a text rendering and JSON data.

    `view` says how a rich front end shows `value` ("images", "versions", "aliases", "table",
    "code", "message", or "" for nothing more); the notebook renders it as HTML.
    """

    value: Any
    text: str
    data: Any
    view: str = ""
    note: str = ""  # a one-line message about what was done, shown above the result
    title: str | None = None
    exit_status: int = 0  # the CLI's status when the command ran (doctor: 1 with errors)


@dataclass
class Target:
    image: str
    version: int | None = None
    alias: str | None = None

    def label(self) -> str:
        if self.version is not None:
            return f"{self.image}:{self.version}"
        return f"{self.image}@{self.alias}" if self.alias else self.image


_INVALID_CHOICE = re.compile(r"argument (?P<arg>[^:]+): invalid choice: '(?P<word>[^']*)' \(")


def _suggesting(message: str) -> str:
    """argparse's 'invalid choice' as people say it: the nearest choice suggested, and no hidden
    command (the completion's `__complete`) listed."""
    match = _INVALID_CHOICE.match(message)
    if not match:
        return message
    choices = re.findall(r"'([^']*)'", message[match.end() :])
    shown = [c for c in choices if not c.startswith("_")]
    near = difflib.get_close_matches(match["word"], shown, n=1, cutoff=0.6)
    what = "command" if "COMMAND" in match["arg"] else f"value for {match['arg']}"
    hint = f"; did you mean '{near[0]}'?" if near else f" (choose from {', '.join(shown)})"
    return f"unknown {what} '{match['word']}'{hint}"


def parse_target(text: str, *, need: str = "any") -> Target:
    """Parse IMAGE, IMAGE:VERSION or IMAGE@ALIAS. `need`: 'image', 'version', 'selector', 'any'."""
    match = _TARGET.fullmatch(text.strip())
    if not match:
        raise UsageError(f"'{text}' must be IMAGE, IMAGE:VERSION or IMAGE@ALIAS")
    version = match["version"]
    if version is not None and not re.fullmatch(r"[0-9]{1,9}", version):
        if "/" in match["image"]:
            # repository:tag, as docker names it: ECR wants the registry in front.
            raise UsageError(
                f"'{text}' is an ECR repository and tag, not a SageMaker image: give the whole "
                f"ECR URI, like 123456789012.dkr.ecr.us-east-1.amazonaws.com/{text}, "
                "or a SageMaker image version as IMAGE:VERSION"
            )
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
    progress: Progress = field(default_factory=Progress)  # quiet unless the front end shows it
    width: int | None = None  # the terminal's columns, to fit tables; None: no limit
    _service: Any = field(default=None, repr=False)

    @property
    def service(self) -> Any:
        if self._service is None:
            self._service = self.service_factory()
        return self._service


def common_options(*, with_output: bool = True) -> CommandParser:
    """Options accepted before or after the subcommand. `with_output=False` leaves `--output`
    to a command whose own `--output FILE` predates it (export, studio lcc): there the format
    goes before the subcommand (`--output yaml export ...`) or is `--json`."""
    common = CommandParser(add_help=False, argument_default=argparse.SUPPRESS)
    if with_output:
        common.add_argument(
            "--output",
            "-o",
            dest="output_format",
            choices=OUTPUTS,
            help="table (default), json or yaml; --json is short for --output json",
        )
    common.add_argument("--json", action="store_true", help="print JSON instead of tables")
    common.add_argument(
        "--query",
        metavar="JMESPATH",
        help="a JMESPath expression applied to the JSON output, as in the AWS CLI",
    )
    common.add_argument("--backend", choices=("aws", "local"), help="override the backend")
    common.add_argument("--region", help="AWS region")
    common.add_argument("--profile", help="AWS profile")
    common.add_argument("--endpoint-url", help="SageMaker/ECR endpoint (e.g. a local endpoint)")
    return common


def output_format(args: argparse.Namespace) -> str:
    """table, json or yaml: --output, else json for --json or --query, else table."""
    chosen = option(args, "output_format")
    if chosen:
        return chosen
    return "json" if option(args, "json", False) or option(args, "query") else "table"


def option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    """A common option's value, wherever it was given."""
    return getattr(args, name, default)
