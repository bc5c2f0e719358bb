"""The local endpoint's ECR blobs in SQLite, stored in rows of at most ``CHUNK_SIZE`` bytes.

Any part of a blob is read from the one or two rows that hold it, so the blob server streams a
layer of any size without loading it whole, on every Python: ``sqlite3.Connection.blobopen``
(incremental blob I/O) exists from Python 3.11 only, and SQLite's ``substr()`` on a blob reads the
whole value on every call. ``ecr_blobs`` keeps each blob's size (its ``data`` is empty); files
written by an older version, with the bytes in ``ecr_blobs.data``, are moved to chunks on open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

#: The size of one stored row of a blob.
CHUNK_SIZE = 1 << 20

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ecr_blob_chunks (
        repository TEXT NOT NULL, digest TEXT NOT NULL, first_byte INTEGER NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (repository, digest, first_byte))""",
)


def write_blob(db: sqlite3.Connection, repository: str, digest: str, parts: Iterable[bytes]) -> int:
    """Store a blob given as consecutive parts (any sizes); return its size."""
    size, chunk = 0, bytearray()
    for part in parts:
        view = memoryview(part)
        while view:
            taken = view[: CHUNK_SIZE - len(chunk)]
            chunk += taken
            view = view[len(taken) :]
            if len(chunk) == CHUNK_SIZE:
                _insert_chunk(db, repository, digest, size, bytes(chunk))
                size += len(chunk)
                chunk.clear()
    if chunk:
        _insert_chunk(db, repository, digest, size, bytes(chunk))
        size += len(chunk)
    db.execute(
        "INSERT INTO ecr_blobs (repository, digest, size, data) VALUES (?, ?, ?, X'')",
        (repository, digest, size),
    )
    return size


def read_blob_part(
    db: sqlite3.Connection, repository: str, digest: str, offset: int, count: int
) -> bytes:
    """``count`` bytes of a stored blob from ``offset`` (fewer at its end; b"" when absent)."""
    if count <= 0:
        return b""
    key = (repository, digest)
    start = db.execute(
        "SELECT MAX(first_byte) FROM ecr_blob_chunks"
        " WHERE repository = ? AND digest = ? AND first_byte <= ?",
        (*key, offset),
    ).fetchone()[0]
    if start is None:
        return b""
    rows = db.execute(
        "SELECT first_byte, data FROM ecr_blob_chunks WHERE repository = ? AND digest = ?"
        " AND first_byte >= ? AND first_byte < ? ORDER BY first_byte",
        (*key, start, offset + count),
    )
    pieces = []
    for first, data in rows:
        begin = max(offset - first, 0)
        pieces.append(data[begin : offset + count - first])
    return b"".join(pieces)


def migrate(db: sqlite3.Connection) -> int:
    """Move blobs stored whole in ``ecr_blobs.data`` (older files) to chunks; return how many."""
    rows = db.execute("SELECT repository, digest FROM ecr_blobs WHERE length(data) > 0").fetchall()
    for repository, digest in rows:
        # once per blob and file: the only read of a whole blob
        (data,) = db.execute(
            "SELECT data FROM ecr_blobs WHERE repository = ? AND digest = ?", (repository, digest)
        ).fetchone()
        db.execute(
            "DELETE FROM ecr_blobs WHERE repository = ? AND digest = ?", (repository, digest)
        )
        db.execute(
            "DELETE FROM ecr_blob_chunks WHERE repository = ? AND digest = ?", (repository, digest)
        )
        write_blob(db, repository, digest, [bytes(data)])
    return len(rows)


def _insert_chunk(
    db: sqlite3.Connection, repository: str, digest: str, first: int, data: bytes
) -> None:
    db.execute(
        "INSERT INTO ecr_blob_chunks (repository, digest, first_byte, data) VALUES (?, ?, ?, ?)",
        (repository, digest, first, data),
    )
