"""The image doctor: read an image from ECR without pulling it and say whether Studio will
start it, per app type. Facts are cached by manifest digest; findings are computed per call."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ..core.errors import SpecError
from ..core.spec import ECR_URI_FORM, parse_ecr_uri
from ..oci.image_fs import FinalView, resolve_user
from ..oci.image_reader import ImageReader, Manifest
from ..oci.layer_cache import LayerCache
from ..oci.layer_scan import Progress
from ..oci.layers import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, ImageRead, read_image
from .doctor_findings import APP_TYPES, Finding, findings
from .kernel_python import kernel_python

_CACHE_SIZE = 64
_PROGRAMS = ("jupyter-lab", "sagemaker-code-editor")


@dataclass
class DoctorReport:
    """The doctor's answer: the image's facts, the findings for one app type, the cost."""

    base_image: str
    app_type: str
    facts: dict[str, Any]
    findings: list[Finding]
    layers_scanned: int
    bytes_read: int
    cached: bool

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        facts = self.facts
        return {
            "base_image": self.base_image,
            "app_type": self.app_type,
            "digest": facts["digest"],
            "platform": facts["platform"],
            "user": {k: facts["user"].get(k) for k in ("name", "uid", "gid")},
            "workdir": facts["workdir"],
            "entrypoint": facts["entrypoint"],
            "cmd": facts["cmd"],
            "exposed_ports": facts["exposed_ports"],
            "kernels": [
                {k: kernel[k] for k in ("name", "display_name", "language")}
                for kernel in facts["kernels"]
            ],
            "findings": [f.to_dict() for f in self.findings],
            "layers_scanned": self.layers_scanned,
            "bytes_read": self.bytes_read,
            "ok": self.ok,
            "cached": self.cached,
        }


class FactsCache:
    """Image facts by manifest digest (bounded, thread-safe)."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: str, facts: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = facts
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def check_app_type(app_type: str) -> str:
    if app_type not in APP_TYPES:
        raise SpecError({"app_type": f"app_type must be one of {', '.join(APP_TYPES)}"})
    return app_type


def diagnose(
    ecr: Any,
    base_image: str,
    app_type: str = "JupyterLab",
    *,
    uid: int | None = None,
    gid: int | None = None,
    kernel_names: list[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    workers: int = 4,
    cache: FactsCache | None = None,
    on_progress: Progress | None = None,
    layer_cache: LayerCache | None = None,
) -> DoctorReport:
    """Read ``base_image`` (an ECR URI) and list what stops or troubles ``app_type`` in Studio."""
    check_app_type(app_type)
    problems = _check_ids(uid, gid)
    if problems:
        raise SpecError(problems)
    ref = parse_ecr_uri(base_image.strip())
    if ref is None:
        raise SpecError({"image": f"image '{base_image}' must be an ECR URI: {ECR_URI_FORM}"})
    reader = ImageReader(ecr, ref, timeout=max(1.0, min(60.0, max_seconds)))
    manifest = reader.manifest()
    key = f"{ref.registry}/{ref.repository}@{manifest.digest}"
    facts = cache.get(key) if cache is not None else None
    cached = facts is not None
    bytes_read = layers = 0
    if facts is None:
        facts, bytes_read, layers = _examine(
            reader, manifest, max_bytes, max_seconds, workers, on_progress, layer_cache
        )
        if cache is not None:
            cache.put(key, facts)
        cached = bytes_read == 0  # every layer and the config from the layer cache
    found = findings(facts, app_type, uid, gid, kernel_names)
    return DoctorReport(base_image, app_type, facts, found, layers, bytes_read, cached)


def _check_ids(uid: int | None, gid: int | None) -> dict[str, str]:
    problems = {}
    for name, value in (("uid", uid), ("gid", gid)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535
        ):
            problems[name] = f"{name} must be a whole number from 0 to 65535"
    return problems


def _examine(
    reader: ImageReader,
    manifest: Manifest,
    max_bytes: int,
    max_seconds: float,
    workers: int,
    on_progress: Progress | None,
    layer_cache: LayerCache | None = None,
) -> tuple[dict[str, Any], int, int]:
    read = read_image(
        reader,
        manifest,
        cache=layer_cache,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        workers=workers,
        on_progress=on_progress,
    )
    return facts_of(read), read.bytes_read, read.layers_read


def facts_of(read: ImageRead) -> dict[str, Any]:
    """The doctor's facts from an image's config and layer scans."""
    manifest, config, scans = read.manifest, read.config, read.scans
    view = FinalView(scans)
    settings = config.get("config") or {}
    env = [e for e in settings.get("Env") or [] if isinstance(e, str)]
    env_map = dict(e.partition("=")[::2] for e in env)
    user = resolve_user(view, str(settings.get("User") or ""))
    return {
        "digest": manifest.digest,
        "index_digest": manifest.index_digest,
        "index_platforms": manifest.platforms,
        "media_type": manifest.media_type,
        "platform": {
            "os": str(config.get("os") or ""),
            "architecture": str(config.get("architecture") or ""),
        },
        "user": {**user.to_dict(), "problem": user.problem, "spec": settings.get("User") or ""},
        "workdir": settings.get("WorkingDir") or "/",
        "entrypoint": settings.get("Entrypoint"),
        "cmd": settings.get("Cmd"),
        "exposed_ports": sorted((settings.get("ExposedPorts") or {}).keys()),
        "env_names": sorted(env_map),
        "kernels": [
            {**k, "python": kernel_python(view, k["argv0"], env_map.get("PATH"))}
            for k in view.kernels()
        ],
        "programs": {p: view.which(p, env_map.get("PATH")) for p in _PROGRAMS},
        "large_ids": [
            {"path": e.path, "uid": e.uid, "gid": e.gid, "layer": s.index + 1, "digest": s.digest}
            for s in scans
            for e in s.large_ids
        ],
        "unreadable_layers": [
            f"layer {s.index + 1} ({s.digest[:19]}) is not a readable {s.compression} tar: "
            f"{s.error}"
            for s in scans
            if s.error
        ],
        "size": sum(read.sizes),
    }
