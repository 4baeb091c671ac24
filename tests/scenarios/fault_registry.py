"""A registry that misbehaves on purpose, on real sockets on 127.0.0.1.

Each ``Fault`` answers every request the same broken way: dripping bytes, an endless body,
a reset connection, 5xx, 429 with a long Retry-After, truncated or wrong-shaped JSON, an
HTML page, a body echoing the request's credentials, a redirect to another host.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


class Fault(StrEnum):
    DRIP = "drip"
    ENDLESS = "endless"
    RESET = "reset"
    ERROR_5XX = "5xx"
    RETRY_AFTER = "429-retry-after"
    TRUNCATED = "truncated-json"
    WRONG_SHAPE = "wrong-shape"
    HTML = "html-200"
    ECHO = "echo-credentials"
    REDIRECT = "redirect"


def _wrong_shape(path: str) -> Any:
    if path.startswith("/subjects") and path.count("/") == 1:
        return {"a": 1, "b": [2]}
    if path.startswith("/config"):
        return {"compatibilityLevel": 5}
    if "/versions/" in path:
        return {"subject": "s", "version": "one", "id": 1, "schema": "{}"}
    if path.endswith("/versions"):
        return ["1", 2]
    return 5


class _Handler(BaseHTTPRequestHandler):
    fault: ClassVar[Fault] = Fault.ERROR_5XX
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        del format, args

    def _send(self, status: int, body: bytes, kind: str = "application/json", **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("Connection", "close")  # no idle keep-alive socket left behind
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        fault = type(self).fault
        if fault is Fault.DRIP:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        elif fault is Fault.ENDLESS:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"[" + b'"x",' * 16_000
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        elif fault is Fault.RESET:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.connection.close()
        elif fault is Fault.ERROR_5XX:
            self._send(503, json.dumps({"error_code": 50003, "message": "down"}).encode())
        elif fault is Fault.RETRY_AFTER:
            self._send(429, b'{"message": "slow down"}', Retry_After="30")
        elif fault is Fault.TRUNCATED:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "40")
            self.end_headers()
            self.wfile.write(b'{"subject": "s", "vers')
            self.connection.shutdown(socket.SHUT_RDWR)
        elif fault is Fault.WRONG_SHAPE:
            self._send(200, json.dumps(_wrong_shape(self.path.split("?")[0])).encode())
        elif fault is Fault.HTML:
            self._send(200, b"<!doctype html><html><body>Sign in</body></html>", "text/html")
        elif fault is Fault.ECHO:
            echoed = {"error_code": 40101, "message": f"bad {self.headers.get('Authorization')}"}
            self._send(401, json.dumps(echoed).encode())
        elif fault is Fault.REDIRECT:
            self._send(302, b"", Location="http://127.0.0.2:9/stolen")

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's names


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        del request, client_address  # the client hanging up on a fault is the point


class FaultRegistry:
    """``with FaultRegistry(Fault.DRIP) as url:`` a broken registry at ``url``."""

    def __init__(self, fault: Fault) -> None:
        handler = type("Handler", (_Handler,), {"fault": fault})
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
