"""Field-level consumer impact: which payload field a schema change is at, and which
consumers read it.

A consumer declares ``reads`` as field paths (``order_id``, ``lines[].sku``); a change is
located by walking its pointer (``#/properties/lines/items/properties/sku`` for JSON
Schema, ``/fields/5/type/items`` for Avro) through the schema. A read is hit when it is the
changed field, an ancestor of it, or a descendant of it. Where a pointer cannot be placed
on a field (a shared definition, an unknown shape) the change reaches every consumer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contractctl.core.contract.model import Consumer
from contractctl.core.review.paths import SchemaPaths
from contractctl.core.schema.avro_refs import defined_types

_COMBINATORS = frozenset({"allOf", "anyOf", "oneOf"})
_ARRAY_ITEMS = frozenset({"items", "additionalItems", "prefixItems"})


def segments(path: str) -> tuple[str, ...]:
    """``lines[].sku`` → ("lines[]", "sku"); the root is ()."""
    return tuple(part for part in path.split(".") if part)


def _related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One path is the other, its ancestor or its descendant ("lines" and "lines[]" too)."""
    n = min(len(a), len(b))
    left = [s.removesuffix("[]") if i == n - 1 else s for i, s in enumerate(a[:n])]
    right = [s.removesuffix("[]") if i == n - 1 else s for i, s in enumerate(b[:n])]
    return left == right


def reads_field(reads: Iterable[str], fields: Iterable[str]) -> bool:
    wanted = [segments(f) for f in fields]
    return any(_related(segments(r), w) for r in reads for w in wanted)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a change at ``fields`` reaches among the consumers it was judged to break."""

    fields: tuple[str, ...] | None  # None: the change could not be placed on a field
    readers: tuple[str, ...]  # services that read it (or declare no reads at all)
    declared: bool  # every consumer considered declared its reads

    @property
    def unread(self) -> bool:
        """Nobody reads it, and that is known rather than assumed."""
        return self.fields is not None and self.declared and not self.readers


def attribute(consumers: Sequence[Consumer], fields: tuple[str, ...] | None) -> Attribution:
    """Narrow ``consumers`` (already in the version range) to those reading ``fields``."""
    readers = [
        c.service
        for c in consumers
        if c.reads is None or fields is None or reads_field(c.reads, fields)
    ]
    declared = bool(consumers) and all(c.reads is not None for c in consumers)
    return Attribution(fields, tuple(dict.fromkeys(readers)), declared)


# -- locating a change ------------------------------------------------------------------------


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def json_field(pointer: str) -> str | None:
    """The field a JSON Schema change pointer is at, or None when it is not at one."""
    tokens = [_unescape(t) for t in pointer.removeprefix("#").split("/") if t != ""]
    path: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in ("properties", "required") and nxt is not None:
            path.append(nxt)
            if token == "required":
                break
            i += 2
        elif token in _ARRAY_ITEMS:
            if path:
                path[-1] = path[-1].removesuffix("[]") + "[]"
            else:
                path.append("[]")
            i += 2 if nxt is not None and nxt.isdigit() else 1
        elif token in _COMBINATORS:
            i += 2
        elif token in ("not", "then", "else", "if"):
            i += 1
        elif token in ("definitions", "$defs"):
            return None  # a shared definition: whoever refers to it is affected
        else:
            break  # a keyword of the node itself (type, enum, additionalProperties, …)
    return ".".join(path)


def avro_field(pointer: str, schema: Any, named: dict[str, Any] | None = None) -> str | None:
    """The field an Avro change pointer (``/fields/1/type/fields/0``) is at in ``schema``."""
    names: dict[str, Any] = dict(named or {})
    for full, defined in defined_types(schema).items():
        names.setdefault(full, defined)
        names.setdefault(full.rpartition(".")[2], defined)
    node: Any = schema
    path: list[str] = []
    tokens = [_unescape(t) for t in pointer.split("/") if t != ""]
    i = 0
    while i < len(tokens):
        if isinstance(node, str) and node in names:
            node = names[node]
        token = tokens[i]
        if token == "fields" and i + 1 < len(tokens) and isinstance(node, dict):
            fields = node.get("fields")
            index = tokens[i + 1]
            if not isinstance(fields, list) or not index.isdigit() or int(index) >= len(fields):
                return None
            node = fields[int(index)]
            if not isinstance(node, dict) or not isinstance(node.get("name"), str):
                return None
            path.append(node["name"])
            i += 2
        elif token == "type" and isinstance(node, dict):
            node = node.get("type")
            i += 1
        elif token.isdigit() and isinstance(node, list):
            if int(token) >= len(node):
                return None
            node = node[int(token)]
            i += 1
        elif token == "items" and isinstance(node, dict):
            if path:
                path[-1] = path[-1].removesuffix("[]") + "[]"
            node = node.get("items")
            i += 1
        else:
            break  # values of a map, symbols, size, …: the change is at the node reached
    return ".".join(path)


def change_fields(
    schema_type: str, pointer: str, schemas: Sequence[Any], named: dict[str, Any] | None = None
) -> tuple[str, ...] | None:
    """The fields a change is at. An Avro pointer is placed in each of ``schemas`` (the
    candidate and the version compared), since the engine reports it in either."""
    if schema_type != "AVRO":
        found = json_field(pointer)
        return None if found is None else (found,)
    placed = {f for s in schemas if (f := avro_field(pointer, s, named)) is not None}
    return tuple(sorted(placed)) if placed else None


# -- validating declared reads ----------------------------------------------------------------


def known_fields(
    schema_format: str, document: Any, named: dict[str, Any] | None = None
) -> SchemaPaths:
    """The field paths ``document`` declares, looked up one path at a time."""
    return SchemaPaths(schema_format, document, named)
