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
from contractctl.core.registry.config import RegistrySettings, redact

log = logging.getLogger("contractctl.registry")

MEDIA_TYPE: Final = "application/vnd.schemaregistry.v1+json"
ACCEPT: Final = f"{MEDIA_TYPE}, application/vnd.schemaregistry+json, application/json"
RETRY_STATUS: Final = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER: Final = 60.0  # seconds; a longer Retry-After fails now instead of hanging CI
PAGE: Final = 1000
POOL_SHARD: Final = 8  # connections per httpx client

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any
    error_code: int | None = None
    message: str = ""


def _error_fields(response: httpx.Response) -> tuple[Any, int | None, str]:
    """(parsed body or None, error_code, one-line message) of any response."""
    try:
        body = response.json()
    except ValueError:
        text = " ".join(response.text.split())[:200]
        return None, None, text or response.reason_phrase
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
    return body, code, text or response.reason_phrase


def _retry_after(response: httpx.Response) -> float | None:
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
        Reference(str(r["name"]), str(r["subject"]), int(r["version"]))
        for r in refs
        if isinstance(r, dict) and {"name", "subject", "version"} <= r.keys()
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
        headers = {"Content-Type": MEDIA_TYPE} if content is not None else None
        for attempt in range(1, attempts + 1):
            base = self._urls[self._current]
            url = base + path
            shown = self._redact(f"{method} {url}")
            retry_after: float | None = None
            started = time.perf_counter()
            try:
                async with self._semaphore:
                    self.requests += 1
                    client = self._clients[self._next % len(self._clients)]
                    self._next += 1
                    response = await client.request(
                        method, url, params=params, content=content, headers=headers
                    )
                    await response.aread()
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
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
                status = response.status_code
                if 200 <= status < 300:
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
            delay = retry_after
            if delay is None:
                ceiling = min(self.settings.backoff_max, self.settings.backoff * 2 ** (attempt - 1))
                delay = self._rng.uniform(ceiling / 2, ceiling)  # jitter spreads the herd
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
            page = [s for s in reply.body or [] if isinstance(s, str)]
            fresh = [s for s in page if s not in seen]
            seen.update(dict.fromkeys(fresh))
            if len(page) < PAGE or not fresh:
                return list(seen)
            offset += len(page)

    async def versions(self, subject: str) -> list[int]:
        path = self._path("subjects", subject, "versions")
        reply = await self._request("GET", path, expect={404})
        if self._absent(reply, "GET", path):
            return []
        return sorted(v for v in reply.body or [] if isinstance(v, int) and v > 0)

    def _registered(self, subject: str, body: Any) -> RegisteredSchema:
        if not isinstance(body, dict) or "schema" not in body:
            raise RegistryError(f"{self.name}: unexpected response for subject {subject}")
        return RegisteredSchema(
            subject=str(body.get("subject", subject)),
            version=int(body.get("version", 0)),
            id=int(body.get("id", 0)),
            schema=str(body["schema"]),
            schema_type=str(body.get("schemaType") or "AVRO"),  # absent means AVRO
            references=_references(body),
        )

    async def version(self, subject: str, version: int | str) -> RegisteredSchema | None:
        path = self._path("subjects", subject, "versions", version)
        reply = await self._request("GET", path, expect={404})
        if self._absent(reply, "GET", path):
            return None
        return self._registered(subject, reply.body)

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

    @staticmethod
    def _level_of(body: Any) -> str | None:
        if isinstance(body, dict):
            level = body.get("compatibilityLevel", body.get("compatibility"))
            return str(level).upper() if level else None
        return None

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
        messages = body.get("messages")  # absent (Apicurio, non-verbose), list, or a string
        if messages is None:
            found: tuple[str, ...] = ()
        elif isinstance(messages, list):
            found = tuple(str(m) for m in messages)
        else:
            found = (str(messages),)
        return ServerVerdict(bool(body.get("is_compatible", False)), found)
