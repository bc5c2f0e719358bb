"""The layer cache: what a layer holds, by layer digest and scanner version, read once, ever.

Layers are content-addressed and immutable, so an entry never goes stale; the scanner's version
is in the key, so a better scanner reads again. Three tables in one SQLite file beside the
describe cache (WAL, busy timeout, short transactions; shared by the server, its kernels and the
CLI): layer scans, config blobs (small, content-addressed too) and finished inventories by
manifest digest. A bounded memory part in front of it serves a process's repeated reads.
`JUPYTER_IMAGE_VERSIONS_LAYER_CACHE=off` (or a path) sets it per process; the service's
`layer_cache` argument and the server's traitlet too. An entry that does not decode is deleted,
never served; a file that is not a database is replaced.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..core.describe_cache import cache_file_path
from .layer_scan import MAX_ID, SCANNER_VERSION, LayerScan, RawEntry

CACHE_ENV = "JUPYTER_IMAGE_VERSIONS_LAYER_CACHE"
MEMORY_ITEMS = 64
FILE_LAYERS = 20_000
log = logging.getLogger(__name__)


def default_layer_cache_path(setting: str | bool | None = None) -> str | None:
    """Where the file lives, or None when it is off (setting, then the env var, then the
    user's cache directory, beside describe.sqlite)."""
    return cache_file_path(setting, CACHE_ENV, "layers.sqlite")


def encode_scan(scan: LayerScan) -> bytes:
    doc = {
        "compression": scan.compression,
        "entries": [[e.path, e.kind, e.uid, e.gid, e.link] for e in scan.entries],
        "files": {p: base64.b64encode(d).decode() for p, d in scan.files.items()},
        "records": scan.records,
        "uncompressed": scan.uncompressed,
    }
    return zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 1)


def decode_scan(data: bytes, index: int, digest: str) -> LayerScan:
    doc = json.loads(zlib.decompress(data))
    entries = [RawEntry(p, k, u, g, link) for p, k, u, g, link in doc["entries"]]
    return LayerScan(
        index,
        digest,
        doc["compression"],
        entries=entries,
        files={p: base64.b64decode(d) for p, d in doc["files"].items()},
        large_ids=[e for e in entries if e.uid > MAX_ID or e.gid > MAX_ID],
        records=doc["records"],
        uncompressed=doc["uncompressed"],
        cached=True,
    )


class LayerCache:
    """Layer scans, config blobs and inventories in memory and, with `path`, in SQLite."""

    def __init__(self, path: str | None = None, *, file_layers: int = FILE_LAYERS) -> None:
        self.path = path
        self.file_layers = file_layers
        self._memory: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._guard = threading.Lock()
        self._db_guard = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._db_broken = False

    # -- the three kinds ---------------------------------------------------------------------

    def layer(self, digest: str, index: int) -> LayerScan | None:
        data = self._get("layers", digest)
        if data is None:
            return None
        try:
            return decode_scan(data, index, digest)
        except (ValueError, TypeError, KeyError, zlib.error):
            self._delete("layers", digest)
            return None

    def put_layer(self, scan: LayerScan) -> None:
        if scan.error is None and not scan.cached:
            self._put("layers", scan.digest, encode_scan(scan))

    def blob(self, digest: str) -> bytes | None:
        return self._get("blobs", digest)

    def put_blob(self, digest: str, data: bytes) -> None:
        self._put("blobs", digest, data)

    def inventory(self, key: str) -> dict[str, Any] | None:
        data = self._get("inventories", key)
        try:
            return None if data is None else json.loads(zlib.decompress(data))
        except (ValueError, zlib.error):
            self._delete("inventories", key)
            return None

    def put_inventory(self, key: str, value: dict[str, Any]) -> None:
        self._put("inventories", key, zlib.compress(json.dumps(value).encode(), 1))

    # -- memory, then the file -----------------------------------------------------------------

    def _get(self, table: str, key: str) -> bytes | None:
        with self._guard:
            if (table, key) in self._memory:
                self._memory.move_to_end((table, key))
                return self._memory[(table, key)]
        data = self._file_get(table, key)
        if data is not None:
            self._remember(table, key, data)
        return data

    def _put(self, table: str, key: str, data: bytes) -> None:
        self._remember(table, key, data)
        self._file_put(table, key, data)

    def _remember(self, table: str, key: str, data: bytes) -> None:
        with self._guard:
            self._memory[(table, key)] = data
            while len(self._memory) > MEMORY_ITEMS:
                self._memory.popitem(last=False)

    def clear_memory(self) -> None:
        with self._guard:
            self._memory.clear()

    def _db(self) -> sqlite3.Connection | None:
        if self._db_broken or not self.path:
            return None
        if self._conn is None:
            try:
                self._conn = self._open()
            except sqlite3.DatabaseError:  # not a database (or a damaged one): start it again
                log.warning("layer cache %s is damaged; rebuilding it", self.path)
                try:
                    for suffix in ("", "-wal", "-shm"):
                        Path(self.path + suffix).unlink(missing_ok=True)
                    self._conn = self._open()
                except (OSError, sqlite3.Error) as exc:
                    return self._give_up(exc)
            except OSError as exc:
                return self._give_up(exc)
        return self._conn

    def _open(self) -> sqlite3.Connection:
        assert self.path
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for table in ("layers", "blobs", "inventories"):
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, scanner INTEGER,"
                " value BLOB NOT NULL, used REAL NOT NULL)"
            )
        db.execute("SELECT count(*) FROM layers").fetchone()  # fails on a damaged file
        return db

    def _give_up(self, exc: Exception) -> None:
        log.warning("layer cache %s unusable (%s); caching in memory only", self.path, exc)
        self._db_broken = True
        return None

    def _file_get(self, table: str, key: str) -> bytes | None:
        with self._db_guard:
            db = self._db()
            if db is None:
                return None
            try:
                row = db.execute(
                    f"SELECT value FROM {table} WHERE key=? AND scanner=?", (key, SCANNER_VERSION)
                ).fetchone()
            except sqlite3.Error as exc:
                log.warning("layer cache read failed: %s", exc)
                return None
        return None if row is None else bytes(row[0])

    def _file_put(self, table: str, key: str, data: bytes) -> None:
        with self._db_guard:
            db = self._db()
            if db is None:
                return
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)",
                    (key, SCANNER_VERSION, data, time.time()),
                )
                (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
                if count > self.file_layers:
                    db.execute(
                        f"DELETE FROM {table} WHERE rowid IN"
                        f" (SELECT rowid FROM {table} ORDER BY used LIMIT ?)",
                        (count - self.file_layers,),
                    )
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                log.warning("layer cache write failed: %s", exc)
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")

    def _delete(self, table: str, key: str) -> None:
        with self._guard:
            self._memory.pop((table, key), None)
        with self._db_guard:
            db = self._db()
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    db.execute(f"DELETE FROM {table} WHERE key=?", (key,))

    def close(self) -> None:
        with self._db_guard:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
