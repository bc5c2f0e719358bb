"""`--output table|json|yaml` and `--query JMESPATH`: a command's data as the AWS CLI prints it.

`--query` is applied to the shape `--json` prints (a history is a list of versions:
`--query "[?status=='CREATED'].version"`); with `--output table` a queried value prints as text
(a scalar as is, a list of scalars one per line, anything else as JSON).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .base import UsageError, option, output_format


def check_output(args: argparse.Namespace) -> None:
    """Refuse contradictory formats and an invalid `--query` before any AWS call."""
    chosen = option(args, "output_format")
    if option(args, "json", False) and chosen not in (None, "json"):
        raise UsageError(f"--json and --output {chosen} contradict each other; give one")
    expression = option(args, "query")
    if expression is not None:
        import warnings

        import jmespath
        from jmespath.exceptions import JMESPathError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PendingDeprecationWarning)
                jmespath.compile(expression)
        except JMESPathError as exc:
            reason = " ".join(str(exc).split())
            message = f"--query: {expression!r} is not a JMESPath expression: {reason}"
            raise UsageError(message) from None


def queried(args: argparse.Namespace, data: Any) -> Any:
    """`data` as JSON would carry it (times as text), with `--query` applied."""
    plain = json.loads(json.dumps(data, default=str))
    expression = option(args, "query")
    if expression is None:
        return plain
    import warnings

    import jmespath

    with warnings.catch_warnings():  # `CREATED` (a JSON literal without quotes) as the AWS CLI
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return jmespath.search(expression, plain)


def as_text(value: Any) -> str:
    """A queried value for `--output table`: scalars plain, a list of scalars one per line."""
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return str(value)
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "\n".join("" if v is None else str(v) for v in value)
    return json.dumps(value, indent=2)


def render(args: argparse.Namespace, data: Any) -> str:
    """The machine-readable output of a command: json, yaml, or a queried value as text."""
    value = queried(args, data)
    fmt = output_format(args)
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).rstrip("\n")
    if fmt == "json":
        return json.dumps(value, indent=2)
    return as_text(value)


def machine_readable(args: argparse.Namespace) -> bool:
    """Whether the command prints data rather than its table (no progress, no colour)."""
    return output_format(args) != "table" or option(args, "query") is not None
