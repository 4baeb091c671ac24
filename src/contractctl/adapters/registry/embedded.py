"""The embedded registry: ``RegistryAPI`` over a ``LocalStore`` kept in the project.

Used when no registry URL is configured, so ``publish`` and ``check --against registry``
work with no server; the store lives in ``.contractctl/registry/`` as plain JSON files.
"""

from __future__ import annotations

from pathlib import Path

from contractctl.adapters.registry.api import RegisteredSchema, SchemaSubmission, ServerVerdict
from contractctl.adapters.registry.store import LocalStore


class EmbeddedRegistry:
    """The project's local registry; same semantics as a Confluent-compatible server."""

    def __init__(self, root: Path, *, store: LocalStore | None = None) -> None:
        self.root = root
        self.store = store or LocalStore(root)
        self.requests = 0

    @property
    def name(self) -> str:
        return f"embedded registry {self.root}"

    async def subjects(self) -> list[str]:
        return self.store.subjects()

    async def schemas(self) -> list[RegisteredSchema] | None:
        """Every version of every subject (``GET /schemas`` of a server)."""
        store = self.store
        return [
            v
            for s in store.subjects()
            for n in store.versions(s)
            if (v := store.version(s, n)) is not None
        ]

    async def versions(self, subject: str) -> list[int]:
        return self.store.versions(subject)

    async def version(self, subject: str, version: int | str) -> RegisteredSchema | None:
        return self.store.version(subject, version)

    async def lookup(self, subject: str, schema: SchemaSubmission) -> RegisteredSchema | None:
        return self.store.lookup(subject, schema)

    async def register(self, subject: str, schema: SchemaSubmission) -> int:
        return self.store.register(subject, schema).id

    async def subject_level(self, subject: str) -> str | None:
        return self.store.subject_level(subject)

    async def global_level(self) -> str:
        return self.store.global_level()

    async def set_level(self, subject: str, level: str) -> None:
        self.store.set_level(subject, level)

    async def test_compatibility(
        self, subject: str, schema: SchemaSubmission, *, all_versions: bool = False
    ) -> ServerVerdict:
        del all_versions  # the store always applies the level's own transitivity
        return self.store.judge(subject, schema)

    async def aclose(self) -> None:
        return None
