"""SQLite state of the local endpoint: safe for many threads and many processes."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator

from .lifecycle import migrate

SCHEMA = """
CREATE TABLE IF NOT EXISTS images (
    name TEXT PRIMARY KEY,
    display_name TEXT,
    description TEXT,
    role_arn TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    next_version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS versions (
    image TEXT NOT NULL,
    version INTEGER NOT NULL,
    client_token TEXT,
    base_image TEXT NOT NULL,
    container_image TEXT,
    outcome TEXT NOT NULL,
    failure_reason TEXT,
    ready_at REAL NOT NULL,
    vendor_guidance TEXT,
    job_type TEXT,
    ml_framework TEXT,
    programming_lang TEXT,
    processor TEXT,
    horovod INTEGER,
    release_notes TEXT,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    PRIMARY KEY (image, version)
);
CREATE INDEX IF NOT EXISTS versions_token ON versions (image, client_token);
CREATE TABLE IF NOT EXISTS aliases (
    image TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (image, alias)
);
CREATE TABLE IF NOT EXISTS repositories (
    name TEXT PRIMARY KEY,
    created REAL NOT NULL,
    tag_mutability TEXT NOT NULL,
    scan_on_push INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ecr_images (
    repository TEXT NOT NULL,
    digest TEXT NOT NULL,
    manifest TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    pushed_at REAL NOT NULL,
    PRIMARY KEY (repository, digest)
);
CREATE TABLE IF NOT EXISTS ecr_tags (
    repository TEXT NOT NULL,
    tag TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (repository, tag)
);
-- Studio (studio_ops.py): JSON documents as the API shapes them.
CREATE TABLE IF NOT EXISTS app_image_configs (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS domains (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS user_profiles (
    domain_id TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    PRIMARY KEY (domain_id, name)
);
CREATE TABLE IF NOT EXISTS studio_lifecycle_configs (
    name TEXT PRIMARY KEY,
    app_type TEXT NOT NULL,
    content TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL
);
"""


class Store:
    """A SQLite database: ``":memory:"`` (one shared connection) or a file (a connection pool).

    Use :meth:`transaction` for every access; ``write=True`` takes the write lock up front
    (``BEGIN IMMEDIATE``), so read-modify-write sequences such as allocating a version
    number are atomic across threads and processes.
    """

    def __init__(self, path: str = ":memory:", busy_timeout_ms: int = 30_000) -> None:
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self._busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._idle: list[sqlite3.Connection] = []  # file databases: a pool, one per transaction
        self._connections: list[sqlite3.Connection] = []
        self._shared: sqlite3.Connection | None = None
        self._busy: set[sqlite3.Connection] = set()  # file databases: in a transaction now
        self._closing = False
        # executescript would commit on its own; run the schema statement by statement.
        with self.transaction(write=True) as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            migrate(db)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        if not self.memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._connections.append(conn)
            if not self.memory:
                self._busy.add(conn)  # handed to a transaction (see _acquire)
        return conn

    def _acquire(self) -> sqlite3.Connection:
        if self.memory:
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        with self._lock:
            if self._idle:
                conn = self._idle.pop()
                self._busy.add(conn)
                return conn
        return self._connect()

    def _release(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:  # a failed COMMIT or ROLLBACK: never reuse a half-open one
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                self._discard(conn)
                return
        with self._lock:  # an RLock: _discard takes it again
            self._busy.discard(conn)
            if self.memory:
                return
            if self._closing:  # closed while this transaction ran: close it now, here
                self._discard(conn)
            elif conn in self._connections:
                self._idle.append(conn)

    def _discard(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._busy.discard(conn)
            if conn in self._connections:
                self._connections.remove(conn)
            if conn is self._shared:
                self._shared = None
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    @contextlib.contextmanager
    def transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A transaction on a connection of its own; commits on success, else rolls back."""
        lock = self._lock if self.memory else contextlib.nullcontext()
        with lock:
            conn = self._acquire()
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                self._release(conn)

    def close(self) -> None:
        """Close every connection this store opened.

        A connection another thread is using in a transaction is closed when that transaction
        ends: closing it under a running statement can crash the process (SQLite is not safe
        against that), e.g. when a pool thread of a service outlives the test that closed it.
        """
        with self._lock:
            self._closing = True
            for conn in [c for c in self._connections if c not in self._busy]:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
                self._connections.remove(conn)
            self._idle.clear()
            self._shared = None
