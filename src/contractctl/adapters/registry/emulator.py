"""A small Confluent-compatible registry server for 127.0.0.1, for tests and the benchmark.

It serves the endpoints contractctl uses over a ``LocalStore`` (so it judges compatibility
exactly like the embedded registry), adds a fixed latency per request to model a network,
and can answer like Karapace (404 40402 on ``latest`` for a new subject, no all-versions
endpoint) or require basic auth. Not a production server: one process, in memory.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from contractctl.adapters.registry.api import Reference, RegisteredSchema, SchemaSubmission
from contractctl.adapters.registry.store import LocalStore
from contractctl.core.errors import RegistryConflict, RegistryError, RegistryNotFound

_SUBJECT = r"/subjects/(?P<s>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"/subjects"), "subjects"),
    ("GET", re.compile(r"/schemas"), "schemas"),
    ("GET", re.compile(_SUBJECT + r"/versions"), "versions"),
    ("GET", re.compile(_SUBJECT + r"/versions/(?P<v>[^/]+)"), "version"),
    ("POST", re.compile(_SUBJECT), "lookup"),
    ("POST", re.compile(_SUBJECT + r"/versions"), "register"),
    ("GET", re.compile(r"/config"), "get_global"),
    ("PUT", re.compile(r"/config"), "put_global"),
    ("GET", re.compile(r"/config/(?P<s>[^/]+)"), "get_config"),
    ("PUT", re.compile(r"/config/(?P<s>[^/]+)"), "put_config"),
    ("POST", re.compile(r"/compatibility/subjects/(?P<s>[^/]+)/versions"), "compat_all"),
    ("POST", re.compile(r"/compatibility/subjects/(?P<s>[^/]+)/versions/(?P<v>[^/]+)"), "compat"),
    ("GET", re.compile(r"/schemas/ids/(?P<i>[0-9]+)"), "schema_by_id"),
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # the default (5) drops bursts of concurrent connects


class _Error(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _schema_json(v: RegisteredSchema) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": v.subject,
        "version": v.version,
        "id": v.id,
        "schema": v.schema,
    }
    if v.schema_type != "AVRO":  # Confluent omits schemaType for AVRO
        body["schemaType"] = v.schema_type
    if v.references:
        body["references"] = [r.to_json() for r in v.references]
    return body


class RegistryEmulator:
    """``with RegistryEmulator(latency=0.005) as emu: emu.url``: a registry on a free port."""

    def __init__(
        self,
        store: LocalStore | None = None,
        *,
        latency: float = 0.0,
        flavour: str = "confluent",
        auth: tuple[str, str] | None = None,
        prefix: str = "",
    ) -> None:
        self.store = store or LocalStore()
        self.latency = latency
        self.flavour = flavour
        self.prefix = prefix.rstrip("/")
        self.requests = 0
        self._auth = (
            "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode() if auth else None
        )
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                del format, args

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without NODELAY, Nagle and the
                # peer's delayed ACK stall every response by ~40 ms.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self) -> None:
                emulator.requests += 1
                if emulator.latency:
                    time.sleep(emulator.latency)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = emulator.dispatch(
                    self.command, self.path, raw, self.headers.get("Authorization")
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

        self._handler = Handler
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator serves only inside `with`")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    def __enter__(self) -> RegistryEmulator:
        self._server = _Server(("127.0.0.1", 0), self._handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def dispatch(self, method: str, target: str, raw: bytes, auth: str | None) -> tuple[int, Any]:
        """(status, JSON body) for one request; public so tests can call it without HTTP."""
        if self._auth and auth != self._auth:
            return 401, {"message": "Unauthorized"}
        path = urlsplit(target).path
        if self.prefix:
            if not path.startswith(self.prefix):
                return 404, "Not Found"
            path = path[len(self.prefix) :]
        for verb, pattern, name in _ROUTES:
            match = pattern.fullmatch(path)
            if verb == method and match:
                params = {k: unquote(v) for k, v in match.groupdict().items()}
                if name == "schemas":  # the one endpoint here whose query string matters
                    params = dict(parse_qsl(urlsplit(target).query))
                try:
                    body = json.loads(raw) if raw else {}
                    return 200, getattr(self, "_" + name)(body, **params)
                except _Error as exc:
                    return exc.status, {"error_code": exc.code, "message": exc.message}
                except RegistryConflict as exc:
                    return 409, {"error_code": 409, "message": exc.message}
                except RegistryNotFound as exc:
                    return 404, {"error_code": 40402, "message": exc.message}
                except (RegistryError, ValueError) as exc:
                    return 422, {"error_code": 42201, "message": str(exc)}
        return 404, {"error_code": 404, "message": "HTTP 404 Not Found"}

    # -- endpoints ---------------------------------------------------------------------

    @staticmethod
    def _submission(body: dict[str, Any]) -> SchemaSubmission:
        refs = tuple(
            Reference(r["name"], r["subject"], int(r["version"]))
            for r in body.get("references", [])
        )
        return SchemaSubmission(str(body["schema"]), body.get("schemaType") or "AVRO", refs)

    def _need_subject(self, s: str) -> None:
        if not self.store.versions(s):
            raise _Error(404, 40401, f"Subject '{s}' not found.")

    def _subjects(self, body: Any) -> Any:
        return self.store.subjects()

    def _schemas(self, body: Any, **query: str) -> Any:
        """``GET /schemas``: every version of every subject, paged like Confluent (CP 7.5+)."""
        prefix = query.get("subjectPrefix", "")
        latest = query.get("latestOnly", "false") == "true"
        found = [
            _schema_json(v)
            for s in self.store.subjects()
            if s.startswith(prefix)
            for n in (self.store.versions(s)[-1:] if latest else self.store.versions(s))
            if (v := self.store.version(s, n)) is not None
        ]
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 1000)), 1000)
        return found[offset : offset + limit]

    def _versions(self, body: Any, s: str) -> Any:
        self._need_subject(s)
        return self.store.versions(s)

    def _version(self, body: Any, s: str, v: str) -> Any:
        self._need_subject(s)
        found = self.store.version(s, v)
        if found is None:
            raise _Error(404, 40402, f"Version {v} not found.")
        return _schema_json(found)

    def _schema_by_id(self, body: Any, i: str) -> Any:
        found = self.store.schema_by_id(int(i))
        if found is None:
            raise _Error(404, 40403, f"Schema {i} not found")
        return {k: v for k, v in _schema_json(found).items() if k not in ("subject", "version")}

    def _lookup(self, body: Any, s: str) -> Any:
        self._need_subject(s)
        found = self.store.lookup(s, self._submission(body))
        if found is None:
            raise _Error(404, 40403, "Schema not found")
        return _schema_json(found)

    def _register(self, body: Any, s: str) -> Any:
        return {"id": self.store.register(s, self._submission(body)).id}

    def _get_global(self, body: Any) -> Any:
        return {"compatibilityLevel": self.store.global_level()}

    def _put_global(self, body: Any) -> Any:
        self.store.set_global_level(body["compatibility"])
        return {"compatibility": body["compatibility"]}

    def _get_config(self, body: Any, s: str) -> Any:
        level = self.store.subject_level(s)
        if level is None:
            raise _Error(
                404, 40408, f"Subject '{s}' does not have subject-level compatibility configured"
            )
        return {"compatibilityLevel": level}

    def _put_config(self, body: Any, s: str) -> Any:
        self.store.set_level(s, body["compatibility"])
        return {"compatibility": body["compatibility"]}

    def _compat_all(self, body: Any, s: str) -> Any:
        if self.flavour == "karapace":
            raise _Error(404, 0, "Not Found")
        return self._verdict(s, body)

    def _compat(self, body: Any, s: str, v: str) -> Any:
        if self.flavour == "karapace" and not self.store.versions(s):
            raise _Error(404, 40402, "Version -1 not found.")
        return self._verdict(s, body)

    def _verdict(self, s: str, body: Any) -> Any:
        verdict = self.store.judge(s, self._submission(body))
        if verdict.compatible:
            return {"is_compatible": True}
        if self.flavour == "apicurio":
            return {"is_compatible": False}  # Apicurio never returns messages
        return {"is_compatible": False, "messages": list(verdict.messages)}
