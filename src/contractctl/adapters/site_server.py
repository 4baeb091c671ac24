"""A static file server for ``docs serve``: the standard library's, bound to 127.0.0.1 only."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from contractctl.core.errors import UsageError


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the rebuild messages

    def end_headers(self) -> None:
        # A rebuilt page must show on reload, not a cached copy.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class SiteServer:
    """Serves ``root`` on 127.0.0.1 from a background thread until :meth:`stop`."""

    def __init__(self, root: Path, port: int = 0) -> None:
        handler = functools.partial(_Handler, directory=str(root))
        try:
            self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            raise UsageError(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; choose another --port"
            ) from exc
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
