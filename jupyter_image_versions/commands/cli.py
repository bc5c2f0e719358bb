"""`jupyter image-versions`: the command grammar (parser.py) on a terminal."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import Any

from ..core.errors import ImageVersionsError
from .base import Context, HelpShown, UsageError, option
from .output import machine_readable, render
from .parser import build_parser, run
from .problems import problem_text
from .progress import Progress, for_stream


def _confirm_on_terminal(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"{question} Refusing without a terminal to confirm; add --yes")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _service_factory(args: argparse.Namespace, progress: Progress) -> Any:
    from ..api import ImageVersions

    def make() -> Any:
        service = ImageVersions.from_settings(
            option(args, "backend"),
            region=option(args, "region"),
            profile=option(args, "profile"),
            endpoint_url=option(args, "endpoint_url"),
        )
        service.gate.add_listener(
            lambda op, attempt, waited, delay: progress.retrying(op, attempt, delay),
            with_delay=True,
        )
        return service

    return make


def colour_wanted(stream: Any = None) -> bool:
    """Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _context(args: argparse.Namespace, progress: list[Progress]) -> Context:
    progress.append(for_stream(sys.stderr, quiet=machine_readable(args)))
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    return Context(
        _service_factory(args, progress[0]),
        _confirm_on_terminal,
        "cli",
        progress=progress[0],
        width=width,
    )


def print_text(text: str) -> None:
    """The command's text on stdout; its styled spans in colour when colour is wanted."""
    spans = getattr(text, "spans", None)
    if not spans or not colour_wanted():
        print(text)
        return
    from rich.console import Console
    from rich.text import Span, Text

    console = Console(highlight=False, soft_wrap=True, emoji=False)
    console.print(Text(str(text), spans=[Span(*span) for span in spans]))


def wants_json_errors(argv: list[str]) -> bool:
    """--json or --output json anywhere: errors go to stderr as JSON too."""
    for i, word in enumerate(argv):
        if word == "--json" or word in ("--output=json", "-ojson"):
            return True
        if word in ("--output", "-o") and argv[i + 1 : i + 2] == ["json"]:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (see EXIT_CODES in parser.py)."""
    argv = sys.argv[1:] if argv is None else argv
    as_json = wants_json_errors(argv)
    progress: list[Progress] = []
    try:
        try:
            args, outcome = run(argv, lambda a: _context(a, progress), parser=build_parser())
        finally:  # the live line goes before anything else is printed
            for shown in progress:
                shown.finish()
    except HelpShown:
        return 0
    except UsageError as exc:
        return _fail(exc, as_json, status=2)
    except ImageVersionsError as exc:
        return _fail(exc, as_json, status=1)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    if outcome is None:
        return 0
    try:
        if machine_readable(args):
            print(render(args, outcome.data))
        else:
            print_text(outcome.text)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return outcome.exit_status


def _fail(exc: ImageVersionsError, as_json: bool, status: int) -> int:
    if as_json:
        import json

        print(json.dumps(exc.to_dict()), file=sys.stderr)
    else:
        print(f"error: {' '.join(problem_text(exc).splitlines())}", file=sys.stderr)  # one line
    return status


if __name__ == "__main__":
    sys.exit(main())
