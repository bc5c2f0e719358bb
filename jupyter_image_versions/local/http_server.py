"""HTTP transport: the endpoint on a socket, for the AWS CLI and other SDKs."""

from __future__ import annotations

import ipaddress
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .protocol import CONTENT_TYPE, encode

HandleFn = Callable[[str, bytes, str | None], tuple[int, dict[str, str], bytes]]


def _request_handler(
    handle: HandleFn, verbose: bool, bind_host: str = "127.0.0.1"
) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "LocalSageMaker/1.0"
        # Send headers and body in one segment: no Nagle / delayed-ACK stall per request.
        wbufsize = -1
        disable_nagle_algorithm = True

        def _host_refused(self) -> bool:
            # DNS rebinding: a page's script reaches us under its own name; answer only to ours.
            if host_allowed(self.headers.get("Host"), bind_host):
                return False
            payload = encode(
                {"__type": "AccessDeniedException", "message": "Host header not allowed"}
            )
            self.close_connection = True
            self._reply(403, {"Content-Type": CONTENT_TYPE}, payload)
            return True

        def do_POST(self) -> None:
            if self._host_refused():
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            target = self.headers.get("X-Amz-Target") or ""
            status, headers, payload = handle(target, body, self.headers.get("Authorization"))
            self._reply(status, headers, payload)

        def do_GET(self) -> None:
            if self._host_refused():
                return
            payload = encode({"status": "ok", "service": "local SageMaker + ECR endpoint"})
            self._reply(200, {"Content-Type": "application/json"}, payload)

        def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            headers = {**headers, "Content-Length": str(len(payload))}
            headers.setdefault("Content-Type", CONTENT_TYPE)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            if verbose:
                super().log_message(format, *args)

    return RequestHandler


def host_allowed(header: str | None, bind_host: str) -> bool:
    """Whether a request's Host header names a loopback address/name or the bound host."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:4599
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host in ("localhost", bind_host.lower().strip("[]")) or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LocalHTTPServer:
    """A running HTTP endpoint: ``url``, ``host``, ``port`` and :meth:`shutdown`."""

    def __init__(
        self, handle: HandleFn, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
    ) -> None:
        self._server = ThreadingHTTPServer((host, port), _request_handler(handle, verbose, host))
        self._server.daemon_threads = True
        self.host = host
        self.port: int = self._server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> LocalHTTPServer:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"local-endpoint-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`shutdown` or Ctrl-C."""
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)
        finally:
            self._server.server_close()

    def shutdown(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LocalHTTPServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
