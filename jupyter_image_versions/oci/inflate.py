"""A gzip layer as a forward-seekable stream, for tarfile's random-access mode.

tarfile reads a header (512 bytes), then seeks past the member's contents. Here a seek inflates
the bytes it passes over and drops them, 1 MiB at a time, without copying them through tarfile's
own buffers or Python's gzip module (which also checksums in Python): the cost of a layer is
about the cost of inflating it, the floor for gzip. zlib releases the GIL while it inflates, so
layers read in parallel use every core.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

_INPUT = 256 * 1024
_OUTPUT = 1024 * 1024


class Inflating(io.RawIOBase):
    """``read``/``tell``/forward ``seek`` over the gzip stream ``raw`` (multi-member too)."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self._z = zlib.decompressobj(wbits=31)
        self._buf = b""
        self._off = 0
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def _inflate(self, limit: int) -> bytes:
        """Up to ``limit`` more inflated bytes; b"" at the end of the stream."""
        while not self._done:
            if self._z.unconsumed_tail:
                data = self._z.unconsumed_tail
            elif self._z.eof:
                data = self._z.unused_data or self._raw.read(_INPUT)
                if not data.strip(b"\0"):  # the end, or the zero padding some tools add
                    self._done = True
                    return b""
                self._z = zlib.decompressobj(wbits=31)  # another gzip member follows
            else:
                data = self._raw.read(_INPUT)
                if not data:
                    raise EOFError("the gzip stream ends before its end marker")
            out = self._z.decompress(data, limit)
            if out:
                return out
        return b""

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            parts = [self._buf[self._off :]]
            while chunk := self._inflate(_OUTPUT):
                parts.append(chunk)
            self._buf, self._off = b"", 0
            data = b"".join(parts)
        else:
            while len(self._buf) - self._off < n:
                chunk = self._inflate(max(n, _OUTPUT))
                if not chunk:
                    break
                self._buf, self._off = self._buf[self._off :] + chunk, 0
            data = self._buf[self._off : self._off + n]
            self._off += len(data)
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
        if gap < 0:
            raise io.UnsupportedOperation("a gzip layer is read forward only")
        buffered = len(self._buf) - self._off
        if gap <= buffered:
            self._off += gap
        else:
            gap -= buffered
            self._buf, self._off = b"", 0
            while gap > 0:
                chunk = self._inflate(min(gap, _OUTPUT))
                if not chunk:
                    break
                gap -= len(chunk)
        self._pos = offset
        return offset

    def close(self) -> None:
        self._raw.close()
        super().close()
