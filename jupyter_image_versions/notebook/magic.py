"""`%imageversion`: the command grammar (commands/parser.py) as an IPython line magic.

Loading the extension is cheap: boto3 is imported when the first command needs the service.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from traitlets import Enum, Unicode, default, observe

from ..commands.base import (
    Context,
    HelpShown,
    Outcome,
    UsageError,
    option,
    output_format,
    parse_target,
)
from ..commands.output import machine_readable, queried, render
from ..commands.parser import build_parser, run
from ..commands.problems import problem_text
from ..commands.progress import Progress
from ..core.backend import BACKEND_ENV, BACKENDS
from ..core.errors import ImageVersionsError
from .html import Code, message_html, outcome_html, register_formatters
from .progress import NotebookProgress

PROG = "%imageversion"
NO_STDIN_HINT = "add --yes to delete from a notebook that cannot prompt"


def add_commands(sub: Any, magic: bool) -> None:
    """The notebook-only subcommands (given to build_parser as `extra`)."""
    if not magic:
        return
    p = sub.add_parser("panel", help="open the ImageVersionPanel widget")
    p.add_argument("image", metavar="IMAGE", nargs="?", help="the image to open")
    p.set_defaults(func=cmd_panel)


def cmd_panel(args: argparse.Namespace, ctx: Context) -> Outcome:
    from .widgets import ImageVersionPanel

    image = parse_target(args.image, need="image").image if args.image else None
    panel = ImageVersionPanel(image_name=image, service=ctx.service)
    return Outcome(panel, "ImageVersionPanel", None)


class Rendered:
    """Mixin: a returned value that renders as the command's HTML in a notebook."""

    _html: str = ""

    def _repr_html_(self) -> str:
        return self._html


class RenderedList(Rendered, list):
    """A list (e.g. a history) shown as its HTML table."""


class RenderedDict(Rendered, dict):
    """A dict (e.g. the aliases of an image) shown as its HTML table."""


def _rendered(outcome: Outcome) -> Any:
    value, html = outcome.value, outcome_html(outcome)
    if html is None:
        return value
    if isinstance(value, str):
        return Code(value)
    if isinstance(value, list):
        value = RenderedList(value)
    elif isinstance(value, dict):
        value = RenderedDict(value)
    else:
        return value  # ImageVersion and Image: their IPython formatters (html.py)
    value._html = html
    return value


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _confirm_with_input(question: str) -> bool:
    """Ask with input() when the front end allows stdin; otherwise refuse, naming --yes."""
    from IPython.core.error import StdinNotImplementedError

    try:
        answer = input(f"{question} [y/N] ")
    except (StdinNotImplementedError, EOFError, OSError):
        raise UsageError(f"{question} Not deleted: {NO_STDIN_HINT}") from None
    return answer.strip().lower() in ("y", "yes")


