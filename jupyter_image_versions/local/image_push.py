"""Build small container images with ``tarfile`` and push them through the ECR API.

Used by the demo, the tests and the benchmark; it speaks only ECR's public operations
(InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage), so it works on any
ECR endpoint.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from typing import Any

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
LAYER_TYPES = {
    ("oci", "gzip"): "application/vnd.oci.image.layer.v1.tar+gzip",
    ("oci", "zstd"): "application/vnd.oci.image.layer.v1.tar+zstd",
    ("oci", "plain"): "application/vnd.oci.image.layer.v1.tar",
    ("docker", "gzip"): "application/vnd.docker.image.rootfs.diff.tar.gzip",
    ("docker", "zstd"): "application/vnd.docker.image.rootfs.diff.tar.zstd",
    ("docker", "plain"): "application/vnd.docker.image.rootfs.diff.tar",
}
PART_SIZE = 5 * 1024 * 1024


@dataclass
class Entry:
    """One tar entry: a file (``data``), a directory, or a symlink (``link``)."""

    path: str
    data: bytes = b""
    kind: str = "file"  # file | dir | symlink
    link: str = ""
    uid: int = 0
    gid: int = 0
    mode: int = 0o644


@dataclass
class Layer:
    entries: list[Entry]
    compression: str = "gzip"  # gzip | zstd | plain


@dataclass
class ImageSpec:
    """What to build: layers from the base up, and the config's fields."""

    layers: list[Layer]
    architecture: str = "amd64"
    os: str = "linux"
    config: dict[str, Any] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(entries: list[Entry]) -> bytes:
    """An uncompressed tar of ``entries``, in order, with fixed times (reproducible)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in entries:
            info = tarfile.TarInfo(entry.path.lstrip("/"))
            info.uid, info.gid, info.mode, info.mtime = entry.uid, entry.gid, entry.mode, 0
            if entry.kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            elif entry.kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = entry.link
                tar.addfile(info)
            else:
                info.size = len(entry.data)
                tar.addfile(info, io.BytesIO(entry.data))
    return out.getvalue()


def compress(data: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, compresslevel=1, mtime=0)
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=1).compress(data)
    return data


def upload_blob(ecr: Any, repository: str, data: bytes) -> str:
    """Upload one blob in parts of 5 MiB (skipped when the repository has it); its digest."""
    digest = sha256(data)
    have = ecr.batch_check_layer_availability(repositoryName=repository, layerDigests=[digest])
    if have.get("layers"):
        return digest
    upload_id = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    for first in range(0, len(data), PART_SIZE):
        part = data[first : first + PART_SIZE]
        ecr.upload_layer_part(
            repositoryName=repository,
            uploadId=upload_id,
            partFirstByte=first,
            partLastByte=first + len(part) - 1,
            layerPartBlob=part,
        )
    ecr.complete_layer_upload(repositoryName=repository, uploadId=upload_id, layerDigests=[digest])
    return digest


def build_manifest(
    ecr: Any, repository: str, spec: ImageSpec, media: str = "oci"
) -> tuple[str, str]:
    """Upload the layers and config of ``spec``; (manifest text, its media type)."""
    diff_ids, layers = [], []
    for layer in spec.layers:
        raw = tar_bytes(layer.entries)
        blob = compress(raw, layer.compression)
        diff_ids.append(sha256(raw))
        digest = upload_blob(ecr, repository, blob)
        layers.append(
            {
                "mediaType": LAYER_TYPES[(media, layer.compression)],
                "size": len(blob),
                "digest": digest,
            }
        )
    config = {
        "architecture": spec.architecture,
        "os": spec.os,
        "config": spec.config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    config_blob = json.dumps(config, sort_keys=True).encode()
    config_digest = upload_blob(ecr, repository, config_blob)
    media_type = OCI_MANIFEST if media == "oci" else DOCKER_MANIFEST
    manifest = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {
            "mediaType": OCI_CONFIG if media == "oci" else DOCKER_CONFIG,
            "size": len(config_blob),
            "digest": config_digest,
        },
        "layers": layers,
    }
    return json.dumps(manifest, indent=2), media_type


def push_image(
    ecr: Any, repository: str, tag: str | None, spec: ImageSpec, media: str = "oci"
) -> str:
    """Build and push one image; its manifest digest. Creates the repository if needed."""
    ensure_repository(ecr, repository)
    manifest, media_type = build_manifest(ecr, repository, spec, media)
    return put_manifest(ecr, repository, tag, manifest, media_type)


def push_index(
    ecr: Any,
    repository: str,
    tag: str,
    platforms: list[tuple[dict[str, str], str]],
    media: str = "oci",
) -> str:
    """Push a manifest list / OCI index of ``(platform, manifest digest)`` entries; its digest.

    A platform ``{"os": "unknown", "architecture": "unknown"}`` is written as a buildx
    attestation entry (annotated ``vnd.docker.reference.type``).
    """
    entries = []
    with_manifests = {
        d: ecr.batch_get_image(repositoryName=repository, imageIds=[{"imageDigest": d}])
        for _, d in platforms
    }
    for platform, digest in platforms:
        image = with_manifests[digest]["images"][0]
        entry: dict[str, Any] = {
            "mediaType": image["imageManifestMediaType"],
            "digest": digest,
            "size": len(image["imageManifest"].encode()),
            "platform": platform,
        }
        if platform.get("os") == "unknown":
            entry["annotations"] = {"vnd.docker.reference.type": "attestation-manifest"}
        entries.append(entry)
    media_type = OCI_INDEX if media == "oci" else DOCKER_LIST
    index = {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}
    return put_manifest(ecr, repository, tag, json.dumps(index, indent=2), media_type)


def ensure_repository(ecr: Any, repository: str) -> None:
    with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
        ecr.create_repository(repositoryName=repository)


def put_manifest(ecr: Any, repository: str, tag: str | None, manifest: str, media_type: str) -> str:
    params: dict[str, Any] = {
        "repositoryName": repository,
        "imageManifest": manifest,
        "imageManifestMediaType": media_type,
    }
    if tag:
        params["imageTag"] = tag
    try:
        out = ecr.put_image(**params)
        return out["image"]["imageId"]["imageDigest"]
    except ecr.exceptions.ImageAlreadyExistsException:
        return sha256(manifest.encode())
