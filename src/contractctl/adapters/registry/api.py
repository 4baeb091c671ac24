"""What every registry (HTTP client or embedded) offers: the ``RegistryAPI`` protocol.

Values are plain data: a ``SchemaSubmission`` goes in, ``RegisteredSchema`` and
``ServerVerdict`` come out. Absent objects are ``None``/``[]``, never exceptions, because
"this subject is new" is the common case, not a failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Reference:
    """A schema reference: the named type ``name`` is version ``version`` of ``subject``."""

    name: str
    subject: str
    version: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "subject": self.subject, "version": self.version}


@dataclass(frozen=True, slots=True)
class SchemaSubmission:
    """A schema to register, look up or test: its text, type and references."""

    schema: str
    schema_type: str = "AVRO"
    references: tuple[Reference, ...] = ()

    @classmethod
    def of(
        cls, document: Any, schema_type: str, references: tuple[Reference, ...] = ()
    ) -> SchemaSubmission:
        return cls(json.dumps(document, separators=(",", ":")), schema_type, references)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schema": self.schema}
        # Omitted schemaType means AVRO; omitting it keeps pre-5.5 servers happy.
        if self.schema_type != "AVRO":
            body["schemaType"] = self.schema_type
        if self.references:
            body["references"] = [r.to_json() for r in self.references]
        return body

    def canonical(self) -> str:
        return canonical(self.schema)


@dataclass(frozen=True, slots=True)
class RegisteredSchema:
    """One version of a subject as the registry stores it."""

    subject: str
    version: int
    id: int
    schema: str
    schema_type: str = "AVRO"
    references: tuple[Reference, ...] = ()

    def parsed(self) -> Any:
        try:
            return json.loads(self.schema)
        except ValueError:
            return self.schema  # an Avro primitive written bare, e.g. string

    def same_schema(self, submission: SchemaSubmission) -> bool:
        return (
            self.schema_type == submission.schema_type
            and canonical(self.schema) == submission.canonical()
            and set(self.references) == set(submission.references)
        )


@dataclass(frozen=True, slots=True)
class ServerVerdict:
    """The registry's own compatibility answer; ``messages`` may be empty (Apicurio)."""

    compatible: bool
    messages: tuple[str, ...] = ()
    new_subject: bool = False


def canonical(schema: str) -> str:
    """Key-sorted compact JSON text, so formatting and key order do not make a new version."""
    try:
        return json.dumps(json.loads(schema), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return schema.strip()


class RegistryAPI(Protocol):
    """A Confluent-compatible schema registry, remote or embedded."""

    @property
    def name(self) -> str:
        """Secret-free description, e.g. ``https://sr.example.com`` or the embedded path."""
        ...

    async def subjects(self) -> list[str]: ...

    async def versions(self, subject: str) -> list[int]:
        """Registered version numbers, ascending; [] when the subject does not exist."""
        ...

    async def version(self, subject: str, version: int | str) -> RegisteredSchema | None:
        """One version (a number or ``latest``); None when the subject or version is absent."""
        ...

    async def lookup(self, subject: str, schema: SchemaSubmission) -> RegisteredSchema | None:
        """The version of ``subject`` holding ``schema``; None when it is not registered."""
        ...

    async def register(self, subject: str, schema: SchemaSubmission) -> int:
        """Register (idempotently) and return the global schema id."""
        ...

    async def subject_level(self, subject: str) -> str | None: ...

    async def global_level(self) -> str: ...

    async def set_level(self, subject: str, level: str) -> None: ...

    async def test_compatibility(
        self, subject: str, schema: SchemaSubmission, *, all_versions: bool = False
    ) -> ServerVerdict: ...

    async def aclose(self) -> None: ...
