"""ECR's layer operations: uploads in consecutive parts, availability, and download URLs.

Blobs (layers and config blobs) live in the endpoint's SQLite database, per repository as in
ECR, in chunks (:mod:`.blob_store`). A download URL is served by :class:`BlobServer` on the
loopback interface, and only for a blob that an image pushed to the repository references, as
ECR does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from . import blob_store
from .blob_server import BlobServer
from .names import LOCAL_ACCOUNT
from .protocol import ApiError, service_model
from .store import Store

Params = dict[str, Any]

OPERATIONS = frozenset(
    {
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
        "BatchCheckLayerAvailability",
        "GetDownloadUrlForLayer",
    }
)

#: ECR's documented part size bounds (service quotas): 5 MiB minimum but for the last part.
MIN_PART_SIZE = 5 * 1024 * 1024

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ecr_uploads (
        id TEXT PRIMARY KEY, repository TEXT NOT NULL, received INTEGER NOT NULL,
        created REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ecr_upload_parts (
        upload_id TEXT NOT NULL, first_byte INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (upload_id, first_byte))""",
    """CREATE TABLE IF NOT EXISTS ecr_blobs (
        repository TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (repository, digest))""",
    *blob_store.SCHEMA,
)

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _max_part() -> int:
    return int(service_model("ecr").shape_for("LayerPartBlob").metadata["max"])


def referenced_digests(manifest: str) -> dict[str, str | None]:
    """The blobs a manifest names: digest -> media type (config and layers)."""
    try:
        doc = json.loads(manifest)
    except ValueError:
        return {}
    if not isinstance(doc, dict):
        return {}
    found: dict[str, str | None] = {}
    entries = [doc.get("config"), *list(doc.get("layers") or [])]
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("digest"), str):
            found[entry["digest"]] = entry.get("mediaType")
    return found


