"""`ContentsMethods.contents`: what is inside one image version, read from ECR without pulling.

Inventories are cached by manifest digest (and every layer by its digest) in the layer cache,
so a second inventory reads no layer and a version sharing base layers reads only its own.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import SpecError
from ..core.spec import parse_ecr_uri
from ..oci.image_reader import ImageReader
from ..oci.layer_scan import SCANNER_VERSION, Progress
from ..oci.layers import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, read_image
from ..oci.service import OciMethods
from .inventory import build_inventory
from .model import Inventory


class LayerUnreadable(SpecError):
    """A layer of the image is not a tar (gzip, zstd or plain) the scanner can read."""

    code = "LayerUnreadable"


class ContentsMethods(OciMethods):
    """The contents part of ImageVersions."""

    def contents(
        self,
        target: str,
        *,
        on_progress: Progress | None = None,
        max_bytes: int | None = None,
        max_seconds: float | None = None,
    ) -> Inventory:
        """The inventory of ``target`` (an ECR URI, IMAGE:VERSION or IMAGE@ALIAS): OS, Python
        interpreters, pypi/conda/deb/apk packages, CUDA, sizes; only what the final filesystem
        holds. Layers are read in parallel under the byte and time budget (the doctor's
        defaults), with ``on_progress({bytes_read, bytes_total, layers_done})``.
        """
        uri = self.resolve_target(target).strip()
        ref = parse_ecr_uri(uri)
        assert ref is not None  # resolve_target checked it
        seconds = max_seconds if max_seconds is not None else DEFAULT_MAX_SECONDS
        reader = ImageReader(self._ecr_for(uri), ref, timeout=max(1.0, min(60.0, seconds)))
        manifest = reader.manifest()
        cache = self.layer_cache()
        key = f"{SCANNER_VERSION}|{manifest.digest}"
        stored = cache.inventory(key)
        if stored is not None:
            inventory = _from_cache(stored, uri)
            if on_progress is not None:
                count = len(inventory.layer_digests)
                on_progress({"bytes_read": 0, "bytes_total": 0, "layers_done": count})
            return inventory
        read = read_image(
            reader,
            manifest,
            cache=cache,
            max_bytes=max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES,
            max_seconds=seconds,
            workers=min(4, self.max_workers),
            on_progress=on_progress,
            who="the contents'",
        )
        unreadable = [
            f"layer {s.index + 1} ({s.digest[:19]}) is not a readable {s.compression} tar: "
            f"{s.error}"
            for s in read.scans
            if s.error
        ]
        if unreadable:  # an inventory without a layer's records would be wrong, not partial
            raise LayerUnreadable({"image": "; ".join(unreadable)})
        inventory = build_inventory(read, uri)
        cache.put_inventory(key, {**inventory.to_dict(), "env": list(inventory.env)})
        return inventory


def _from_cache(stored: dict[str, Any], uri: str) -> Inventory:
    from dataclasses import replace

    inventory = Inventory.from_dict(stored)
    return replace(inventory, uri=uri, bytes_read=0, cached=True, env=tuple(stored.get("env", ())))
