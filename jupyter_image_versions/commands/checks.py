"""Checks of command-line values shared by every command: whole numbers in a range, valid text,
and files the local endpoint can open. Each names the option it refuses."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ..core import awsmodel
from ..core.localdb import db_problem
from .base import UsageError
from .output import check_output

HISTORY_LIMIT = (1, 10_000)
PORT = (0, 65_535)


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type`: a whole number from `low` to `high` (argparse names the option)."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{text!r} must be a whole number from {low} to {high}"
            )
        return value

    parse.__name__ = "whole number"
    return parse


def check_text(args: argparse.Namespace) -> None:
    """Refuse any argument that is not valid text (invalid UTF-8 on a command line arrives as
    lone surrogates), naming its option."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            problem = isinstance(item, str) and awsmodel.text_problem(item)
            if problem:
                raise UsageError(f"{_option_name(name)} {problem}")


def _option_name(dest: str) -> str:
    if dest in ("image", "target", "base_image", "name", "guidance"):
        return dest.upper()
    return "--" + {"release_notes": "notes"}.get(dest, dest).replace("_", "-")


def check_db(path: str, label: str) -> str:
    """`path` when the local endpoint can keep its SQLite file there; else a UsageError."""
    problem = db_problem(path)
    if problem:
        raise UsageError(f"{label}: {problem}")
    return path


def checked(args: Any) -> Any:
    check_text(args)
    check_output(args)
    return args
