"""Asynchronous states of images and versions: CREATING, UPDATING, DELETING, then settled.

Like the version's CREATING phase, every state is computed on read from times stored when the
request was accepted, so several processes sharing one SQLite file agree on it. A deleted row
stays (``DELETING``) until its ``gone_at`` time, then reads treat it as absent and the next write
transaction removes it for good (:func:`purge`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

Params = dict[str, Any]

#: Columns added to the tables of ``store.SCHEMA`` (older files are migrated on open).
COLUMNS = (
    ("versions", "request_digest", "TEXT"),
    ("versions", "gone_at", "REAL"),
    ("versions", "delete_failure", "TEXT"),
    ("images", "gone_at", "REAL"),
    ("images", "ready_at", "REAL"),
    ("images", "update_done_at", "REAL"),
)

DELETE_FAILURE = (
    "Unable to delete image version: the image version is in use or the role cannot access "
    "it (injected)."
)


def migrate(db: sqlite3.Connection) -> None:
    """Add the columns above to tables made by an older version of the schema."""
    for table, column, kind in COLUMNS:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


#: SQL for :func:`version_gone` of a ``versions`` row (one parameter: now).
GONE = "(gone_at IS NOT NULL AND gone_at <= ? AND delete_failure IS NULL)"


def version_gone(row: sqlite3.Row, now: float) -> bool:
    """Whether a deleted version's time has come (a failed delete leaves it in place)."""
    return row["gone_at"] is not None and row["gone_at"] <= now and not row["delete_failure"]


def image_gone(row: sqlite3.Row, now: float) -> bool:
    return row["gone_at"] is not None and row["gone_at"] <= now


def image_status(row: sqlite3.Row, now: float) -> str:
    """CREATING until ``ready_at``, UPDATING until ``update_done_at``, DELETING, or CREATED."""
    if row["gone_at"] is not None:
        return "DELETING"
    if row["ready_at"] is not None and now < row["ready_at"]:
        return "CREATING"
    if row["update_done_at"] is not None and now < row["update_done_at"]:
        return "UPDATING"
    return "CREATED"


def version_state(row: sqlite3.Row, now: float) -> tuple[str, float, str | None]:
    """(status, LastModifiedTime, FailureReason) of a version row at `now`."""
    if row["gone_at"] is not None:
        if now < row["gone_at"] or not row["delete_failure"]:
            return "DELETING", row["modified"], None
        return "DELETE_FAILED", max(row["modified"], row["gone_at"]), row["delete_failure"]
    if now < row["ready_at"]:
        return "CREATING", row["modified"], None
    return row["outcome"], max(row["modified"], row["ready_at"]), row["failure_reason"]


def purge(db: sqlite3.Connection, now: float) -> None:
    """Remove what finished deleting; called first in every write transaction."""
    gone_images = "SELECT name FROM images WHERE gone_at IS NOT NULL AND gone_at <= ?"
    gone_versions = (
        "SELECT image, version FROM versions WHERE gone_at IS NOT NULL AND gone_at <= ?"
        " AND delete_failure IS NULL"
    )
    for table, column in (("aliases", "image"), ("versions", "image")):
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({gone_images})", (now,))
    db.execute(f"DELETE FROM images WHERE name IN ({gone_images})", (now,))
    db.execute(f"DELETE FROM aliases WHERE (image, version) IN ({gone_versions})", (now,))
    db.execute(f"DELETE FROM versions WHERE (image, version) IN ({gone_versions})", (now,))


@contextlib.contextmanager
def write_transaction(store: Any, clock: Callable[[], float]) -> Iterator[sqlite3.Connection]:
    """A write transaction of `store` that first removes what finished deleting."""
    with store.transaction(write=True) as db:
        purge(db, clock())
        yield db


def request_digest(p: Params) -> str:
    """A digest of a CreateImageVersion request without its ClientToken (aliases as a set)."""
    request = {k: v for k, v in p.items() if k != "ClientToken" and v is not None}
    if "Aliases" in request:
        request["Aliases"] = sorted(request["Aliases"])
    text = json.dumps(request, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
