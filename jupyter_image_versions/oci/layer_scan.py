"""Streaming a layer's tar headers (gzip, zstd or plain) under a byte and time budget."""

from __future__ import annotations

import re
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..core.errors import ImageVersionsError, SpecError
from .records import read_record, record_kind

#: IDs above this break Studio (user namespaces map 0..65535).
MAX_ID = 65535
#: Files whose contents the doctor reads (small ones only).
# (passwd and group anywhere: /etc/passwd may be a symlink to them)
_WANTED = re.compile(r"(.*/)?(passwd|group)|.*share/jupyter/kernels/[^/]+/kernel\.json")
_MAX_WANTED_SIZE = 256 * 1024
_READ = 256 * 1024
#: tarfile's block size in stream mode: skipping a large file's contents is a few big reads.
_TAR_BUFSIZE = 1024 * 1024
#: The scanner's version: cached layers scanned by another version are read again.
SCANNER_VERSION = 1

Progress = Callable[[dict[str, Any]], None]


class BudgetExceeded(SpecError):
    """The doctor would read more bytes, or take longer, than its budget allows."""

    code = "DoctorBudgetExceeded"


def size_text(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


class Budget:
    """Bytes and seconds shared by the layers read in parallel; reports progress."""

    def __init__(
        self, max_bytes: int, max_seconds: float, total: int, on_progress: Progress | None
    ) -> None:
        self.max_bytes = max_bytes
        self.deadline = time.monotonic() + max_seconds
        self.max_seconds = max_seconds
        self.total = total
        self.read = 0
        self.layers_done = 0
        self.stopped = False
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._last_report = 0.0

    def add(self, count: int, where: str) -> None:
        with self._lock:
            self.read += count
            read = self.read
            if self.stopped:
                raise BudgetExceeded({}, "stopped: another layer failed")
            if read > self.max_bytes:
                self.stopped = True
                raise BudgetExceeded(
                    {
                        "max_bytes": f"reading {where} passed the byte budget of "
                        f"{size_text(self.max_bytes)}; raise max_bytes to read more"
                    }
                )
            if time.monotonic() > self.deadline:
                self.stopped = True
                raise BudgetExceeded(
                    {
                        "max_seconds": f"reading {where} passed the time budget of "
                        f"{self.max_seconds:g} s ({size_text(read)} read); raise max_seconds"
                    }
                )
            report = time.monotonic() - self._last_report > 0.2
            if report:
                self._last_report = time.monotonic()
        if report:
            self.progress()

    def layer_done(self) -> None:
        with self._lock:
            self.layers_done += 1
        self.progress()

    def progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(
                {
                    "bytes_read": self.read,
                    "bytes_total": self.total,
                    "layers_done": self.layers_done,
                }
            )

    def remaining_seconds(self) -> float:
        return max(0.1, self.deadline - time.monotonic())


class _Counted:
    """A file-like view of a response that charges every byte to the budget."""

    def __init__(self, raw: BinaryIO, budget: Budget, where: str) -> None:
        self._raw = raw
        self._budget = budget
        self._where = where
        self._head = b""

    def peek(self, n: int) -> bytes:
        while len(self._head) < n:
            chunk = self._raw.read(n - len(self._head))
            if not chunk:
                break
            self._budget.add(len(chunk), self._where)
            self._head += chunk
        return self._head[:n]

    def read(self, n: int = -1) -> bytes:
        if self._head:
            size = len(self._head) if n < 0 else min(n, len(self._head))
            out, self._head = self._head[:size], self._head[size:]
            return out
        chunk = self._raw.read(_READ if n is None or n < 0 else n)
        self._budget.add(len(chunk), self._where)
        return chunk

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()


@dataclass
class RawEntry:
    path: str  # normalized, relative to /, no trailing slash
    kind: str  # file | dir | symlink | hardlink | other
    uid: int
    gid: int
    link: str = ""


@dataclass
class LayerScan:
    index: int
    digest: str
    compression: str
    entries: list[RawEntry] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    large_ids: list[RawEntry] = field(default_factory=list)
    error: str | None = None
    #: package records by path (records.py): what the contents read, in the same pass
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: bytes of the uncompressed tar up to its end; None when the layer was unreadable
    uncompressed: int | None = None
    #: from the layer cache (no byte read)
    cached: bool = False


def _normalize(name: str) -> str:
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return "/".join(parts)


def _kind(info: tarfile.TarInfo) -> str:
    if info.isdir():
        return "dir"
    if info.issym():
        return "symlink"
    if info.islnk():
        return "hardlink"
    return "file" if info.isfile() else "other"


def _decompressed(stream: _Counted) -> tuple[str, Any]:
    magic = stream.peek(4)
    if magic[:2] == b"\x1f\x8b":
        from .inflate import Inflating

        return "gzip", Inflating(stream)
    if magic == b"\x28\xb5\x2f\xfd":
        import zstandard

        return "zstd", zstandard.ZstdDecompressor().stream_reader(stream)
    return "plain", stream


def scan_layer(
    raw: BinaryIO,
    index: int,
    digest: str,
    budget: Budget,
    reopen: Callable[[int], BinaryIO] | None = None,
) -> LayerScan:
    """Every tar entry of one layer (headers only; a few small files' contents).

    With ``reopen(offset)`` (a Range request), an uncompressed layer is read with seeks: the
    contents of large files are skipped, not downloaded. A gzip layer is inflated as it streams
    by (inflate.py: what is skipped is dropped, never copied); zstd is streamed by tarfile.
    """
    where = f"layer {index + 1} ({digest[:19]})"
    counted = _Counted(raw, budget, where)
    compression, stream = _decompressed(counted)
    mode = "r:" if compression == "gzip" else "r|"  # gzip: forward seeks inflate and drop
    if compression == "plain" and reopen is not None:
        from .skipping_reader import SkippingReader

        stream = SkippingReader(counted, lambda at: _Counted(reopen(at), budget, where))
        mode = "r:"
    scan = LayerScan(index, digest, compression)
    options = {"bufsize": _TAR_BUFSIZE} if mode == "r|" else {}
    try:
        with tarfile.open(fileobj=stream, mode=mode, **options) as tar:
            while (info := tar.next()) is not None:
                tar.members.clear()  # tarfile keeps every header it read: memory would grow
                entry = RawEntry(
                    _normalize(info.name), _kind(info), info.uid, info.gid, info.linkname
                )
                scan.entries.append(entry)
                if info.uid > MAX_ID or info.gid > MAX_ID:
                    scan.large_ids.append(entry)
                if (
                    info.isfile()
                    and info.size <= _MAX_WANTED_SIZE
                    and _WANTED.fullmatch(entry.path)
                ):
                    member = tar.extractfile(info)
                    if member is not None:
                        scan.files[entry.path] = member.read()
                elif info.isfile() and (kind := record_kind(entry.path)):
                    _read_record(tar, info, kind, entry.path, scan)
            scan.uncompressed = tar.offset
    except ImageVersionsError:
        raise
    except Exception as exc:  # tarfile, gzip, zstandard and socket errors: the layer is unreadable
        scan.error = f"{type(exc).__name__}: {exc}"
    finally:
        if mode == "r:":
            stream.close()
        else:
            raw.close()
    return scan


def _read_record(
    tar: tarfile.TarFile, info: tarfile.TarInfo, kind: str, path: str, scan: LayerScan
) -> None:
    member = tar.extractfile(info)
    if member is None:
        return
    with member:
        record = read_record(kind, path, member, info.size)  # type: ignore[arg-type]
    if record is not None:
        scan.records[path] = record
