"""The base image as derive needs it: manifest, config, and an `Inventory` of its final
filesystem (interpreters, site-packages, installed packages, libc).

This is the one adapter between the image reader and derive: when `ImageVersions.contents()`
lands, `read_inventory` becomes a call to it and nothing else in derive changes.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import HeaderParser
from typing import Any, BinaryIO

from ..contents.model import Inventory, OsRelease, Package, PythonInterpreter
from ..core.errors import SpecError
from ..core.spec import ECR_URI_FORM, EcrReference, parse_ecr_uri
from ..studio.image_reader import ImageReader, Manifest

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_PYTHON = re.compile(r"(?P<prefix>(?:.*/)?)bin/python(?P<version>3\.\d+)")
_METADATA = re.compile(r".*\.dist-info/(METADATA|INSTALLER)")
_SMALL = {"var/lib/dpkg/status", "lib/apk/db/installed", "etc/os-release", "usr/lib/os-release"}
_MAX_FILE = 16 * 1024 * 1024


@dataclass
class BaseImage:
    """The image derive starts from."""

    uri: str
    ref: EcrReference
    manifest: Manifest
    config: dict[str, Any]
    inventory: Inventory
    reader: ImageReader
    musl: bool = False
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (kind, link)

    def read_files(self, paths: Iterable[str]) -> dict[str, bytes]:
        """The contents of ``paths`` (absolute) in the final filesystem; missing ones left out."""
        wanted = {p.lstrip("/") for p in paths}
        _, files = walk_layers(self.reader, self.manifest, lambda p: p in wanted)
        return {"/" + p: data for p, data in files.items()}

    def exists(self, path: str) -> bool:
        return path.lstrip("/") in self.entries


def open_base(ecr: Any, uri: str) -> BaseImage:
    """Read the image at ``uri`` (an ECR URI by tag or digest) into a `BaseImage`."""
    ref = parse_ecr_uri(uri.strip())
    if ref is None:
        raise SpecError({"image": f"image '{uri}' must be an ECR URI: {ECR_URI_FORM}"})
    reader = ImageReader(ecr, ref)
    manifest = reader.manifest()
    with reader.open_blob(manifest.config_digest) as blob:
        config = json.loads(blob.read(_MAX_FILE))
    entries, files = walk_layers(
        reader, manifest, lambda p: p in _SMALL or bool(_METADATA.fullmatch(p))
    )
    env = tuple((config.get("config") or {}).get("Env") or ())
    inventory = _inventory(manifest, config, entries, files, env, uri)
    musl = any(re.fullmatch(r"(usr/)?lib/ld-musl-[^/]+\.so\.1", p) for p in entries)
    return BaseImage(uri, ref, manifest, config, inventory, reader, musl, entries)


def _open_layer(raw: BinaryIO) -> BinaryIO:
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head == b"\x28\xb5\x2f\xfd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(raw)  # type: ignore[return-value]
    return raw


def walk_layers(
    reader: ImageReader, manifest: Manifest, wanted: Callable[[str], bool]
) -> tuple[dict[str, tuple[str, str]], dict[str, bytes]]:
    """Apply the layers in order (whiteouts too): path -> (kind, link), and the wanted files."""
    import io

    entries: dict[str, tuple[str, str]] = {}
    files: dict[str, bytes] = {}

    def remove(folder: str, keep_self: bool) -> None:
        for path in [p for p in entries if p == folder or p.startswith(folder + "/")]:
            if not (keep_self and path == folder):
                entries.pop(path, None)
                files.pop(path, None)

    for layer in manifest.layers:
        with reader.open_blob(layer["digest"]) as raw:
            buffered = io.BufferedReader(raw, 1 << 20)  # type: ignore[arg-type]
            with tarfile.open(fileobj=_open_layer(buffered), mode="r|") as tar:
                added: list[tuple[str, tuple[str, str], bytes | None]] = []
                for info in tar:
                    path = "/".join(p for p in info.name.split("/") if p not in ("", "."))
                    folder, name = posixpath.split(path)
                    if name == OPAQUE:
                        remove(folder, keep_self=True)
                        continue
                    if name.startswith(WHITEOUT):
                        remove(posixpath.join(folder, name[len(WHITEOUT) :]), keep_self=False)
                        continue
                    kind = "dir" if info.isdir() else "symlink" if info.issym() else "file"
                    data = None
                    if info.isfile() and info.size <= _MAX_FILE and wanted(path):
                        member = tar.extractfile(info)
                        data = member.read() if member else None
                    added.append((path, (kind, info.linkname), data))
                for path, entry, data in added:
                    if entry[0] != "dir":
                        remove(path, keep_self=False)
                    entries[path] = entry
                    if data is not None:
                        files[path] = data
    return entries, files


def _resolve(entries: dict[str, tuple[str, str]], path: str) -> str | None:
    """``path`` (no leading slash) with symlinks followed; None when it leads nowhere."""
    for _ in range(40):
        entry = entries.get(path)
        if entry is None:
            return None
        if entry[0] != "symlink":
            return path
        link = entry[1]
        target = (
            link.lstrip("/")
            if link.startswith("/")
            else posixpath.join(posixpath.dirname(path), link)
        )
        path = posixpath.normpath(target).lstrip("/")
    return None


def _interpreters(
    entries: dict[str, tuple[str, str]], env: tuple[str, ...]
) -> list[PythonInterpreter]:
    path_value = next((e[5:] for e in env if e.startswith("PATH=")), DEFAULT_PATH)
    default = None
    for folder in path_value.split(":"):
        found = _resolve(entries, posixpath.join(folder, "python3").lstrip("/"))
        if found:
            default = found
            break
    found_any = []
    for path in sorted(entries):
        match = _PYTHON.fullmatch(path)
        if not match or _resolve(entries, path) is None:
            continue
        prefix, version = match["prefix"].rstrip("/"), match["version"]
        candidates = [
            f"{prefix}/lib/python{version}/site-packages",
            f"{prefix}/local/lib/python{version}/dist-packages",
            f"{prefix}/lib/python3/dist-packages",
        ]
        site = tuple("/" + c.lstrip("/") for c in candidates if c.lstrip("/") in entries)
        is_default = default is not None and _resolve(entries, path) == default
        found_any.append(PythonInterpreter("/" + path, version, is_default, site))
    if found_any and not any(p.default for p in found_any):
        first = found_any[0]
        found_any[0] = PythonInterpreter(first.path, first.version, True, first.site_packages)
    return found_any


def _dpkg(text: str) -> list[Package]:
    out = []
    for paragraph in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in paragraph.splitlines() if ": " in line[:60])
        if fields.get("Package") and "installed" in fields.get("Status", "").split()[-1:]:
            out.append(
                Package(
                    "deb",
                    fields["Package"],
                    fields.get("Version", ""),
                    "/var/lib/dpkg/status",
                    arch=fields.get("Architecture", ""),
                )
            )
    return out


def _apk(text: str) -> list[Package]:
    out = []
    for block in text.split("\n\n"):
        fields = dict(line.split(":", 1) for line in block.splitlines() if line[1:2] == ":")
        if fields.get("P"):
            out.append(Package("apk", fields["P"], fields.get("V", ""), "/lib/apk/db/installed"))
    return out


def _inventory(
    manifest: Manifest,
    config: dict[str, Any],
    entries: dict[str, tuple[str, str]],
    files: dict[str, bytes],
    env: tuple[str, ...],
    uri: str,
) -> Inventory:
    packages: list[Package] = []
    for path, data in sorted(files.items()):
        if path.endswith(".dist-info/METADATA"):
            headers = HeaderParser().parsestr(data.decode("utf-8", "replace"), headersonly=True)
            folder = posixpath.dirname(path)
            installer = files.get(folder + "/INSTALLER", b"").decode("utf-8", "replace").strip()
            location = "/" + posixpath.dirname(folder)
            packages.append(
                Package(
                    "pypi", headers["Name"] or "", headers["Version"] or "", location, installer
                )
            )
    if "var/lib/dpkg/status" in files:
        packages += _dpkg(files["var/lib/dpkg/status"].decode("utf-8", "replace"))
    if "lib/apk/db/installed" in files:
        packages += _apk(files["lib/apk/db/installed"].decode("utf-8", "replace"))
    os_text = (files.get("etc/os-release") or files.get("usr/lib/os-release") or b"").decode()
    os_fields = dict(
        (k, v.strip('"')) for k, _, v in (ln.partition("=") for ln in os_text.splitlines())
    )
    return Inventory(
        digest=manifest.digest,
        os=OsRelease(
            os_fields.get("ID", ""),
            os_fields.get("VERSION_ID", ""),
            os_fields.get("PRETTY_NAME", ""),
        ),
        architecture=str(config.get("architecture", "")),
        python=tuple(_interpreters(entries, env)),
        packages=tuple(packages),
        size_compressed=sum(int(layer.get("size", 0)) for layer in manifest.layers),
        layer_digests=tuple(layer["digest"] for layer in manifest.layers),
        uri=uri,
        env=env,
    )
