"""The base image as derive needs it: manifest, config (for the new ones) and its `Inventory`
(interpreters, site-packages, installed packages, libc) from `ImageVersions.contents()`.

This is the one adapter between the image readers and derive; the only other read is the old
RECORDs of the packages an upgrade replaces (`records`).
"""

from __future__ import annotations

import gzip
import io
import json
import posixpath
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from packaging.utils import canonicalize_name

from ..contents.model import Inventory
from ..core.errors import SpecError
from ..core.spec import ECR_URI_FORM, EcrReference, parse_ecr_uri
from ..oci.image_reader import ImageReader, Manifest

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
_MAX_CONFIG = 4 * 1024 * 1024
_MAX_RECORD = 16 * 1024 * 1024


@dataclass
class BaseImage:
    """The image derive starts from."""

    uri: str
    ref: EcrReference
    manifest: Manifest
    config: dict[str, Any]
    inventory: Inventory
    reader: ImageReader

    def records(self, wanted: set[tuple[str, str, str]]) -> dict[str, tuple[str, bytes]]:
        """dist-info directory -> (its site-packages, its RECORD) of ``wanted`` (site-packages,
        normalised name, version) distributions, read from the final filesystem."""

        def match(path: str) -> bool:
            folder, leaf = posixpath.split(path)
            site, dist = posixpath.split(folder)
            if leaf != "RECORD" or not dist.endswith(".dist-info"):
                return False
            name, _, version = dist[: -len(".dist-info")].rpartition("-")
            return ("/" + site, canonicalize_name(name), version) in wanted

        files = walk_layers(self.reader, self.manifest, match)
        return {
            "/" + posixpath.dirname(p): ("/" + posixpath.dirname(posixpath.dirname(p)), d)
            for p, d in files.items()
        }


def open_base(service: Any, ecr: Any, uri: str) -> BaseImage:
    """Read the image at ``uri`` (an ECR URI by tag or digest): manifest, config, inventory."""
    ref = parse_ecr_uri(uri.strip())
    if ref is None:
        raise SpecError({"image": f"image '{uri}' must be an ECR URI: {ECR_URI_FORM}"})
    reader = ImageReader(ecr, ref)
    manifest = reader.manifest()
    with reader.open_blob(manifest.config_digest) as blob:
        config = json.loads(blob.read(_MAX_CONFIG))
    inventory = service.contents(f"{ref.registry}/{ref.repository}@{manifest.digest}")
    return BaseImage(uri, ref, manifest, config, inventory, reader)


def _decompressed(raw: io.BufferedReader) -> BinaryIO:
    head = raw.peek(4)[:4]
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head == b"\x28\xb5\x2f\xfd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(raw)  # type: ignore[return-value]
    return raw  # type: ignore[return-value]


def walk_layers(
    reader: ImageReader, manifest: Manifest, wanted: Callable[[str], bool]
) -> dict[str, bytes]:
    """The wanted files of the final filesystem (layers in order, whiteouts applied)."""
    files: dict[str, bytes] = {}

    def remove(folder: str, keep_self: bool) -> None:
        for path in [p for p in files if p.startswith(folder + "/") or p == folder]:
            if not (keep_self and path == folder):
                files.pop(path)

    for layer in manifest.layers:
        with reader.open_blob(layer["digest"]) as raw:
            stream = _decompressed(io.BufferedReader(raw, 1 << 20))  # type: ignore[arg-type]
            added: dict[str, bytes | None] = {}
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for info in tar:
                    path = "/".join(p for p in info.name.split("/") if p not in ("", "."))
                    folder, name = posixpath.split(path)
                    if name == OPAQUE:
                        remove(folder, keep_self=True)
                    elif name.startswith(WHITEOUT):
                        remove(posixpath.join(folder, name[len(WHITEOUT) :]), keep_self=False)
                    elif not info.isdir():
                        member = None
                        if info.isfile() and info.size <= _MAX_RECORD and wanted(path):
                            member = tar.extractfile(info)
                        added[path] = member.read() if member else None
            for path, data in added.items():
                files.pop(path, None)
                if data is not None:
                    files[path] = data
    return files
