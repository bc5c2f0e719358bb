"""Where the local endpoint keeps its SQLite file: checked before opening, so a bad path is one
clear error naming the setting, not sqlite3's "unable to open database file" traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import SpecError


def db_problem(path: str) -> str | None:
    """Why the local endpoint cannot keep its SQLite file at `path`, or None."""
    if path == ":memory:":
        return None
    file = Path(path)
    if file.is_dir():
        return f"{path} is a directory, not a SQLite file"
    if not file.parent.is_dir():
        return f"{path}: the directory {file.parent} does not exist"
    return None


def open_endpoint(endpoint_class: Any, path: str, label: str, **options: Any) -> Any:
    """A LocalEndpoint on `path`; SpecError naming `label` when it cannot be opened."""
    import sqlite3

    problem = db_problem(path)
    if problem is None:
        try:
            return endpoint_class(path=path, **options)
        except (sqlite3.Error, OSError) as exc:
            problem = f"{path}: {exc}"
    raise SpecError({"local_db": f"{label}: {problem}"}, message=f"{label}: {problem}")
