"""The package records a layer holds, read while its tar streams by (one pass serves every feature).

A record is a small JSON-able dict keyed by the file's path in the layer: Python distributions
(`*.dist-info/METADATA`, `INSTALLER`, `*.egg-info` as a file or a directory's `PKG-INFO`), conda
packages (`conda-meta/*.json`), Debian packages (`var/lib/dpkg/status`, `status.d/*`), Alpine
packages (`lib/apk/db/installed`), os-release and CUDA's version file. Where each lives is in
../shared/IMAGE-CONTENTS.md. Files are read as streams: a dpkg status of many MB is never held.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

_SITE = r"(?:.*/)?(?:site|dist)-packages"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dist", re.compile(rf"{_SITE}/[^/]+\.dist-info/METADATA")),
    ("installer", re.compile(rf"{_SITE}/[^/]+\.dist-info/INSTALLER")),
    ("dist", re.compile(rf"{_SITE}/[^/]+\.egg-info/PKG-INFO")),
    ("dist", re.compile(rf"{_SITE}/[^/]+\.egg-info")),
    ("conda", re.compile(r"(?:.*/)?conda-meta/[^/]+\.json")),
    ("deb", re.compile(r"var/lib/dpkg/status")),
    ("deb", re.compile(r"var/lib/dpkg/status\.d/(?![^/]*\.md5sums$)[^/]+")),
    ("apk", re.compile(r"lib/apk/db/installed")),
    ("os", re.compile(r"(?:etc|usr/lib)/os-release")),
    ("cuda", re.compile(r"usr/local/cuda[^/]*/version\.(?:json|txt)")),
)
#: Headers are at the top of METADATA / PKG-INFO: at most this much is read of one.
_HEADER_BYTES = 64 * 1024
#: Small files read whole (conda-meta JSON can hold a long file list).
_SMALL_BYTES = 16 * 1024 * 1024
_CUDA_TXT = re.compile(r"CUDA Version\s+([0-9][0-9.]*)")


def record_kind(path: str) -> str | None:
    """Which record ``path`` (normalised, no leading slash) is, or None."""
    for kind, pattern in PATTERNS:
        if pattern.fullmatch(path):
            return kind
    return None


def read_record(kind: str, path: str, member: IO[bytes], size: int) -> dict[str, Any] | None:
    """Parse one record from its file's stream; None when it holds nothing usable."""
    if kind == "dist":
        return _headers(member.read(_HEADER_BYTES))
    if kind == "installer":
        return {"t": "installer", "value": member.read(256).decode("utf-8", "replace").strip()}
    if kind in ("deb", "apk"):
        text = _lines(member)
        rows = list(_dpkg(text) if kind == "deb" else _apk(text))
        return {"t": kind, "packages": rows}
    if size > _SMALL_BYTES:
        return None
    data = member.read()
    if kind == "conda":
        return _conda(data)
    if kind == "os":
        return _os_release(data)
    if kind == "cuda":
        return _cuda(path, data)
    return None


def _lines(member: IO[bytes]) -> Iterator[str]:
    """The lines of a stream, read 64 KiB at a time (tarfile's members are not seekable, so
    io.TextIOWrapper cannot wrap them)."""
    rest = b""
    while chunk := member.read(64 * 1024):
        *lines, rest = (rest + chunk).split(b"\n")
        for line in lines:
            yield line.decode("utf-8", "replace") + "\n"
    if rest:
        yield rest.decode("utf-8", "replace")


def _headers(data: bytes) -> dict[str, Any] | None:
    """Name and Version from RFC 822 headers (METADATA, PKG-INFO)."""
    name = version = ""
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if not sep:
            continue
        if key.lower() == "name" and not name:
            name = value.strip()
        elif key.lower() == "version" and not version:
            version = value.strip()
    return {"t": "dist", "name": name, "version": version} if name else None


def _conda(data: bytes) -> dict[str, Any] | None:
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str):
        return None
    out = {"t": "conda"}
    for key in ("name", "version", "build", "channel", "subdir"):
        value = doc.get(key)
        out[key] = value if isinstance(value, str) else ""
    return out


def _paragraphs(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    fields: dict[str, str] = {}
    last = ""
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if fields:
                yield fields
            fields, last = {}, ""
        elif line[0] in " \t":
            continue  # a continuation line (Description, Conffiles): not needed
        else:
            key, _, value = line.partition(":")
            last = key.strip()
            fields[last] = value.strip()
    if fields:
        yield fields


def _dpkg(lines: Iterator[str]) -> Iterator[list[str]]:
    """[name, version, architecture, source] of each installed package."""
    for fields in _paragraphs(lines):
        status = fields.get("Status", "install ok installed").split()
        if fields.get("Package") and status[-1:] == ["installed"]:
            source = fields.get("Source", "").split(" ")[0]
            yield [
                fields["Package"],
                fields.get("Version", ""),
                fields.get("Architecture", ""),
                source,
            ]


def _apk(lines: Iterator[str]) -> Iterator[list[str]]:
    """[name, version, architecture] of each block of apk's installed database."""
    block: dict[str, str] = {}
    for line in [*lines, "\n"]:
        line = line.rstrip("\n")
        if not line:
            if block.get("P"):
                yield [block["P"], block.get("V", ""), block.get("A", "")]
            block = {}
        elif len(line) > 1 and line[1] == ":" and line[0] not in block:
            block[line[0]] = line[2:].strip()


def _os_release(data: bytes) -> dict[str, Any]:
    values = {}
    for line in data.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            values[key.strip()] = value.strip().strip("\"'")
    return {
        "t": "os",
        "id": values.get("ID", ""),
        "version_id": values.get("VERSION_ID", ""),
        "pretty_name": values.get("PRETTY_NAME", ""),
    }


def _cuda(path: str, data: bytes) -> dict[str, Any] | None:
    text = data.decode("utf-8", "replace")
    if path.endswith(".json"):
        try:
            version = json.loads(text)["cuda"]["version"]
        except (ValueError, KeyError, TypeError):
            return None
        return {"t": "cuda", "version": str(version)} if version else None
    match = _CUDA_TXT.search(text)
    return {"t": "cuda", "version": match[1]} if match else None
