"""Schema ids of Confluent wire-format events, resolved through the configured registry.

Uses the registry client as it is (``RegistryAPI``: subjects, versions, version), which has
no get-by-id: the first lookup lists every subject's versions once and keeps id → schema;
an id not found triggers one more listing (it may have been registered since), then is
remembered as unknown. A registry that stays unreachable raises ``RegistryUnavailable``
after the client's retries (exit 4).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from contractctl.core.registry.config import RegistrySettings


class RegistryIds:
    def __init__(self, settings: RegistrySettings, *, root: Path | None = None) -> None:
        self.settings = settings
        self.root = root
        self._known: dict[int, tuple[str, str]] = {}
        self._unknown: set[int] = set()
        self._scans = 0

    def lookup(self, schema_id: int) -> tuple[str, str] | None:
        """(schema type, schema text) registered under ``schema_id``; None if unknown."""
        found = self._known.get(schema_id)
        if found is not None or schema_id in self._unknown:
            return found
        self._known.update(asyncio.run(self._scan()))
        self._scans += 1
        found = self._known.get(schema_id)
        if found is None:
            self._unknown.add(schema_id)
        return found

    async def _scan(self) -> dict[int, tuple[str, str]]:
        from contractctl.adapters.registry import open_registry

        api = open_registry(self.settings, root=self.root)
        out: dict[int, tuple[str, str]] = {}
        try:
            for subject in await api.subjects():
                for version in await api.versions(subject):
                    registered = await api.version(subject, version)
                    if registered is not None:
                        out[registered.id] = (registered.schema_type, registered.schema)
        finally:
            await api.aclose()
        return out
