"""A loopback HTTP server for ECR layer downloads: the local ``GetDownloadUrlForLayer`` URLs.

Started lazily by the first URL asked for, in whichever process answers ECR requests (in-process
or the HTTP endpoint). URLs are signed with a per-process secret and expire like pre-signed S3
URLs: an expired or forged URL is answered 403.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: (repository, digest) -> the blob's size, or None when there is no such blob.
BlobSize = Callable[[str, str], int | None]
#: (repository, digest, offset, count) -> that part of the blob.
BlobRead = Callable[[str, str, int, int], bytes]

_CHUNK = 1 << 20
_RANGE = re.compile(r"bytes=(?P<first>\d+)-(?P<last>\d*)")


class BlobServer:
    """Serves blobs at ``/v2/<repository>/blobs/<digest>?expires=..&signature=..``."""

    def __init__(
        self, size_of: BlobSize, read_part: BlobRead, clock: Callable[[], float] = time.time
    ) -> None:
        self._size_of = size_of
        self.read_part = read_part
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.requests = 0
        self.bytes_served = 0
        self.served: Counter[str] = Counter()  # requests answered per blob digest

    def _sign(self, repository: str, digest: str, expires: int) -> str:
        message = f"{repository}\n{digest}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def url(self, repository: str, digest: str, lifetime: float) -> str:
        """A signed URL for one blob, valid for ``lifetime`` seconds from now."""
        port = self._start()
        expires = int(self._clock() + lifetime)
        query = urllib.parse.urlencode(
            {"expires": expires, "signature": self._sign(repository, digest, expires)}
        )
        path = urllib.parse.quote(f"/v2/{repository}/blobs/{digest}")
        return f"http://127.0.0.1:{port}{path}?{query}"

    def answer(self, path: str) -> tuple[int, bytes, tuple[str, str, int] | None]:
        """(status, error body, (repository, digest, size) of the blob) for a GET of ``path``."""
        parsed = urllib.parse.urlsplit(path)
        parts = urllib.parse.unquote(parsed.path).split("/blobs/")
        query = dict(urllib.parse.parse_qsl(parsed.query))
        if len(parts) != 2 or not parts[0].startswith("/v2/"):
            return 404, b"<Error><Code>NoSuchKey</Code></Error>", None
        repository, digest = parts[0][len("/v2/") :], parts[1]
        try:
            expires = int(query.get("expires", ""))
        except ValueError:
            return 403, b"<Error><Code>AccessDenied</Code></Error>", None
        expected = self._sign(repository, digest, expires)
        if not hmac.compare_digest(expected, query.get("signature", "")):
            return 403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>", None
        if self._clock() > expires:
            expired = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
            return 403, expired, None
        size = self._size_of(repository, digest)
        if size is None:
            return 404, b"<Error><Code>NoSuchKey</Code></Error>", None
        return 200, b"", (repository, digest, size)

    def _start(self) -> int:
        with self._lock:
            if self._server is None:
                self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
                self._server.daemon_threads = True
                self._thread = threading.Thread(
                    target=self._server.serve_forever, name="local-ecr-blobs", daemon=True
                )
                self._thread.start()
            return self._server.server_address[1]

    def close(self) -> None:
        """Stop serving (a later URL starts it again)."""
        with self._lock:
            server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)


def _handler_class(blobs: BlobServer) -> type[BaseHTTPRequestHandler]:
    class BlobHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "LocalECRBlobs/1.0"

        def do_GET(self) -> None:
            status, error, blob = blobs.answer(self.path)
            blobs.requests += 1
            first, length, extra = 0, len(error), {}
            if blob is not None:
                blobs.served[blob[1]] += 1
                size = blob[2]
                length = size
                ranged = _RANGE.fullmatch(self.headers.get("Range") or "")
                if ranged:  # as S3 does: 206 with the part asked for
                    first = int(ranged["first"])
                    last = min(int(ranged["last"] or size - 1), size - 1)
                    if first >= size or last < first:
                        status, blob, length = 416, None, 0
                        extra["Content-Range"] = f"bytes */{size}"
                    else:
                        status, length = 206, last - first + 1
                        extra["Content-Range"] = f"bytes {first}-{last}/{size}"
            self.send_response(status)
            content_type = "application/octet-stream" if status < 300 else "application/xml"
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                if blob is None:
                    self.wfile.write(error[:length])
                    return
                # chunk by chunk from the store: a client that stops reading costs little
                for offset in range(first, first + length, _CHUNK):
                    count = min(_CHUNK, first + length - offset)
                    self.wfile.write(blobs.read_part(blob[0], blob[1], offset, count))
                    blobs.bytes_served += count
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (a budget, or a skip): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return BlobHandler
