"""The HTTP registry client: Confluent's REST API, with each server's known differences.

One ``httpx.AsyncClient`` shared by all requests; a semaphore bounds how many are in flight.
Connection errors, timeouts, 408, 429 (honouring ``Retry-After``), 5xx and unreadable 2xx
bodies are retried with exponential backoff and full jitter, failing over across the
configured URLs; everything else maps to one ``RegistryError`` subclass with a one-line,
secret-free message. Every request is idempotent (registering an existing schema returns
its id), so retrying a POST cannot create a duplicate version.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import quote

import httpx

from contractctl._version import __version__
from contractctl.adapters.registry.api import (
    Reference,
    RegisteredSchema,
    SchemaSubmission,
    ServerVerdict,
)
from contractctl.core.errors import (
    RegistryAuthError,
    RegistryConflict,
    RegistryError,
    RegistryNotFound,
    RegistryUnavailable,
)
from contractctl.core.registry.config import LEVELS, RegistrySettings, redact

log = logging.getLogger("contractctl.registry")

MEDIA_TYPE: Final = "application/vnd.schemaregistry.v1+json"
ACCEPT: Final = f"{MEDIA_TYPE}, application/vnd.schemaregistry+json, application/json"
RETRY_STATUS: Final = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER: Final = 60.0  # seconds; a longer Retry-After fails now instead of hanging CI
PAGE: Final = 1000
POOL_SHARD: Final = 8  # connections per httpx client

Sleep = Callable[[float], Awaitable[None]]


class _DeadlineExceeded(Exception):
    """The command's total registry time ran out."""


class _TooLarge(Exception):
    """A response grew past ``max_response_bytes``."""


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > cap:
            raise _TooLarge
        chunks.append(chunk)
    body = b"".join(chunks)
    return _decode(response, body, cap) if response.headers.get("content-encoding") else body


def _decode(response: httpx.Response, raw: bytes, cap: int) -> bytes:
    """``raw`` with its content-encoding undone, refusing to inflate past ``cap``."""
    import zlib

    encoding = response.headers.get("content-encoding", "").lower()
    if encoding in ("gzip", "deflate"):
        inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
        out = inflater.decompress(raw, cap + 1)
        if len(out) > cap or inflater.unconsumed_tail:
            raise _TooLarge
        return out
    return raw


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any
    error_code: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class _Response:
    """A response read in full, within the size cap."""

    status: int
    headers: httpx.Headers
    content: bytes
    reason: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def is_html(self) -> bool:
        kind = self.headers.get("content-type", "").lower()
        return "html" in kind or self.content.lstrip()[:1] == b"<"


def _error_fields(response: _Response) -> tuple[Any, int | None, str]:
    """(parsed body or None, error_code, one-line message) of any response."""
    try:
        body = response.json()
    except ValueError:
        text = " ".join(response.text.split())[:200]
        if response.is_html:
            text += " (an HTML page, not a registry answer: a proxy or a login page?)"
        return None, None, text or response.reason
    code: int | None = None
    message: Any = body
    if isinstance(body, dict):
        raw_code = body.get("error_code")
        code = raw_code if isinstance(raw_code, int) else None
        message = body.get("message", body.get("detail", body))
    if isinstance(message, list):  # Karapace: a list of pydantic errors
        parts = [
            str(m.get("msg", m)) + (f" at {'.'.join(map(str, m['loc']))}" if "loc" in m else "")
            if isinstance(m, dict)
            else str(m)
            for m in message
        ]
        message = "; ".join(parts)
    text = " ".join(str(message).split())[:300]
    return body, code, text or response.reason


