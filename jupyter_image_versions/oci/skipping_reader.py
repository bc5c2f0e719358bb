"""A seekable view of an uncompressed layer over HTTP: a short skip reads through, a long one
asks for the rest with a Range request, so file contents are never downloaded."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

#: Skips shorter than this are read and dropped: cheaper than a new request.
SKIP_BELOW = 1024 * 1024


class SkippingReader(io.RawIOBase):
    """``read``/``tell``/``seek`` (forward or back) for tarfile's random-access mode."""

    def __init__(self, first: Any, reopen: Callable[[int], Any]) -> None:
        super().__init__()
        self._current = first
        self._reopen = reopen
        self._pos = 0
        self.requests = 1

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        # tarfile wants whole blocks: a short read from the socket is not the end
        parts, wanted = [], n
        while n < 0 or wanted > 0:
            chunk = self._current.read(wanted if n >= 0 else -1)
            if not chunk:
                break
            parts.append(chunk)
            wanted -= len(chunk)
        data = b"".join(parts)
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence != io.SEEK_SET:
            raise io.UnsupportedOperation("the layer's end is not known")
        gap = offset - self._pos
        if 0 <= gap < SKIP_BELOW:
            while gap > 0:
                chunk = self._current.read(min(gap, 256 * 1024))
                if not chunk:
                    break
                gap -= len(chunk)
        elif gap != 0:
            self._current.close()
            self._current = self._reopen(offset)
            self.requests += 1
        self._pos = offset
        return offset

    def close(self) -> None:
        self._current.close()
        super().close()
