"""Writer schemas by id for the generated models' ``from_confluent``, cached per id.

Generated packages declare a one-method protocol (``_runtime.SchemaResolver``):
``writer_schema(schema_id) -> (schema type, schema text)``. ``WriterSchemas`` satisfies it
over contractctl's registry client or the embedded registry's store. Registered schemas
never change under an id, so the cache needs no expiry; it holds one entry per id seen.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import httpx

from contractctl.adapters.registry.api import RegisteredSchema
from contractctl.adapters.registry.client import HttpRegistry
from contractctl.adapters.registry.store import LocalStore
from contractctl.core.errors import RegistryNotFound
from contractctl.core.registry.config import RegistrySettings

Fetch = Callable[[int], RegisteredSchema | None]


class WriterSchemas:
    """``writer_schema(id)`` over a registry; ``of_store`` / ``of_http`` build one."""

    def __init__(self, fetch: Fetch, name: str = "registry") -> None:
        self._fetch = fetch
        self._name = name
        self._cache: dict[int, tuple[str, str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def of_store(cls, store: LocalStore) -> WriterSchemas:
        """The embedded registry (or any ``LocalStore``)."""
        return cls(store.schema_by_id, "the embedded registry")

    @classmethod
    def of_http(
        cls, settings: RegistrySettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> WriterSchemas:
        """A registry server, through contractctl's client (retries, failover, auth)."""

        async def fetch_async(schema_id: int) -> RegisteredSchema | None:
            async with HttpRegistry(settings, transport=transport) as registry:
                return await registry.schema_by_id(schema_id)

        def fetch(schema_id: int) -> RegisteredSchema | None:
            return _run(lambda: asyncio.run(fetch_async(schema_id)))

        return cls(fetch, settings.urls[0] if settings.urls else "registry")

    def writer_schema(self, schema_id: int) -> tuple[str, str]:
        with self._lock:
            if schema_id in self._cache:
                return self._cache[schema_id]
        found = self._fetch(schema_id)
        if found is None:
            raise RegistryNotFound(f"{self._name}: no schema with id {schema_id}")
        entry = (found.schema_type or "AVRO", found.schema)
        with self._lock:
            self._cache[schema_id] = entry
        return entry


def _run(call: Callable[[], RegisteredSchema | None]) -> RegisteredSchema | None:
    """Run a coroutine-driving call, in a worker thread when an event loop already runs here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    box: list[RegisteredSchema | None] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # handed back to the calling thread below
            errors.append(exc)

    thread = threading.Thread(target=work, name="contractctl-writer-schema")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]
