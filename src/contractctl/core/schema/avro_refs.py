"""Avro named types defined in other files: their full names, and inlining them for a check.

A schema registry stores such types as separate subjects and passes them as references; the
compatibility engine wants one self-contained schema, so the first use of each referenced
name is replaced by its definition, as Avro allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_KINDS = frozenset({"record", "enum", "fixed", "array", "map"})


def full_name(schema: object) -> str | None:
    """``namespace.name`` of a named Avro schema (record, enum, fixed), else None."""
    if not isinstance(schema, Mapping):
        return None
    name = schema.get("name")
    if not isinstance(name, str) or not name:
        return None
    if "." in name:
        return name
    space = schema.get("namespace")
    return f"{space}.{name}" if isinstance(space, str) and space else name


def defined_types(document: Any, namespace: str = "") -> dict[str, Any]:
    """Every named type (record, enum, fixed) ``document`` defines: full name → definition,
    outermost first, with namespaces inherited as Avro does."""
    found: dict[str, Any] = {}

    def walk(node: Any, space: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, space)
            return
        if not isinstance(node, Mapping):
            return
        kind = node.get("type")
        if kind in ("record", "error", "enum", "fixed") and isinstance(node.get("name"), str):
            own = full_name({"namespace": space, **node})
            if own:
                found.setdefault(own, node)
                space = own.rpartition(".")[0]
        fields = node.get("fields")
        for f in fields if isinstance(fields, list) else []:
            if isinstance(f, Mapping):
                walk(f.get("type"), space)
        for key in ("items", "values"):
            if key in node:
                walk(node[key], space)
        if isinstance(kind, Mapping | list):
            walk(kind, space)

    walk(document, namespace)
    return found


def inline_named(schema: Any, named: Mapping[str, Any]) -> Any:
    """``schema`` with the first use of each name in ``named`` replaced by its definition.

    References inside the inlined definitions are resolved too. Names the schema defines
    itself are left alone; the input is not modified.
    """
    if not named:
        return schema
    defined: set[str] = set()

    def walk(node: Any, space: str | None) -> Any:
        if isinstance(node, str):
            full = node if "." in node or not space else f"{space}.{node}"
            for candidate in (full, node):
                if candidate in named and candidate not in defined:
                    defined.add(candidate)
                    return walk(named[candidate], None)
            return node
        if isinstance(node, list):
            return [walk(branch, space) for branch in node]
        if isinstance(node, Mapping):
            out = dict(node)
            own = full_name(node) if node.get("type") in ("record", "enum", "fixed") else None
            if own:
                defined.add(own)
                space = own.rpartition(".")[0] or None
            if isinstance(node.get("fields"), list):
                out["fields"] = [
                    {**f, "type": walk(f.get("type"), space)} if isinstance(f, Mapping) else f
                    for f in node["fields"]
                ]
            for key in ("items", "values"):
                if key in node:
                    out[key] = walk(node[key], space)
            kind = node.get("type")
            if isinstance(kind, list | Mapping) or (isinstance(kind, str) and kind not in _KINDS):
                out["type"] = walk(kind, space)
            return out
        return node

    return walk(schema, None)
