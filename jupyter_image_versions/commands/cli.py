"""`jupyter image-versions`: the command grammar (parser.py) on a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core.errors import ImageVersionsError
from .base import Context, HelpShown, UsageError, option
from .parser import build_parser, run
from .problems import problem_text


def _confirm_on_terminal(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"{question} Refusing without a terminal to confirm; add --yes")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _say_retrying(operation: str, attempt: int, waited: float) -> None:
    """On stderr, while AWS throttles: the first retry, then one line every few attempts."""
    if attempt == 1 or attempt % 5 == 0:
        print(f"AWS is throttling {operation}; retrying ({waited:.0f} s)…", file=sys.stderr)


def _service_factory(args: argparse.Namespace) -> Any:
    from ..api import ImageVersions

    def make() -> Any:
        service = ImageVersions.from_settings(
            option(args, "backend"),
            region=option(args, "region"),
            profile=option(args, "profile"),
            endpoint_url=option(args, "endpoint_url"),
        )
        service.gate.add_listener(_say_retrying)
        return service

    return make


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 error, 2 usage)."""
    argv = sys.argv[1:] if argv is None else argv
    as_json = "--json" in argv
    try:
        _, outcome = run(
            argv,
            lambda args: Context(_service_factory(args), _confirm_on_terminal, "cli"),
            parser=build_parser(),
        )
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
    if as_json:
        print(json.dumps(outcome.data, indent=2, default=str))
    else:
        print(outcome.text)
    return outcome.exit_status


def _fail(exc: ImageVersionsError, as_json: bool, status: int) -> int:
    if as_json:
        print(json.dumps(exc.to_dict()), file=sys.stderr)
    else:
        print(f"error: {' '.join(problem_text(exc).splitlines())}", file=sys.stderr)  # one line
    return status


if __name__ == "__main__":
    sys.exit(main())
