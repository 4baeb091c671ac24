"""When is a contract's schema "already registered"? One identity rule for every baseline.

Registries return schemas normalised in their own way (Karapace sorts keys; Confluent prints
Avro through ``Schema.toString()``, which expands names and folds ``{"type": "string"}``),
and Avro named types may arrive inline or as references. Raw text therefore never decides.
Both sides are compared in their self-contained form (references inlined) and canonicalised:
JSON keys sorted; for Avro, every named type carries its full name and no ``namespace``,
every type reference is a full name, and a primitive written as ``{"type": P}`` is ``P``.
Everything else (docs, defaults, aliases, logical types, order) is kept, because changing
it makes a new schema version in a registry too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAMED = frozenset({"record", "error", "enum", "fixed"})


def _full(name: str, space: str | None) -> str:
    if "." in name or not space:
        return name
    return f"{space}.{name}"


def _avro(node: Any, space: str | None) -> Any:
    if isinstance(node, str):
        return node if node in _PRIMITIVES else _full(node, space)
    if isinstance(node, list):
        return [_avro(branch, space) for branch in node]
    if not isinstance(node, Mapping):
        return node
    kind = node.get("type")
    if isinstance(kind, str) and kind in _PRIMITIVES and set(node) == {"type"}:
        return kind
    out = {k: v for k, v in node.items() if k != "namespace"}
    if kind in _NAMED and isinstance(node.get("name"), str):
        own_space = node.get("namespace") if isinstance(node.get("namespace"), str) else space
        full = _full(node["name"], own_space or None)
        out["name"] = full
        space = full.rpartition(".")[0] or None
    if isinstance(node.get("fields"), list):
        out["fields"] = [
            {**f, "type": _avro(f.get("type"), space)} if isinstance(f, Mapping) else f
            for f in node["fields"]
        ]
    for key in ("items", "values"):
        if key in node:
            out[key] = _avro(node[key], space)
    if isinstance(kind, list | Mapping):
        out["type"] = _avro(kind, space)
    return out


def canonical_form(document: Any, schema_type: str) -> str:
    """The text two registries would agree on for ``document`` (self-contained)."""
    normal = _avro(document, None) if schema_type.upper() == "AVRO" else document
    return json.dumps(normal, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(document: Any, schema_type: str) -> str:
    """A short stable digest of :func:`canonical_form`, with the schema type."""
    text = f"{schema_type.upper()}\n{canonical_form(document, schema_type)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def position(versions: Sequence[str], candidate: str) -> int | None:
    """Where ``candidate``'s fingerprint stands among a subject's versions (oldest first).

    The first match wins: a registry keeps one version per distinct schema, so a later equal
    fingerprint can only come from a schema that was deleted and registered again.
    """
    for index, known in enumerate(versions):
        if known == candidate:
            return index
    return None
