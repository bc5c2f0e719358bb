"""One new layer: wheels unpacked with PyPA `installer` under a staging root using the image's
scheme, `--file` entries, whiteouts for what an upgrade replaces; a reproducible tar + gzip."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import posixpath
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from installer import install
from installer.destinations import SchemeDictionaryDestination
from installer.sources import WheelFile

from .plan import Target

INSTALLER_NAME = b"jupyter-image-versions\n"
WHITEOUT = ".wh."


@dataclass(frozen=True)
class BuiltLayer:
    """The compressed layer, its digest and the uncompressed tar's digest (the diff_id)."""

    blob: bytes
    digest: str
    diff_id: str
    files: int
    whiteouts: int


def source_date_epoch() -> int:
    """The fixed mtime of every entry (reproducible-builds.org's SOURCE_DATE_EPOCH, else 0)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "0")
    return int(value) if value.isdigit() else 0


def unpack_wheels(wheels: list[Path], target: Target, root: Path) -> None:
    """Install each wheel into ``root`` + the image's scheme, shebangs naming its interpreter."""
    for wheel in sorted(wheels, key=lambda p: p.name):
        destination = SchemeDictionaryDestination(
            target.scheme(),
            interpreter=target.interpreter,
            script_kind="posix",
            destdir=str(root),
        )
        with WheelFile.open(wheel) as source:
            install(source, destination, {"INSTALLER": INSTALLER_NAME})


def add_file(root: Path, local: str, path: str) -> None:
    """``--file LOCAL:/path``: a copy of LOCAL at /path in the image (the x bit kept)."""
    dest = root / path.lstrip("/")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(local, dest)
    os.chmod(dest, 0o755 if os.access(local, os.X_OK) else 0o644)


def record_paths(record: bytes, site_packages: str) -> list[str]:
    """The absolute paths a RECORD lists (relative to its site-packages)."""
    out = []
    for row in csv.reader(io.StringIO(record.decode("utf-8", "replace"))):
        if row and row[0]:
            out.append(posixpath.normpath(posixpath.join(site_packages, row[0])))
    return out


def whiteouts(old_paths: list[str], old_dist_info: str, kept: set[str]) -> list[str]:
    """Whiteout entries (absolute) hiding an old version's files and its dist-info directory;
    paths the new layer writes again are left to be overwritten."""
    out = {
        posixpath.join(
            posixpath.dirname(old_dist_info), WHITEOUT + posixpath.basename(old_dist_info)
        )
    }
    for path in old_paths:
        if path.startswith(old_dist_info + "/") or path in kept:
            continue
        out.add(posixpath.join(posixpath.dirname(path), WHITEOUT + posixpath.basename(path)))
    return sorted(out)


def staged_paths(root: Path) -> set[str]:
    return {"/" + str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir()}


def build_layer(root: Path, whiteout_paths: list[str], mtime: int | None = None) -> BuiltLayer:
    """A tar of ``root`` (sorted, root-owned, readable by all, fixed mtime) plus the whiteouts,
    gzip-compressed without a name or time: same inputs, same bytes."""
    mtime = source_date_epoch() if mtime is None else mtime
    items: dict[str, Path | None] = {}
    for path in root.rglob("*"):
        items[str(path.relative_to(root))] = path
    for whiteout in whiteout_paths:
        items[whiteout.lstrip("/")] = None
    for name in list(items):  # every parent directory, so any extractor can unpack it
        parent = posixpath.dirname(name)
        while parent and parent not in items:
            items[parent] = root / parent if (root / parent).is_dir() else root
            parent = posixpath.dirname(parent)
    raw = io.BytesIO()
    files = 0
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(items):
            path = items[name]
            info = tarfile.TarInfo(name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = mtime
            if path is None:  # a whiteout: an empty file
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(b""))
            elif path.is_symlink():
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, os.readlink(path), 0o777
                tar.addfile(info)
            elif path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = path.read_bytes()
                info.size = len(data)
                info.mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
                tar.addfile(info, io.BytesIO(data))
                files += 1
    tar_bytes = raw.getvalue()
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(tar_bytes)
    blob = out.getvalue()
    return BuiltLayer(
        blob,
        "sha256:" + hashlib.sha256(blob).hexdigest(),
        "sha256:" + hashlib.sha256(tar_bytes).hexdigest(),
        files,
        len(whiteout_paths),
    )
