"""The local endpoint's blobs read through its real download URLs, on every supported Python.

Python 3.10's sqlite3 has no ``Connection.blobopen``: before blobs were stored in chunks, every
read there failed in the blob server's thread (issue 24). ``scripts/test.sh``'s compat stage runs
this file on Python 3.10 and 3.13.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.request

import pytest

from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.blob_store import CHUNK_SIZE
from jupyter_image_versions.local.image_push import sha256, upload_blob

REPO = "team/chunked"
#: three chunks, the last one partial
DATA = bytes(range(251)) * ((2 * CHUNK_SIZE + 12345) // 251)


def _publish(ecr, data: bytes) -> str:
    """Upload ``data`` and push a manifest naming it, so ECR hands out a download URL."""
    digest = upload_blob(ecr, REPO, data)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": digest,
            "size": len(data),
        },
        "layers": [],
    }
    ecr.put_image(repositoryName=REPO, imageTag="t", imageManifest=json.dumps(manifest))
    return digest


def _get(url: str, first: int | None = None, last: int | None = None) -> bytes:
    headers = {} if first is None else {"Range": f"bytes={first}-{'' if last is None else last}"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        assert r.status == (200 if first is None else 206)
        return r.read()


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "blobs.sqlite")


def test_a_blob_is_read_whole_and_in_ranges_through_its_download_url(db_path):
    endpoint = LocalEndpoint(db_path)
    try:
        ecr = endpoint.client("ecr")
        ecr.create_repository(repositoryName=REPO)
        digest = _publish(ecr, DATA)
        url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=digest)["downloadUrl"]
        assert sha256(_get(url)) == digest
        # a range across a chunk's end, one inside a chunk, and the tail of the last chunk
        assert _get(url, CHUNK_SIZE - 7, CHUNK_SIZE + 8) == DATA[CHUNK_SIZE - 7 : CHUNK_SIZE + 9]
        assert _get(url, 100, 199) == DATA[100:200]
        assert _get(url, len(DATA) - 5) == DATA[-5:]
    finally:
        endpoint.close()
    # stored in rows of at most CHUNK_SIZE bytes: a read never loads a whole blob
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT length(data) FROM ecr_blob_chunks ORDER BY first_byte").fetchall()
        assert [n for (n,) in rows] == [CHUNK_SIZE, CHUNK_SIZE, len(DATA) - 2 * CHUNK_SIZE]
        assert db.execute("SELECT size, length(data) FROM ecr_blobs").fetchall() == [(len(DATA), 0)]


def test_a_file_with_whole_blobs_from_an_older_version_is_moved_to_chunks(db_path):
    endpoint = LocalEndpoint(db_path)
    ecr = endpoint.client("ecr")
    ecr.create_repository(repositoryName=REPO)
    digest = _publish(ecr, DATA)
    endpoint.close()
    # the layout the endpoint wrote before: the bytes whole in ecr_blobs.data, no chunks
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE ecr_blobs SET data = ?", (DATA,))
        db.execute("DELETE FROM ecr_blob_chunks")
    endpoint = LocalEndpoint(db_path)
    try:
        ecr = endpoint.client("ecr")
        url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=digest)["downloadUrl"]
        assert _get(url) == DATA
        assert _get(url, CHUNK_SIZE, CHUNK_SIZE) == DATA[CHUNK_SIZE : CHUNK_SIZE + 1]
        check = ecr.batch_check_layer_availability(repositoryName=REPO, layerDigests=[digest])
        assert check["layers"][0]["layerSize"] == len(DATA)
    finally:
        endpoint.close()
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM ecr_blob_chunks").fetchone() == (3,)
        assert db.execute("SELECT length(data) FROM ecr_blobs").fetchall() == [(0,)]
