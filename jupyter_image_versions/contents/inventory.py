"""An image's inventory from its layer scans: the records its final filesystem holds (whiteouts
and opaque whiteouts applied by `FinalView`), its Python interpreters, OS, CUDA and sizes."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from ..oci.image_fs import FinalView
from ..oci.layers import ImageRead
from .model import Inventory, OsRelease, Package, PythonInterpreter

_PYTHON = re.compile(r"(?:.*/)?bin/python(?P<version>3\.[0-9]+)")
_CUDA_LINKS = ("usr/local/cuda/version.json", "usr/local/cuda/version.txt")


def build_inventory(read: ImageRead, uri: str = "") -> Inventory:
    """The Inventory of one image read by `oci.layers.read_image`."""
    view = FinalView(read.scans)
    settings = read.config.get("config") or {}
    env = tuple(e for e in settings.get("Env") or [] if isinstance(e, str))
    env_map = dict(e.partition("=")[::2] for e in env)
    packages = packages_of(view)
    uncompressed = [s.uncompressed for s in read.scans]
    return Inventory(
        digest=read.manifest.digest,
        os=os_release(view),
        architecture=str(read.config.get("architecture") or ""),
        python=interpreters(view, env_map.get("PATH"), packages),
        packages=tuple(packages),
        cuda=cuda_version(view, env_map),
        size_compressed=sum(read.sizes),
        size_uncompressed=None if None in uncompressed else sum(uncompressed),  # type: ignore[arg-type]
        layer_digests=tuple(str(layer.get("digest")) for layer in read.manifest.layers),
        bytes_read=read.bytes_read,
        cached=read.layers_read == 0,
        uri=uri,
        env=env,
    )


def _record(view: FinalView, path: str, kind: str) -> dict[str, Any] | None:
    real = view.resolve(path)
    record = view.records.get(real) if real is not None else None
    return record if record is not None and record.get("t") == kind else None


def os_release(view: FinalView) -> OsRelease:
    for path in ("etc/os-release", "usr/lib/os-release"):
        record = _record(view, path, "os")
        if record:
            return OsRelease(record["id"], record["version_id"], record["pretty_name"])
    return OsRelease()


def cuda_version(view: FinalView, env: dict[str, str]) -> str | None:
    for path in _CUDA_LINKS:
        record = _record(view, path, "cuda")
        if record:
            return record["version"]
    found = sorted(r["version"] for r in view.records.values() if r.get("t") == "cuda")
    return found[-1] if found else env.get("CUDA_VERSION") or None


def packages_of(view: FinalView) -> list[Package]:
    """Every package record of the final filesystem, once per (ecosystem, name, location)."""
    out: dict[tuple[str, str, str], Package] = {}
    for path in sorted(view.records):
        record = view.records[path]
        for package in _packages(view, path, record):
            out.setdefault((package.ecosystem, package.key[1], package.location), package)
    return sorted(out.values(), key=lambda p: (p.ecosystem, p.key[1], p.location))


def _packages(view: FinalView, path: str, record: dict[str, Any]) -> list[Package]:
    kind = record.get("t")
    if kind == "dist":
        folder = posixpath.dirname(path)
        site = posixpath.dirname(folder) if path.endswith(("/METADATA", "/PKG-INFO")) else folder
        installer = (
            view.records.get(f"{folder}/INSTALLER") if folder.endswith(".dist-info") else None
        )
        return [
            Package(
                "pypi",
                record["name"],
                record["version"],
                "/" + site,
                installer=(installer or {}).get("value", ""),
            )
        ]
    if kind == "conda":
        prefix = path.rpartition("/conda-meta/")[0]
        fields = {k: record.get(k, "") for k in ("build", "channel", "subdir")}
        return [Package("conda", record["name"], record["version"], "/" + prefix, **fields)]
    if kind == "deb":
        return [
            Package("deb", name, version, "/" + path, arch=arch, source=source)
            for name, version, arch, source in record["packages"]
        ]
    if kind == "apk":
        return [
            Package("apk", name, version, "/" + path, arch=arch)
            for name, version, arch in record["packages"]
        ]
    return []


def interpreters(
    view: FinalView, path_value: str | None, packages: list[Package]
) -> tuple[PythonInterpreter, ...]:
    """Every `*/bin/python3.X` (file, or symlink to one), once per real file; the default is
    the one the first `python3` on the config's PATH leads to."""
    default = view.which("python3", path_value)
    default_real = view.resolve(default) if default else None
    found: dict[str, PythonInterpreter] = {}
    for path in sorted(view.entries):
        match = _PYTHON.fullmatch(path)
        real = view.resolve(path) if match else None
        if match is None or real is None or view.entries[real].kind not in ("file", "hardlink"):
            continue
        if real in found and found[real].path == "/" + real:
            continue
        short = match["version"]
        prefix = posixpath.dirname(posixpath.dirname(real))
        sites = [
            site
            for site in (
                posixpath.join(prefix, "lib", f"python{short}", "site-packages"),
                posixpath.join(prefix, "lib", "python3", "dist-packages"),
            )
            if view.exists(site)
        ]
        found[real] = PythonInterpreter(
            "/" + (real if posixpath.basename(real) == posixpath.basename(path) else path),
            _full_version(short, prefix, packages),
            default=real == default_real,
            site_packages=tuple("/" + s for s in sites),
        )
    return tuple(sorted(found.values(), key=lambda p: (not p.default, p.path)))


def _full_version(short: str, prefix: str, packages: list[Package]) -> str:
    """3.X.Y from the conda record of python in the prefix or Debian's python3.X package."""
    for package in packages:
        if (
            package.ecosystem == "conda"
            and package.name == "python"
            and package.location == "/" + prefix
            and package.version.startswith(short + ".")
        ):
            return package.version
        if package.ecosystem == "deb" and package.name in (
            f"python{short}-minimal",
            f"libpython{short}-minimal",
        ):
            upstream = package.version.partition(":")[2] or package.version
            return upstream.rsplit("-", 1)[0]
    return short