class EcrLayers:
    """The layer operations; each public CamelCase method is one ECR operation."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        #: Lifetime of a download URL in seconds (ECR's pre-signed URLs are short-lived).
        self.url_lifetime = 600.0
        self._expire_next = 0
        self.blobs = BlobServer(self.blob_size, self.read_part, clock=lambda: self.clock())
        with store.transaction(write=True) as db:
            for statement in SCHEMA:
                db.execute(statement)
            blob_store.migrate(db)

    # ------------------------------------------------------------ uploads

    def InitiateLayerUpload(self, p: Params) -> Params:
        repo = p["repositoryName"]
        upload_id = str(uuid.uuid4())
        with self.store.transaction(write=True) as db:
            _require_repo(db, repo)
            db.execute(
                "INSERT INTO ecr_uploads (id, repository, received, created) VALUES (?, ?, 0, ?)",
                (upload_id, repo, self.clock()),
            )
        return {"uploadId": upload_id, "partSize": MIN_PART_SIZE}

    def UploadLayerPart(self, p: Params) -> Params:
        repo, upload_id = p["repositoryName"], p["uploadId"]
        first, last = p["partFirstByte"], p["partLastByte"]
        try:
            data = base64.b64decode(p["layerPartBlob"], validate=True)
        except (binascii.Error, ValueError):
            raise ApiError("InvalidParameterException", "layerPartBlob is not base64") from None
        if len(data) > _max_part():
            raise ApiError(
                "InvalidLayerPartException",
                f"The layer part is larger than the maximum of {_max_part()} bytes",
            )
        with self.store.transaction(write=True) as db:
            _require_repo(db, repo)
            upload = self._upload(db, repo, upload_id)
            received = upload["received"]
            if first != received or last != first + len(data) - 1 or not data:
                raise ApiError(
                    "InvalidLayerPartException",
                    f"The layer part with upload ID '{upload_id}' is out of order: expected "
                    f"partFirstByte {received} and partLastByte partFirstByte + size - 1 "
                    f"(got {first}-{last} for {len(data)} bytes). Last valid byte received: "
                    f"{received - 1}",
                )
            db.execute(
                "INSERT INTO ecr_upload_parts (upload_id, first_byte, data) VALUES (?, ?, ?)",
                (upload_id, first, data),
            )
            db.execute("UPDATE ecr_uploads SET received = ? WHERE id = ?", (last + 1, upload_id))
        return {
            "registryId": LOCAL_ACCOUNT,
            "repositoryName": repo,
            "uploadId": upload_id,
            "lastByteReceived": last,
        }

    def CompleteLayerUpload(self, p: Params) -> Params:
        repo, upload_id, digests = p["repositoryName"], p["uploadId"], p["layerDigests"]
        with self.store.transaction(write=True) as db:
            _require_repo(db, repo)
            self._upload(db, repo, upload_id)
            sizes = [
                row[0]
                for row in db.execute(
                    "SELECT length(data) FROM ecr_upload_parts WHERE upload_id = ?"
                    " ORDER BY first_byte",
                    (upload_id,),
                )
            ]
            if not sizes:
                raise ApiError(
                    "EmptyUploadException", f"The upload with ID '{upload_id}' has no parts"
                )
            if any(size < MIN_PART_SIZE for size in sizes[:-1]):
                raise ApiError(
                    "LayerPartTooSmallException",
                    f"Layer parts must be at least {MIN_PART_SIZE} bytes, but for the last one",
                )
            hasher = hashlib.sha256()
            for part in _parts(db, upload_id):
                hasher.update(part)
            digest = "sha256:" + hasher.hexdigest()
            if digest not in digests:
                raise ApiError(
                    "InvalidLayerException",
                    f"Invalid layer digest: the uploaded content has digest '{digest}', "
                    f"not {', '.join(repr(d) for d in digests)}",
                )
            if self._blob_size(db, repo, digest) is not None:
                raise ApiError(
                    "LayerAlreadyExistsException",
                    f"The layer '{digest}' already exists in the repository '{repo}'",
                )
            # part by part: one part in memory at a time
            blob_store.write_blob(db, repo, digest, _parts(db, upload_id))
            db.execute("DELETE FROM ecr_upload_parts WHERE upload_id = ?", (upload_id,))
            db.execute("DELETE FROM ecr_uploads WHERE id = ?", (upload_id,))
        return {
            "registryId": LOCAL_ACCOUNT,
            "repositoryName": repo,
            "uploadId": upload_id,
            "layerDigest": digest,
        }

    # ------------------------------------------------------------ reading

    def BatchCheckLayerAvailability(self, p: Params) -> Params:
        repo = p["repositoryName"]
        layers, failures = [], []
        with self.store.transaction() as db:
            _require_repo(db, repo)
            media_types = self._referenced(db, repo)
            for digest in p["layerDigests"]:
                if not _DIGEST.fullmatch(digest):
                    failures.append(
                        {
                            "layerDigest": digest,
                            "failureCode": "InvalidLayerDigest",
                            "failureReason": "Invalid layer digest",
                        }
                    )
                    continue
                size = self._blob_size(db, repo, digest)
                if size is None:
                    failures.append(
                        {
                            "layerDigest": digest,
                            "failureCode": "MissingLayerDigest",
                            "failureReason": "Layer digest not found",
                        }
                    )
                    continue
                layers.append(
                    {
                        "layerDigest": digest,
                        "layerAvailability": "AVAILABLE",
                        "layerSize": size,
                        "mediaType": media_types.get(digest),
                    }
                )
        return {"layers": layers, "failures": failures}

    def GetDownloadUrlForLayer(self, p: Params) -> Params:
        repo, digest = p["repositoryName"], p["layerDigest"]
        with self.store.transaction() as db:
            _require_repo(db, repo)
            if self._blob_size(db, repo, digest) is None:
                raise ApiError(
                    "LayersNotFoundException",
                    f"The image layer '{digest}' does not exist in the repository '{repo}' "
                    f"in the registry with id '{LOCAL_ACCOUNT}'",
                )
            if digest not in self._referenced(db, repo):
                raise ApiError(
                    "LayerInaccessibleException",
                    f"The specified layer '{digest}' is not available because it is not "
                    "associated with an image. Unassociated image layers may be cleaned up "
                    "at any time.",
                )
        lifetime = self.url_lifetime
        if self._expire_next > 0:
            self._expire_next -= 1
            lifetime = -1.0
        return {"downloadUrl": self.blobs.url(repo, digest, lifetime), "layerDigest": digest}

    def expire_next_urls(self, count: int) -> None:
        """Fault injection: the next ``count`` download URLs are expired when issued (403)."""
        self._expire_next = count

    def blob_size(self, repository: str, digest: str) -> int | None:
        """A stored blob's size, or None (the blob server's lookup)."""
        with self.store.transaction() as db:
            return self._blob_size(db, repository, digest)

    def read_part(self, repository: str, digest: str, offset: int, count: int) -> bytes:
        """``count`` bytes of a stored blob from ``offset``, from the chunks that hold them."""
        with self.store.transaction() as db:
            return blob_store.read_blob_part(db, repository, digest, offset, count)

    def close(self) -> None:
        """Stop the blob server."""
        self.blobs.close()

    # ------------------------------------------------------------ helpers

    def _upload(self, db: sqlite3.Connection, repo: str, upload_id: str) -> Any:
        row = db.execute(
            "SELECT * FROM ecr_uploads WHERE id = ? AND repository = ?", (upload_id, repo)
        ).fetchone()
        if row is None:
            raise ApiError(
                "UploadNotFoundException",
                f"The upload with ID '{upload_id}' does not exist in the repository '{repo}'",
            )
        return row

    def _blob_size(self, db: sqlite3.Connection, repo: str, digest: str) -> int | None:
        row = db.execute(
            "SELECT size FROM ecr_blobs WHERE repository = ? AND digest = ?", (repo, digest)
        ).fetchone()
        return None if row is None else int(row["size"])

    def _referenced(self, db: sqlite3.Connection, repo: str) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for row in db.execute("SELECT manifest FROM ecr_images WHERE repository = ?", (repo,)):
            found.update(referenced_digests(row["manifest"]))
        return found


def _parts(db: sqlite3.Connection, upload_id: str) -> Iterator[bytes]:
    """An upload's parts in order, read one at a time."""
    first = -1
    while True:
        row = db.execute(
            "SELECT first_byte, data FROM ecr_upload_parts WHERE upload_id = ? AND first_byte > ?"
            " ORDER BY first_byte LIMIT 1",
            (upload_id, first),
        ).fetchone()
        if row is None:
            return
        first = row[0]
        yield row[1]


def _require_repo(db: sqlite3.Connection, name: str) -> None:
    if db.execute("SELECT 1 FROM repositories WHERE name = ?", (name,)).fetchone() is None:
        raise ApiError(
            "RepositoryNotFoundException",
            f"The repository with name '{name}' does not exist in the registry "
            f"with id '{LOCAL_ACCOUNT}'",
        )
