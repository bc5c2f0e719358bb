"""The new image through ECR's upload API: config and manifest built from the base's, blobs
checked first (only missing ones go up), uploaded in parts, then PutImage with the tag.

`ecr` is a `GatedClient`: every call goes through the service's call gate."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import AwsError, Conflict, NotFound
from .base import BaseImage
from .layer import BuiltLayer

MIN_PART = 5 * 1024 * 1024
MAX_PART = 20 * 1024 * 1024  # UploadLayerPart's blob limit (STUDIO-IMAGES.md)
_GZIP_LAYER = {
    "oci": "application/vnd.oci.image.layer.v1.tar+gzip",
    "docker": "application/vnd.docker.image.rootfs.diff.tar.gzip",
}
Progress = Callable[[int, int], None]  # bytes uploaded, bytes to upload


@dataclass
class Pushed:
    digest: str
    uri: str
    bytes_uploaded: int
    blobs_uploaded: int
    existed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "uri": self.uri,
            "bytes_uploaded": self.bytes_uploaded,
            "blobs_uploaded": self.blobs_uploaded,
            "existed": self.existed,
        }


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def new_config(base: BaseImage, layer: BuiltLayer, created_by: str, env: list[str]) -> bytes:
    """The base's config with the layer's diff_id, a history entry and the env appended."""
    config = copy.deepcopy(base.config)
    rootfs = config.setdefault("rootfs", {"type": "layers", "diff_ids": []})
    rootfs.setdefault("diff_ids", []).append(layer.diff_id)
    config.setdefault("history", []).append(
        {"created_by": created_by, "comment": "jupyter-image-versions derive"}
    )
    if env:
        inner = config.setdefault("config", {})
        names = {e.split("=", 1)[0] for e in env}
        kept = [e for e in inner.get("Env") or [] if e.split("=", 1)[0] not in names]
        inner["Env"] = kept + list(env)
    return json.dumps(config, separators=(",", ":"), sort_keys=True).encode()


def new_manifest(base: BaseImage, layer: BuiltLayer, config: bytes) -> tuple[str, str]:
    """The manifest text (the base's media types, the layer appended) and its media type."""
    doc = copy.deepcopy(base.manifest.doc)
    family = "docker" if "docker" in base.manifest.media_type else "oci"
    doc["config"] = dict(doc.get("config") or {}, size=len(config), digest=sha256(config))
    added = {"mediaType": _GZIP_LAYER[family], "size": len(layer.blob), "digest": layer.digest}
    doc["layers"] = [*(doc.get("layers") or []), added]
    doc.pop("annotations", None)
    doc.setdefault("mediaType", base.manifest.media_type)
    return json.dumps(doc, indent=3), base.manifest.media_type


def _upload(
    ecr: Any, registry: str, repository: str, data: bytes, done: Callable[[int], None]
) -> None:
    started = ecr.initiate_layer_upload(registryId=registry, repositoryName=repository)
    size = min(MAX_PART, max(MIN_PART, int(started.get("partSize") or MIN_PART)))
    for first in range(0, len(data), size):
        part = data[first : first + size]
        ecr.upload_layer_part(
            registryId=registry,
            repositoryName=repository,
            uploadId=started["uploadId"],
            partFirstByte=first,
            partLastByte=first + len(part) - 1,
            layerPartBlob=part,
        )
        done(len(part))
    try:
        ecr.complete_layer_upload(
            registryId=registry,
            repositoryName=repository,
            uploadId=started["uploadId"],
            layerDigests=[sha256(data)],
        )
    except AwsError as exc:
        if exc.code != "LayerAlreadyExistsException":  # uploaded by someone else meanwhile
            raise


def push(
    ecr: Any,
    base: BaseImage,
    layer: BuiltLayer,
    config: bytes,
    manifest: str,
    media_type: str,
    repository: str,
    tag: str,
    on_progress: Progress | None = None,
) -> Pushed:
    """Upload what ``repository`` lacks, then PutImage; the same manifest again is success."""
    registry = base.ref.account
    blobs: dict[str, bytes | None] = {layer.digest: layer.blob, sha256(config): config}
    for base_layer in base.manifest.layers:  # another repository needs the base's layers too
        blobs.setdefault(base_layer["digest"], None)
    sizes = {d: (len(b) if b is not None else 0) for d, b in blobs.items()}
    for base_layer in base.manifest.layers:
        sizes[base_layer["digest"]] = int(base_layer.get("size", 0))
    have: set[str] = set()
    digests = list(blobs)
    for start in range(0, len(digests), 100):
        try:
            out = ecr.batch_check_layer_availability(
                registryId=registry,
                repositoryName=repository,
                layerDigests=digests[start : start + 100],
            )
        except NotFound as exc:
            raise NotFound(
                f"the ECR repository {repository} does not exist: create it, or leave out "
                "--repository to push into the base image's repository",
                code=exc.code,
            ) from None
        have |= {
            item["layerDigest"]
            for item in out.get("layers") or []
            if item.get("layerAvailability") == "AVAILABLE"
        }
    missing = [d for d in digests if d not in have]
    total = sum(sizes[d] for d in missing)
    sent = 0

    def done(count: int) -> None:
        nonlocal sent
        sent += count
        if on_progress:
            on_progress(sent, total)

    if on_progress:
        on_progress(0, total)
    for digest in missing:
        data = blobs[digest]
        if data is None:
            with base.reader.open_blob(digest) as stream:
                data = stream.read()
        _upload(ecr, registry, repository, data, done)
    digest = sha256(manifest.encode())
    existed = False
    try:
        ecr.put_image(
            registryId=registry,
            repositoryName=repository,
            imageManifest=manifest,
            imageManifestMediaType=media_type,
            imageTag=tag,
        )
    except AwsError as exc:
        if exc.code == "ImageAlreadyExistsException":
            existed = True
        elif exc.code == "ImageTagAlreadyExistsException":
            raise Conflict(
                f"the tag {tag} already names another image in {repository}, whose tags are "
                "immutable: choose another --tag",
                code="ImageTagAlreadyExists",
            ) from None
        else:
            raise
    uri = f"{base.ref.registry}/{repository}@{digest}"
    return Pushed(digest, uri, sent, len(missing), existed)
