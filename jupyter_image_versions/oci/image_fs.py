"""The image's final filesystem view from its layers' tar entries (whiteouts applied), and
what the doctor reads from it: users, groups, kernelspecs, programs on PATH."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from .layer_scan import LayerScan, RawEntry

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_KERNEL = re.compile(r"(?P<prefix>.*)share/jupyter/kernels/(?P<name>[^/]+)/kernel\.json")


class FinalView:
    """The merged filesystem: path -> entry, and the contents of the small files read."""

    def __init__(self, scans: list[LayerScan]) -> None:
        self.entries: dict[str, RawEntry] = {}
        self.files: dict[str, bytes] = {}
        self.records: dict[str, dict[str, Any]] = {}  # package records of surviving paths
        self._children: dict[str, set[str]] = {}  # folder -> its children's paths
        for scan in sorted(scans, key=lambda s: s.index):
            self._apply(scan)

    def _remove(self, folder: str, keep_self: bool) -> None:
        """Drop ``folder``'s descendants (and ``folder`` unless ``keep_self``)."""
        stack = list(self._children.pop(folder, ()))
        while stack:
            path = stack.pop()
            stack.extend(self._children.pop(path, ()))
            self._drop(path)
        if not keep_self and folder:
            self._drop(folder)
            self._children.get(posixpath.dirname(folder), set()).discard(folder)

    def _drop(self, path: str) -> None:
        self.entries.pop(path, None)
        self.files.pop(path, None)
        self.records.pop(path, None)

    def _add(self, entry: RawEntry) -> None:
        self.entries[entry.path] = entry
        child, parent = entry.path, posixpath.dirname(entry.path)
        while True:  # folders a tar only implies are in the tree too
            kids = self._children.setdefault(parent, set())
            if child in kids:
                break
            kids.add(child)
            if not parent:
                break
            child, parent = parent, posixpath.dirname(parent)

    def _apply(self, scan: LayerScan) -> None:
        # A layer's whiteouts hide what lower layers hold; they never hide the layer's own files.
        for entry in scan.entries:
            folder, name = posixpath.split(entry.path)
            if name == OPAQUE:
                self._remove(folder, keep_self=True)
            elif name.startswith(WHITEOUT):
                self._remove(posixpath.join(folder, name[len(WHITEOUT) :]), keep_self=False)
        for entry in scan.entries:
            name = posixpath.basename(entry.path)
            if name.startswith(WHITEOUT) or not entry.path:
                continue
            if entry.kind != "dir":
                if entry.path in self._children:
                    self._remove(entry.path, keep_self=True)  # a file replaces a folder
                self.files.pop(entry.path, None)
                self.records.pop(entry.path, None)
            self._add(entry)
            if entry.path in scan.files:
                self.files[entry.path] = scan.files[entry.path]
            if entry.path in scan.records:
                self.records[entry.path] = scan.records[entry.path]

    def exists(self, path: str) -> bool:
        """Whether ``path`` (no symlink followed) is an entry or a folder with entries."""
        return path in self.entries or bool(self._children.get(path))

    def resolve(self, path: str, hops: int = 40) -> str | None:
        """``path`` with every symlink followed inside the image; None when it leads nowhere."""
        parts = [p for p in path.split("/") if p not in ("", ".")]
        done: list[str] = []
        while parts:
            part = parts.pop(0)
            if part == "..":
                if done:
                    done.pop()
                continue
            current = "/".join([*done, part])
            entry = self.entries.get(current)
            if entry is None:
                if parts:  # a folder a tar only implies (its files are listed, it is not)
                    done = current.split("/")
                    continue
                return None
            if entry.kind == "symlink":
                hops -= 1
                if hops < 0:
                    return None
                target = [p for p in entry.link.split("/") if p not in ("", ".")]
                if entry.link.startswith("/"):
                    done = []
                parts = target + parts
                continue
            if entry.kind == "hardlink":
                current = _normalize_link(entry.link)
            done = current.split("/")
        return "/".join(done)

    def read(self, path: str) -> bytes | None:
        """The contents of a small file the scan kept (after following symlinks)."""
        real = self.resolve(path)
        return None if real is None else self.files.get(real)

    def which(self, program: str, path_value: str | None) -> str | None:
        """Where ``program`` is on the image's PATH (a file, maybe through symlinks)."""
        for folder in (path_value or DEFAULT_PATH).split(":"):
            if not folder.startswith("/"):
                continue
            candidate = posixpath.join(folder, program)
            real = self.resolve(candidate)
            if real is not None and self.entries[real].kind in ("file", "hardlink"):
                return candidate
        return None

    def kernels(self) -> list[dict[str, Any]]:
        """Every kernelspec (…/share/jupyter/kernels/NAME/kernel.json): name, display, language."""
        found = []
        for path in sorted(self.entries):
            match = _KERNEL.fullmatch(path)
            if not match or self.entries[path].kind not in ("file", "symlink", "hardlink"):
                continue
            spec: dict[str, Any] = {}
            data = self.read(path)
            try:
                loaded = json.loads(data or b"{}")
                spec = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                spec = {}
            argv = spec.get("argv")
            found.append(
                {
                    "name": match["name"],
                    "display_name": str(spec.get("display_name") or match["name"]),
                    "language": str(spec.get("language") or ""),
                    "path": "/" + path,
                    "argv0": str(argv[0]) if isinstance(argv, list) and argv else "",
                }
            )
        return found


def _normalize_link(link: str) -> str:
    return "/".join(p for p in link.split("/") if p not in ("", "."))


@dataclass
class User:
    name: str | None
    uid: int | None
    gid: int | None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "uid": self.uid, "gid": self.gid}


def _table(text: bytes | None, width: int) -> list[list[str]]:
    rows = []
    for line in (text or b"").decode("utf-8", "replace").splitlines():
        fields = line.split(":")
        if len(fields) >= width and not line.startswith("#"):
            rows.append(fields)
    return rows


def resolve_user(view: FinalView, user: str) -> User:
    """The config's ``User`` (name, uid, user:group, uid:gid...) through /etc/passwd and
    /etc/group, as the container runtime resolves it."""
    passwd = _table(view.read("etc/passwd"), 7)
    groups = _table(view.read("etc/group"), 3)
    spec, _, group = (user or "").partition(":")
    spec = spec or "root"
    row = next((r for r in passwd if r[0] == spec), None)
    if row is None and spec.isdigit():
        row = next((r for r in passwd if r[2] == spec), None)
    if row is not None:
        name, uid, gid = row[0], _int(row[2]), _int(row[3])
    elif spec.isdigit():
        name, uid, gid = None, int(spec), 0
    elif spec == "root":
        name, uid, gid = "root", 0, 0
    else:
        return User(spec, None, None, f"user '{spec}' is not in the image's /etc/passwd")
    if group:
        if group.isdigit():
            gid = int(group)
        else:
            match = next((g for g in groups if g[0] == group), None)
            if match is None:
                return User(name, uid, None, f"group '{group}' is not in the image's /etc/group")
            gid = _int(match[2])
    return User(name, uid, gid)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None