@magics_class
class ImageVersionsMagic(Magics):
    """The `%imageversion` line magic; configure it with `%config ImageVersionsMagic.x = ...`."""

    backend = Enum(
        BACKENDS,
        allow_none=True,
        help=f"aws or local; defaults to ${BACKEND_ENV} (else aws)",
    ).tag(config=True)
    region = Unicode(None, allow_none=True, help="AWS region (default: boto3's)").tag(config=True)
    profile = Unicode(None, allow_none=True, help="AWS profile (default: boto3's)").tag(config=True)
    endpoint_url = Unicode(
        None, allow_none=True, help="SageMaker/ECR endpoint URL, e.g. a local endpoint"
    ).tag(config=True)
    local_db = Unicode(
        None,
        allow_none=True,
        help="SQLite file of the local backend (default: $JUPYTER_IMAGE_VERSIONS_LOCAL_DB)",
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._services: dict[tuple, Any] = {}
        self._progress: Progress = Progress()  # the running command's (throttling is told there)

    @default("backend")
    def _backend_default(self) -> str | None:
        value = os.environ.get(BACKEND_ENV, "").strip().lower()
        # An invalid value is reported when a command runs (backend_from_env names it).
        return value if value in BACKENDS else None

    @observe("backend", "region", "profile", "endpoint_url", "local_db")
    def _settings_changed(self, change: Any) -> None:
        self._services.clear()

    def service_for(self, args: argparse.Namespace | None = None) -> Any:
        """The service for these settings (command-line options override the config); cached."""
        from ..api import ImageVersions

        def pick(name: str) -> Any:
            value = option(args, name) if args is not None else None
            return value if value is not None else getattr(self, name)

        key = (pick("backend"), pick("region"), pick("profile"), pick("endpoint_url"))
        key += (self.local_db,)
        if key not in self._services:
            backend, region, profile, endpoint_url, local_db = key
            service = ImageVersions.from_settings(
                backend,
                region=region,
                profile=profile,
                endpoint_url=endpoint_url,
                local_db=local_db,
            )
            service.gate.add_listener(
                lambda op, attempt, waited, delay: self._progress.retrying(op, attempt, delay),
                with_delay=True,
            )
            self._services[key] = service
        return self._services[key]

    @line_magic
    def imageversion(self, line: str) -> Any:
        # The docstring is the parser's help; see load_ipython_extension.
        try:
            argv = shlex.split(line)
        except ValueError as exc:
            return self._error(UsageError(f"{exc} (see {PROG} --help)"))
        parser = build_parser(prog=PROG, magic=True, extra=[add_commands])
        try:
            args, outcome = run(argv, self._context, parser=parser)
        except HelpShown:
            return None
        except ImageVersionsError as exc:
            return self._error(exc)
        finally:
            self._progress.finish()
            self._progress = Progress()
        return self._present(args, outcome)

    def _context(self, args: argparse.Namespace) -> Context:
        self._progress = Progress() if machine_readable(args) else NotebookProgress()
        return Context(
            lambda: self.service_for(args), _confirm_with_input, "magic", progress=self._progress
        )

    def _present(self, args: argparse.Namespace, outcome: Outcome | None) -> Any:
        if outcome is None:
            return None
        if machine_readable(args):
            if output_format(args) == "yaml":
                return Code(render(args, outcome.data))
            return outcome.data if option(args, "query") is None else queried(args, outcome.data)
        if outcome.note:
            from IPython.display import display

            kind = "success" if outcome.value is not None else "info"
            display(
                {"text/plain": outcome.note, "text/html": message_html(outcome.note, kind)},
                raw=True,
            )
        return _rendered(outcome)

    def _error(self, exc: ImageVersionsError) -> None:
        print(f"{PROG}: error: {_one_line(problem_text(exc))}", file=sys.stderr)
        return None


CONFIG_HELP = """
Settings for this kernel (default backend: $JUPYTER_IMAGE_VERSIONS_BACKEND, else aws):
  %config ImageVersionsMagic.backend = "local"        # or "aws"
  %config ImageVersionsMagic.region = "eu-west-1"
  %config ImageVersionsMagic.profile = "ml"
  %config ImageVersionsMagic.endpoint_url = "http://127.0.0.1:4599"
  %config ImageVersionsMagic.local_db = "state.sqlite"
Results are returned (v = %imageversion show my-image:3) and shown as HTML.
In a notebook that cannot prompt, delete needs --yes.
"""


def help_text() -> str:
    """The whole grammar: the main help, the settings, then every subcommand's help."""
    parser = build_parser(prog=PROG, magic=True, extra=[add_commands])
    parts = [parser.format_help(), CONFIG_HELP]
    for action in parser._subparsers._group_actions:  # argparse keeps subparsers only here
        for sub in dict.fromkeys(action.choices.values()):
            parts.append(sub.format_help())
    return "\n".join(parts)


def load_ipython_extension(ipython: Any) -> None:
    """Register `%imageversion` and its configurable, `ImageVersionsMagic`."""
    ImageVersionsMagic.imageversion.__doc__ = help_text()
    register_formatters(ipython)
    ipython.register_magics(ImageVersionsMagic(ipython))
