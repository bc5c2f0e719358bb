"""The describe cache: settled versions by (ImageVersionArn, LastModifiedTime, status).

Two layers: an LRU dict in the process, and a SQLite file under the user's cache directory that
the server, its kernels and the CLI on one machine share (WAL, busy timeout, one short
transaction per batch). A key changes whenever AWS changes the version (its LastModifiedTime or
status), so an entry is never stale; an entry that does not decode is deleted, never served; a
file that is not a database is replaced. `JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE=off` (or a path)
sets it per process; the service's `describe_cache` argument and the server's traitlet too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any

from .models import ImageVersion

CACHE_ENV = "JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE"
OFF = ("off", "0", "false", "no", "none")
MEMORY_ENTRIES = 20_000
FILE_ENTRIES = 50_000
SCHEMA = 1
log = logging.getLogger(__name__)

Key = tuple[str, str, str]


def cache_key(summary: dict[str, Any]) -> Key:
    """The key of a ListImageVersions summary (or a describe answer)."""
    modified = summary.get("LastModifiedTime")
    when = modified.isoformat() if isinstance(modified, datetime) else str(modified)
    return (summary["ImageVersionArn"], when, str(summary.get("ImageVersionStatus")))


def cache_file_path(setting: str | bool | None, env: str, file_name: str) -> str | None:
    """Where a cache file shared by processes lives, or None when it is off: the setting, then
    the environment variable `env` (`off` and its synonyms turn it off), then `file_name` in
    the user's cache directory. The describe cache and the layer cache follow this one rule."""
    if setting is False:
        return None
    value = setting if isinstance(setting, str) else os.environ.get(env, "")
    if value.strip().lower() in OFF:
        return None
    if value.strip():
        return value
    import platformdirs

    return str(Path(platformdirs.user_cache_dir("jupyter-image-versions")) / file_name)


def default_cache_path(setting: str | bool | None = None) -> str | None:
    """Where the persistent layer lives, or None when it is off (setting, then the env var)."""
    return cache_file_path(setting, CACHE_ENV, "describe.sqlite")


def _encode(version: ImageVersion) -> str:
    return json.dumps({"schema": SCHEMA, **version.to_dict()})


def _decode(text: str) -> ImageVersion:
    data = json.loads(text)
    if data.pop("schema", None) != SCHEMA:
        raise ValueError("another schema")
    for name in ("created", "modified"):
        if data.get(name) is not None:
            data[name] = datetime.fromisoformat(data[name])
    data["aliases"] = ()
    return ImageVersion(**data)


class DescribeCache:
    """Settled versions in memory and, when `path` is given, in a shared SQLite file."""

    def __init__(
        self, path: str | None = None, *, scope: str = "", file_entries: int = FILE_ENTRIES
    ) -> None:
        self.path = path
        self.scope = scope  # which AWS (endpoint, local db): the same ARN may exist in several
        self.file_entries = file_entries
        self._memory: OrderedDict[Key, ImageVersion] = OrderedDict()
        self._guard = threading.Lock()
        self._db_guard = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._db_broken = False

    # -- memory --------------------------------------------------------------------------------

    def get_many(self, keys: list[Key]) -> dict[Key, ImageVersion]:
        """The cached versions among `keys` (memory first, then the file in one query)."""
        found: dict[Key, ImageVersion] = {}
        with self._guard:
            for key in keys:
                if key in self._memory:
                    self._memory.move_to_end(key)
                    found[key] = self._memory[key]
        missing = [k for k in keys if k not in found]
        if missing and self.path:
            from_file = self._file_get(missing)
            self._remember(from_file)
            found.update(from_file)
        return found

    def put_many(self, versions: dict[Key, ImageVersion]) -> None:
        if not versions:
            return
        self._remember(versions)
        if self.path:
            self._file_put(versions)

    def _remember(self, versions: dict[Key, ImageVersion]) -> None:
        with self._guard:
            self._memory.update(versions)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def clear_memory(self) -> None:
        with self._guard:
            self._memory.clear()

    # -- the file ------------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection | None:
        if self._db_broken or not self.path:
            return None
        if self._conn is not None:
            return self._conn
        try:
            db = self._open()
        except sqlite3.DatabaseError:  # not a database (or a damaged one): start it again
            log.warning("describe cache %s is damaged; rebuilding it", self.path)
            try:
                for suffix in ("", "-wal", "-shm"):
                    Path(self.path + suffix).unlink(missing_ok=True)
                db = self._open()
            except (OSError, sqlite3.Error) as exc:
                return self._give_up(exc)
        except OSError as exc:
            return self._give_up(exc)
        self._conn = db
        return db

    def _open(self) -> sqlite3.Connection:
        assert self.path
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS versions (arn TEXT, modified TEXT, status TEXT,"
            " value TEXT NOT NULL, used REAL NOT NULL, PRIMARY KEY (arn, modified, status))"
        )
        db.execute("CREATE INDEX IF NOT EXISTS versions_used ON versions (used)")
        db.execute("SELECT count(*) FROM versions").fetchone()  # fails on a damaged file
        return db

    def _give_up(self, exc: Exception) -> None:
        log.warning("describe cache %s unusable (%s); caching in memory only", self.path, exc)
        self._db_broken = True
        return None

    def _file_get(self, keys: list[Key]) -> dict[Key, ImageVersion]:
        with self._db_guard:
            return self._file_get_locked(keys)

    def _file_put(self, versions: dict[Key, ImageVersion]) -> None:
        with self._db_guard:
            self._file_put_locked(versions)

    def _file_get_locked(self, keys: list[Key]) -> dict[Key, ImageVersion]:
        db = self._db()
        if db is None:
            return {}
        found: dict[Key, ImageVersion] = {}
        bad: list[Key] = []
        try:
            for start in range(0, len(keys), 300):
                chunk = keys[start : start + 300]
                where = " OR ".join(["(arn=? AND modified=? AND status=?)"] * len(chunk))
                params = [p for arn, m, st in chunk for p in (self.scope + arn, m, st)]
                rows = db.execute(
                    f"SELECT arn, modified, status, value FROM versions WHERE {where}", params
                ).fetchall()
                for stored, modified, status, value in rows:
                    arn = stored[len(self.scope) :]
                    key = (arn, modified, status)
                    try:
                        version = _decode(value)
                    except (ValueError, TypeError, KeyError):
                        bad.append(key)
                        continue
                    if version.arn != arn:
                        bad.append(key)
                        continue
                    found[key] = version
            if bad:
                db.executemany(
                    "DELETE FROM versions WHERE arn=? AND modified=? AND status=?",
                    [(self.scope + arn, m, st) for arn, m, st in bad],
                )
        except sqlite3.Error as exc:
            log.warning("describe cache read failed: %s", exc)
            return {}
        return found

    def _file_put_locked(self, versions: dict[Key, ImageVersion]) -> None:
        db = self._db()
        if db is None:
            return
        now = time.time()
        rows = [(self.scope + a, m, st, _encode(v), now) for (a, m, st), v in versions.items()]
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?)", rows)
            (count,) = db.execute("SELECT count(*) FROM versions").fetchone()
            if count > self.file_entries:
                db.execute(
                    "DELETE FROM versions WHERE rowid IN"
                    " (SELECT rowid FROM versions ORDER BY used LIMIT ?)",
                    (count - self.file_entries,),
                )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            log.warning("describe cache write failed: %s", exc)
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def close(self) -> None:
        with self._db_guard:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
