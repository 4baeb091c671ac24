"""The intermediate model of a generated module: classes, fields, aliases, and gaps.

Translators (JSON Schema, Avro) produce this; templates render it. Nothing here knows
about either schema language or about Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractctl.core.codegen.pyexpr import Expr


@dataclass(frozen=True, slots=True)
class Gap:
    """Something pydantic cannot express, enforced by the fallback validator instead."""

    pointer: str
    keyword: str
    reason: str

    def line(self) -> str:
        return f"{self.pointer or '#'}: {self.keyword}: {self.reason}"


@dataclass(slots=True)
class FieldSpec:
    name: str  # the Python attribute
    key: str  # the payload key (an alias when it differs from ``name``)
    annotation: Expr
    required: bool
    default: str | None = None  # Python source of the default, None when required
    reject_null: bool = False  # optional but not nullable: an explicit null is invalid
    description: str | None = None
    discriminator: str | None = None

    @property
    def aliased(self) -> bool:
        return self.name != self.key


@dataclass(slots=True)
class ClassSpec:
    name: str
    fields: list[FieldSpec] = field(default_factory=list)
    extra: str = "allow"  # allow | forbid
    extra_type: Expr | None = None  # typed ``additionalProperties``
    description: str | None = None
    pointer: str = ""

    @property
    def null_rejecting(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.reject_null]


@dataclass(slots=True)
class AliasSpec:
    name: str
    annotation: Expr
    description: str | None = None


@dataclass(slots=True)
class ModuleSpec:
    """One generated module: one event version."""

    path: tuple[str, ...]  # package parts + module name, e.g. ("orders", "order_placed_v1_0_0")
    event: str
    version: str
    channel: str | None
    fingerprint: str
    schema_format: str  # jsonschema | avro
    root: str  # the event model's class name (a shared module: the file's root type)
    is_event: bool = True  # False for a shared schema file's module
    summary: str | None = None
    source: str | None = None  # the contract file, relative, for the header comment
    aliases: list[AliasSpec] = field(default_factory=list)
    classes: list[ClassSpec] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    fallback_schema: Any = None  # the original JSON Schema when a gap needs it enforced
    avro_schema: Any = None
    # Shared types (from another schema file) this module imports: (module path, name, as).
    shared: set[tuple[tuple[str, ...], str, str]] = field(default_factory=set)
    avro_named: list[Any] = field(default_factory=list)  # referenced Avro named types
    package: str | None = None  # the package's import name (absolute imports), else relative

    @property
    def shared_imports(self) -> list[tuple[str, str, str]]:
        """(dotted module, name, local name), sorted, for the template."""
        return sorted((self.import_from(p), n, a) for p, n, a in self.shared)

    @property
    def runtime_from(self) -> str:
        """The module ``_runtime`` is imported from (``from X import _runtime as _rt``)."""
        return self.import_from(())

    def import_from(self, path: tuple[str, ...]) -> str:
        """``path`` (below the package root) as this module imports it."""
        if self.package is not None:
            return ".".join((self.package, *path))
        return "." * (self.depth + 1) + ".".join(path)

    @property
    def module_name(self) -> str:
        return self.path[-1]

    @property
    def depth(self) -> int:
        """How many packages deep the module sits below the output root."""
        return len(self.path) - 1
