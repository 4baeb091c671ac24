"""The contract model: one event version, as declared in one YAML file (format version 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.schema.jsonschema_refs import EMPTY_STORE, RefStore
from contractctl.core.source.positions import Positions

SCHEMA_FORMATS = ("jsonschema", "avro")
DELIVERY_GUARANTEES = ("at-most-once", "at-least-once", "exactly-once")
ORDERING = ("none", "per-key", "total")
BACKOFFS = ("exponential", "fixed")

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)


@dataclass(frozen=True, order=True, slots=True)
class SemVer:
    major: int
    minor: int
    patch: int
    # Pre-releases sort before their release: "" sorts last via the flag.
    is_release: bool = True
    prerelease: str = ""

    @classmethod
    def parse(cls, text: str) -> SemVer:
        m = _SEMVER.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
        pre = m.group(4) or ""
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)), not pre, pre)

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{self.prerelease}" if self.prerelease else base


@dataclass(frozen=True, slots=True)
class SchemaReference:
    """An Avro file defining named types the schema uses (registered first, by name)."""

    file: Path
    document: Any
    names: tuple[str, ...] = ()  # full names of the named types it defines


@dataclass(frozen=True, slots=True)
class SchemaSpec:
    """The payload schema: its format, where it came from, and the parsed document."""

    format: str
    document: Any
    file: Path | None = None  # the .json/.avsc file, None when inline
    subject: str | None = None  # explicit registry subject, overrides the naming strategy
    references: tuple[SchemaReference, ...] = ()
    text: str | None = field(default=None, repr=False, compare=False)  # the file as read
    # The files its $refs reached, read by the loader inside the project roots: the only
    # documents any later resolver or validator may serve.
    refs: RefStore = field(default=EMPTY_STORE, repr=False, compare=False)

    @property
    def named_types(self) -> dict[str, Any]:
        """Avro named types from ``references``: full name → definition."""
        return {name: ref.document for ref in self.references for name in ref.names}

    @property
    def schema_type(self) -> str:
        return "AVRO" if self.format == "avro" else "JSON"


@dataclass(frozen=True, slots=True)
class Consumer:
    service: str
    purpose: str | None = None
    versions: str | None = None  # a version range such as ">=1.0.0 <2.0.0"
    reads: tuple[str, ...] | None = None  # field paths (lines[].sku); None: reads everything


@dataclass(frozen=True, slots=True)
class Retries:
    max_attempts: int
    backoff: str = "exponential"
    initial: str | None = None
    max: str | None = None
    jitter: bool = False


@dataclass(frozen=True, slots=True)
class ErrorPolicy:
    retries: Retries | None = None
    dead_letter: str | None = None
    timeout: str | None = None
    compensation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Delivery:
    guarantee: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Correlation:
    correlation_id: str
    causation_id: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    payload: Any
    file: Path | None = None
    description: str | None = None
    pointer: str = ""  # where the example sits in the contract document


@dataclass(frozen=True, slots=True)
class Deprecation:
    since: str | None = None
    sunset: str | None = None
    replaced_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Ignore:
    """A lint rule switched off for one contract, with the reason a reviewer accepted."""

    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class AcceptedBreak:
    """A reviewed breaking change that the compatibility gate lets pass (and reports)."""

    rule: str
    path: str
    reason: str
    version: str | None = None  # the contract version it applies to; None = any
    expires: str | None = None  # an ISO date after which the entry stops excusing the break
    approved_by: str | None = None


@dataclass(slots=True)
class Contract:
    """One version of one event, with where every field came from."""

    name: str
    version: str
    schema: SchemaSpec
    path: Path
    owner: str | None = None
    summary: str | None = None
    description: str | None = None
    channel: str | None = None
    key: str | None = None
    ordering: str | None = None
    delivery: Delivery | None = None
    correlation: Correlation | None = None
    producer: str | None = None
    consumers: tuple[Consumer, ...] = ()
    error_policy: ErrorPolicy | None = None
    compatibility: str | None = None  # None: take the config's default
    examples: tuple[Example, ...] = ()
    deprecated: Deprecation | None = None
    tags: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()
    accepted_breaks: tuple[AcceptedBreak, ...] = ()
    positions: Positions = field(default_factory=Positions)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def domain(self) -> str:
        """``orders`` for ``orders.OrderPlaced``; the part before the last dot."""
        return self.name.rpartition(".")[0] or "default"

    @property
    def event(self) -> str:
        """``OrderPlaced`` for ``orders.OrderPlaced``."""
        return self.name.rpartition(".")[2]

    @property
    def semver(self) -> SemVer:
        return SemVer.parse(self.version)

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def line_of(self, pointer: str) -> int | None:
        return self.positions.line(pointer)
