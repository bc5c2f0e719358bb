"""Reading one image's config and layers, each layer once for every feature.

Layers the cache holds are not read; the others are scanned in parallel under one byte and time
budget (`Budget`), and each scan (the doctor's facts and the contents' records of one pass) is
stored by layer digest as soon as it is done, so the doctor, the contents and derive share it.
"""

from __future__ import annotations

import json
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from .image_reader import ImageReader, Manifest, unreadable
from .layer_cache import LayerCache
from .layer_scan import Budget, BudgetExceeded, LayerScan, Progress, scan_layer, size_text

DEFAULT_MAX_BYTES = 8 * 1024**3
DEFAULT_MAX_SECONDS = 600.0
_CONFIG_MAX = 4 * 1024 * 1024


@dataclass
class ImageRead:
    """An image's config and every layer's scan, with what reading them cost."""

    manifest: Manifest
    config: dict[str, Any]
    scans: list[LayerScan]
    bytes_read: int
    layers_read: int

    @property
    def sizes(self) -> list[int]:
        return [int(layer.get("size") or 0) for layer in self.manifest.layers]


def read_image(
    reader: ImageReader,
    manifest: Manifest,
    *,
    cache: LayerCache | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    workers: int = 4,
    on_progress: Progress | None = None,
    who: str = "the doctor's",
) -> ImageRead:
    """The config and the layers' scans: cached ones from ``cache``, the rest read now."""
    layers = manifest.layers
    found: dict[int, LayerScan] = {}
    if cache is not None:
        for index, layer in enumerate(layers):
            scan = cache.layer(str(layer.get("digest")), index)
            if scan is not None:
                found[index] = scan
    missing = [(i, layer) for i, layer in enumerate(layers) if i not in found]
    sizes = [int(layer.get("size") or 0) for _, layer in missing]
    check_sizes(missing, len(layers), max_bytes, who)
    budget = Budget(max_bytes, max_seconds, sum(sizes), on_progress)
    budget.layers_done = len(found)
    config = read_config(reader, manifest, budget, cache)
    for scan in scan_layers(reader, missing, budget, workers, cache):
        found[scan.index] = scan
    budget.progress()
    scans = [found[i] for i in range(len(layers))]
    return ImageRead(manifest, config, scans, budget.read, len(missing))


def check_sizes(
    missing: list[tuple[int, dict[str, Any]]], count: int, max_bytes: int, who: str
) -> None:
    """Refuse, before reading, layers that cannot fit the byte budget."""
    total = 0
    for index, layer in missing:
        size = int(layer.get("size") or 0)
        total += size
        if size > max_bytes:
            raise BudgetExceeded(
                {
                    "max_bytes": f"layer {index + 1} of {count} ({layer.get('digest')}) is "
                    f"{size_text(size)}, over {who} byte budget of {size_text(max_bytes)}; "
                    "raise max_bytes to read it"
                }
            )
    if total > max_bytes:
        raise BudgetExceeded(
            {
                "max_bytes": f"the image's {len(missing)} layers to read are {size_text(total)}, "
                f"over {who} byte budget of {size_text(max_bytes)}; raise max_bytes to read them"
            }
        )


def read_config(
    reader: ImageReader, manifest: Manifest, budget: Budget, cache: LayerCache | None = None
) -> dict[str, Any]:
    """The config blob as JSON (from the cache when it holds it: blobs are content-addressed)."""
    digest = manifest.config_digest
    data = cache.blob(digest) if cache is not None else None
    if data is None:
        with reader.open_blob(digest) as response:
            data = response.read(_CONFIG_MAX + 1)
        budget.add(len(data), "the config blob")
        if len(data) > _CONFIG_MAX:
            raise unreadable(f"its configuration is over {size_text(_CONFIG_MAX)}")
        cached = False
    else:
        cached = True
    try:
        config = json.loads(data)
    except ValueError:
        raise unreadable("its configuration is damaged") from None
    if not isinstance(config, dict):
        raise unreadable("its configuration is damaged")
    if cache is not None and not cached:
        cache.put_blob(digest, data)
    return config


def scan_layers(
    reader: ImageReader,
    layers: list[tuple[int, dict[str, Any]]],
    budget: Budget,
    workers: int,
    cache: LayerCache | None = None,
) -> list[LayerScan]:
    """Scan ``(index, layer)`` pairs in parallel; the first failure stops the others."""

    def one(index: int, layer: dict[str, Any]) -> LayerScan:
        digest = str(layer.get("digest"))
        scan = scan_layer(
            reader.open_blob(digest),
            index,
            digest,
            budget,
            reopen=lambda start: reader.open_blob(digest, start),
        )
        if cache is not None:
            cache.put_layer(scan)
        budget.layer_done()
        return scan

    if not layers:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(layers)))) as pool:
        futures = [pool.submit(one, i, layer) for i, layer in layers]
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        errors = [f.exception() for f in futures if f in done and f.exception() is not None]
        if errors:
            budget.stopped = True  # the others stop at their next read
            for future in pending:
                future.cancel()
            # the cause, not a layer that stopped because of it
            raise next((e for e in errors if getattr(e, "problems", True)), errors[0])
    return [f.result() for f in futures]