def _retry_after(response: _Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _ssl_context(settings: RegistrySettings) -> ssl.SSLContext | bool:
    if not settings.verify_tls:
        return False
    try:
        ctx = ssl.create_default_context(
            cafile=str(settings.ca_bundle) if settings.ca_bundle else None
        )
        if settings.client_cert:
            ctx.load_cert_chain(
                str(settings.client_cert),
                str(settings.client_key) if settings.client_key else None,
            )
    except (OSError, ssl.SSLError) as exc:
        raise RegistryError(f"cannot load the registry TLS files: {exc}") from None
    return ctx


def _references(body: dict[str, Any]) -> tuple[Reference, ...]:
    refs = body.get("references") or []
    return tuple(
        Reference(str(r["name"]), str(r["subject"]), r["version"])
        for r in refs
        if isinstance(r, dict)
        and {"name", "subject", "version"} <= r.keys()
        and isinstance(r["version"], int)
    )


class HttpRegistry:
    """``RegistryAPI`` over HTTP. Use as ``async with HttpRegistry(settings) as reg``."""

    def __init__(
        self,
        settings: RegistrySettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not settings.urls:
            raise RegistryError("no registry URL configured")
        self.settings = settings
        self._urls = list(settings.urls)
        self._current = 0
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._secrets = settings.secrets
        self._semaphore = asyncio.Semaphore(settings.concurrency)
        headers = {
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",  # the encodings _decode can bound
            "User-Agent": f"contractctl/{__version__}",
            "Confluent-Accept-Unknown-Properties": "true",
            **settings.headers,
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token.reveal()}"
        elif settings.username:
            password = settings.password.reveal() if settings.password else ""
            pair = base64.b64encode(f"{settings.username}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        # httpcore's pool scans every connection for every queued request, so one big pool
        # costs O(connections) CPU per request; small shards keep that flat.
        shards = max(1, -(-settings.concurrency // POOL_SHARD))
        per_shard = -(-settings.concurrency // shards)
        verify = _ssl_context(settings) if transport is None else True
        self._clients = [
            httpx.AsyncClient(
                headers=headers,
                timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
                limits=httpx.Limits(max_connections=per_shard, max_keepalive_connections=per_shard),
                verify=verify,
                transport=transport,
                follow_redirects=False,
            )
            for _ in range(shards)
        ]
        self._next = 0
        self.requests = 0  # sent, retries included; for --debug and the benchmark
        self._deadline = time.monotonic() + settings.deadline
        self._waited = 0.0  # Retry-After seconds slept so far, across all requests

    @property
    def name(self) -> str:
        return self._urls[self._current]

    async def __aenter__(self) -> HttpRegistry:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()

    # -- transport -----------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)

    async def _send(
        self, method: str, url: str, params: dict[str, str] | None, content: bytes | None
    ) -> _Response:
        """One request, read in full but never past the size cap or the command's deadline.

        httpx's read timeout restarts with every chunk, so a server that drips a byte at a
        time would never time out; the wall-clock bound covers that.
        """
        headers = {"Content-Type": MEDIA_TYPE} if content is not None else None
        cap = self.settings.max_response_bytes
        budget = self._deadline - time.monotonic()
        if budget <= 0:
            raise _DeadlineExceeded
        client = self._clients[self._next % len(self._clients)]
        self._next += 1
        try:
            async with asyncio.timeout(min(budget, self.settings.timeout * 3)):
                async with client.stream(
                    method, url, params=params, content=content, headers=headers
                ) as response:
                    if response.is_stream_consumed:  # built in memory (a test transport)
                        body = response.content
                        if len(body) > cap:
                            raise _TooLarge
                    else:
                        body = await _read_capped(response, cap)
                    return _Response(
                        response.status_code, response.headers, body, response.reason_phrase
                    )
        except TimeoutError:
            if time.monotonic() >= self._deadline:
                raise _DeadlineExceeded from None
            raise httpx.ReadTimeout("no complete answer in time") from None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        expect: Collection[int] = (),
    ) -> Reply:
        """Send with retries and failover; 2xx and ``expect`` statuses return, others raise."""
        attempts = max(self.settings.retries + 1, len(self._urls))
        content = json.dumps(body).encode() if body is not None else None
        for attempt in range(1, attempts + 1):
            base = self._urls[self._current]
            url = base + path
            shown = self._redact(f"{method} {url}")
            retry_after: float | None = None
            started = time.perf_counter()
            try:
                async with self._semaphore:
                    self.requests += 1
                    response = await self._send(method, url, params, content)
            except _DeadlineExceeded:
                raise RegistryUnavailable(
                    f"registry unavailable: {shown}: the command's registry deadline of "
                    f"{self.settings.deadline:g}s ran out (registry.deadline)"
                ) from None
            except _TooLarge:
                raise RegistryError(
                    f"{shown}: the response is larger than {self.settings.max_response_bytes:,} "
                    "bytes (registry.max_response_bytes): not a registry answer"
                ) from None
            except httpx.TimeoutException:
                failure = f"timed out after {self.settings.timeout:g}s"
                self._fail_over()
            except httpx.TransportError as exc:
                failure = f"connection failed ({type(exc).__name__}: {exc})"
                self._fail_over()
            else:
                log.debug(
                    "%s -> %s in %.0f ms",
                    shown,
                    response.status,
                    (time.perf_counter() - started) * 1000,
                )
                status = response.status
                if 300 <= status < 400:
                    where = self._redact(response.headers.get("location", "elsewhere"))
                    raise RegistryError(
                        f"{shown}: HTTP {status}: the registry redirects to {where}; "
                        "redirects are not followed (credentials would go along): "
                        "configure that URL instead"
                    )
                if 200 <= status < 300:
                    if response.is_html:
                        raise RegistryError(
                            f"{shown}: HTTP {status} with an HTML page, not a registry answer "
                            "(a proxy, a login page or a wrong URL?)"
                        )
                    try:
                        return Reply(status, response.json() if response.content else None)
                    except ValueError:
                        failure = "the response body is not valid JSON (truncated?)"
                elif status in RETRY_STATUS or status >= 500:
                    _, code, message = _error_fields(response)
                    failure = f"HTTP {status}" + (f" ({code})" if code else "") + f": {message}"
                    retry_after = _retry_after(response) if status in (429, 503) else None
                    if status >= 500:
                        self._fail_over()
                else:
                    parsed, code, message = _error_fields(response)
                    reply = Reply(status, parsed, code, self._redact(message))
                    if status in expect:
                        return reply
                    raise self._error(method, url, reply)
            failure = self._redact(failure)
            log.debug("%s failed (attempt %d/%d): %s", shown, attempt, attempts, failure)
            if attempt == attempts:
                break
            if retry_after is not None and retry_after > MAX_RETRY_AFTER:
                failure += f"; the registry asked to retry after {retry_after:.0f}s"
                break
            if (
                retry_after is not None
                and self._waited + retry_after > self.settings.max_retry_wait
            ):
                failure += (
                    f"; waiting {retry_after:.0f}s more as the registry asks would exceed "
                    f"{self.settings.max_retry_wait:g}s in all (registry.max_retry_wait)"
                )
                break
            delay = retry_after
            if delay is None:
                ceiling = min(self.settings.backoff_max, self.settings.backoff * 2 ** (attempt - 1))
                delay = self._rng.uniform(ceiling / 2, ceiling)  # jitter spreads the herd
            else:
                self._waited += delay
            if time.monotonic() + delay >= self._deadline:
                failure += f"; the registry deadline of {self.settings.deadline:g}s would pass"
                break
            await self._sleep(delay)
        raise RegistryUnavailable(
            f"registry unavailable: {shown}: {failure} (gave up after {attempt} attempt"
            f"{'s' if attempt > 1 else ''})"
        )

    def _fail_over(self) -> None:
        if len(self._urls) > 1:
            self._current = (self._current + 1) % len(self._urls)

    def _error(self, method: str, url: str, reply: Reply) -> RegistryError:
        shown = self._redact(f"{method} {url}")
        code = f", error_code {reply.error_code}" if reply.error_code else ""
        detail = f"HTTP {reply.status}{code}: {reply.message}"
        if reply.status == 401:
            hint = (
                "no credentials are configured (set CONTRACTCTL_REGISTRY_USERNAME/PASSWORD, "
                "API_KEY/API_SECRET or TOKEN)"
                if "Authorization" not in self._clients[0].headers
                else "the registry rejected the configured credentials"
            )
            return RegistryAuthError(f"{shown}: {detail}: {hint}")
        if reply.status == 403:
            return RegistryAuthError(f"{shown}: {detail}: the credentials lack permission")
        if reply.status in (404, 405) and reply.error_code is None:
            return RegistryNotFound(f"{shown}: {detail}{self._base_url_hint()}")
        if reply.status == 404:
            return RegistryNotFound(f"{shown}: {detail}")
        if reply.status == 409:
            return RegistryConflict(f"{shown}: the registry refused the schema: {detail}")
        return RegistryError(f"{shown}: {detail}")

    def _absent(self, reply: Reply, method: str, path: str) -> bool:
        """True for a registry 404 (error_code 404xx); a bare 404 means a wrong base URL."""
        if reply.status != 404:
            return False
        if reply.error_code is not None and 40400 <= reply.error_code <= 40499:
            return True
        raise self._error(method, self._urls[self._current] + path, reply)

    def _base_url_hint(self) -> str:
        """Why a registry answered a plain 404/405: almost always the base URL is wrong."""
        base = self._redact(self._urls[self._current])
        for endpoint in ("/subjects", "/schemas", "/config", "/compatibility"):
            if base.rstrip("/").endswith(endpoint):
                trimmed = base.rstrip("/").removesuffix(endpoint)
                return f" ({base} ends in {endpoint}: give the registry's base URL, {trimmed})"
        return (
            f" ({base} is probably not a schema registry's base URL: no registry error_code "
            "came back; Apicurio needs its /apis/ccompat/v7 prefix, Confluent Cloud the "
            "cluster endpoint)"
        )

    @staticmethod
    def _path(*parts: str | int) -> str:
        return "/" + "/".join(quote(str(p), safe="") for p in parts)

    # -- API -----------------------------------------------------------------------------

    async def subjects(self) -> list[str]:
        # offset/limit exist since CP 7.9; servers that ignore them (Karapace) return
        # everything on every page, which the "nothing new" test below stops at.
        seen: dict[str, None] = {}
        offset = 0
        while True:
            reply = await self._request(
                "GET", "/subjects", params={"offset": str(offset), "limit": str(PAGE)}
            )
            page = self._list_of(str, reply.body, "GET /subjects")
            fresh = [s for s in page if s not in seen]
            seen.update(dict.fromkeys(fresh))
            if len(page) < PAGE or not fresh:
                return list(seen)
            offset += len(page)

    async def schemas(self) -> list[RegisteredSchema] | None:
        """Every version of every subject from ``GET /schemas``, paged; None without it."""
        found: dict[tuple[str, int], RegisteredSchema] = {}
        offset = 0
        params = {"deleted": "false", "latestOnly": "false", "limit": str(PAGE)}
        while True:
            reply = await self._request(
                "GET", "/schemas", params={**params, "offset": str(offset)}, expect={404, 405}
            )
            if reply.status in (404, 405) or not isinstance(reply.body, list):
                return None  # an older or partial implementation: ask subject by subject
            page = [
                self._registered(str(b.get("subject", "")), b)
                for b in reply.body
                if isinstance(b, dict) and isinstance(b.get("subject"), str)
            ]
            fresh = [v for v in page if (v.subject, v.version) not in found]
            found.update({(v.subject, v.version): v for v in fresh})
            # Servers that ignore offset/limit return everything on every page.
            if len(reply.body) < PAGE or not fresh:
                return sorted(found.values(), key=lambda v: (v.subject, v.version))
            offset += len(reply.body)

    async def versions(self, subject: str) -> list[int]:
        path = self._path("subjects", subject, "versions")
        reply = await self._request("GET", path, expect={404})
        if self._absent(reply, "GET", path):
            return []
        numbers = self._list_of(int, reply.body, f"GET {path}")
        return sorted(v for v in numbers if v > 0)

    def _list_of(self, kind: type, body: Any, what: str) -> list[Any]:
        """``body`` as a list of ``kind``; any other shape is the server's fault, said once."""
        if body is None:
            return []
        if not isinstance(body, list) or not all(
            isinstance(v, kind) and not isinstance(v, bool) for v in body
        ):
            raise self._shape(what, f"a list of {kind.__name__}", body)
        return body

    def _shape(self, what: str, wanted: str, body: Any) -> RegistryError:
        seen = json.dumps(body)[:80] if not isinstance(body, str) else repr(body[:80])
        return RegistryError(
            self._redact(f"{self.name}: {what}: expected {wanted}, the server answered {seen}")
        )

    def _registered(self, subject: str, body: Any) -> RegisteredSchema:
        if not isinstance(body, dict):
            raise self._shape(f"subject {subject}", "a schema object", body)
        version, schema_id, schema = body.get("version"), body.get("id"), body.get("schema")
        kinds_ok = (
            isinstance(version, int | None)
            and isinstance(schema_id, int | None)
            and isinstance(schema, str)
            and not isinstance(version, bool)
            and not isinstance(schema_id, bool)
            and isinstance(body.get("references") or [], list)
        )
        if not kinds_ok:
            raise self._shape(
                f"subject {subject}", "version and id numbers and a schema string", body
            )
        return RegisteredSchema(
            subject=str(body.get("subject", subject)),
            version=version or 0,
            id=schema_id or 0,
            schema=str(schema),
            schema_type=str(body.get("schemaType") or "AVRO"),  # absent means AVRO
            references=_references(body),
        )

    async def version(self, subject: str, version: int | str) -> RegisteredSchema | None:
        path = self._path("subjects", subject, "versions", version)
        reply = await self._request("GET", path, expect={404})
        if self._absent(reply, "GET", path):
            return None
        return self._registered(subject, reply.body)

    async def schema_by_id(self, schema_id: int) -> RegisteredSchema | None:
        """``GET /schemas/ids/{id}``: the schema a payload's wire-format id names."""
        path = self._path("schemas", "ids", schema_id)
        reply = await self._request("GET", path, expect={404})
        if self._absent(reply, "GET", path):
            return None
        body = reply.body
        return self._registered("", {**body, "id": schema_id} if isinstance(body, dict) else body)

    async def lookup(self, subject: str, schema: SchemaSubmission) -> RegisteredSchema | None:
        path = self._path("subjects", subject)
        reply = await self._request("POST", path, body=schema.body(), expect={404})
        if self._absent(reply, "POST", path):  # 40401 no subject, 40403 schema not under it
            return None
        return self._registered(subject, reply.body)

    async def register(self, subject: str, schema: SchemaSubmission) -> int:
        path = self._path("subjects", subject, "versions")
        reply = await self._request("POST", path, body=schema.body())
        if not isinstance(reply.body, dict) or not isinstance(reply.body.get("id"), int):
            raise RegistryError(f"{self.name}: register {subject}: the response has no id")
        return int(reply.body["id"])  # CP 8 adds version, guid, ...; only id is stable

    def _level_of(self, body: Any) -> str | None:
        if not isinstance(body, dict):
            raise self._shape("config", "an object with compatibilityLevel", body)
        level = body.get("compatibilityLevel", body.get("compatibility"))
        if level is None:
            return None
        if not isinstance(level, str) or level.upper() not in LEVELS:
            raise self._shape("config", "a compatibility level", body)
        return level.upper()

    async def subject_level(self, subject: str) -> str | None:
        path = self._path("config", subject)
        reply = await self._request("GET", path, expect={404})
        if self._absent(
            reply, "GET", path
        ):  # 40408 (40401 in older servers): no subject-level config
            return None
        return self._level_of(reply.body)

    async def global_level(self) -> str:
        reply = await self._request("GET", "/config")
        return self._level_of(reply.body) or "BACKWARD"

    async def set_level(self, subject: str, level: str) -> None:
        await self._request("PUT", self._path("config", subject), body={"compatibility": level})

    async def test_compatibility(
        self, subject: str, schema: SchemaSubmission, *, all_versions: bool = False
    ) -> ServerVerdict:
        params = {"verbose": "true"}
        if all_versions:
            path = self._path("compatibility", "subjects", subject, "versions")
            reply = await self._request(
                "POST", path, params=params, body=schema.body(), expect={404}
            )
            if reply.status != 404 or reply.error_code in (40401, 40402):
                return self._verdict(reply)
            log.debug("no all-versions compatibility endpoint; asking about latest")
            # Karapace has no all-versions endpoint (a bare 404): ask about latest instead.
        path = self._path("compatibility", "subjects", subject, "versions", "latest")
        reply = await self._request("POST", path, params=params, body=schema.body(), expect={404})
        self._absent(reply, "POST", path)
        return self._verdict(reply)

    @staticmethod
    def _verdict(reply: Reply) -> ServerVerdict:
        if reply.status == 404:
            # Karapace answers 404 40402 "Version -1 not found." for a new subject where
            # Confluent and Apicurio answer 200 true; both mean "nothing to be compatible with".
            return ServerVerdict(True, (), new_subject=True)
        body = reply.body if isinstance(reply.body, dict) else {}
        if not isinstance(body.get("is_compatible"), bool):
            raise RegistryError(
                f"compatibility answer without an is_compatible boolean: {str(reply.body)[:80]}"
            )
        messages = body.get("messages")  # absent (Apicurio, non-verbose), list, or a string
        if messages is None:
            found: tuple[str, ...] = ()
        elif isinstance(messages, list):
            found = tuple(str(m) for m in messages)
        else:
            found = (str(messages),)
        return ServerVerdict(bool(body.get("is_compatible", False)), found)
