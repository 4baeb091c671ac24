"""Does a payload schema have a given (dotted) field? For JSON Schema and Avro alike."""

from __future__ import annotations

from typing import Any

from contractctl.core.schema.avro_refs import defined_types
from contractctl.core.schema.jsonschema_refs import resolve_pointer


def json_has_field(schema: Any, path: str, root: Any | None = None) -> bool:
    """True when ``path`` (``order.id``) names a declared property, via $ref and combinators."""
    top = schema if root is None else root
    parts = path.split(".")
    frontier = [schema]
    for part in parts:
        following: list[Any] = []
        for node in frontier:
            following.extend(_json_children(node, part, top, 0))
        if not following:
            return False
        frontier = following
    return True


def _json_children(node: Any, name: str, root: Any, depth: int) -> list[Any]:
    if depth > 50 or not isinstance(node, dict):
        return []
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        found, target = resolve_pointer(root, ref[1:])
        if found:
            return _json_children(target, name, root, depth + 1)
    out = []
    props = node.get("properties")
    if isinstance(props, dict) and name in props:
        out.append(props[name])
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []) if isinstance(node.get(key), list) else []:
            out.extend(_json_children(sub, name, root, depth + 1))
    return out


def avro_has_field(schema: Any, path: str, named: dict[str, Any] | None = None) -> bool:
    """True when ``path`` names a record field, through named types and nullable unions."""
    names: dict[str, Any] = dict(named or {})
    for full, node in defined_types(schema).items():
        names.setdefault(full, node)
        names.setdefault(full.rpartition(".")[2], node)
    frontier = [schema]
    for part in path.split("."):
        following = []
        for node in frontier:
            following.extend(_avro_children(node, part, names, 0))
        if not following:
            return False
        frontier = following
    return True


def _avro_children(node: Any, name: str, names: dict[str, Any], depth: int) -> list[Any]:
    if depth > 50:
        return []
    if isinstance(node, str):
        target = names.get(node) or next(
            (v for k, v in names.items() if k.rpartition(".")[2] == node), None
        )
        return _avro_children(target, name, names, depth + 1) if target is not None else []
    if isinstance(node, list):
        return [c for branch in node for c in _avro_children(branch, name, names, depth + 1)]
    if isinstance(node, dict):
        if isinstance(node.get("type"), dict | list | str) and node.get("type") not in (
            "record",
            "error",
        ):
            inner = node.get("type")
            if isinstance(inner, dict | list) or (isinstance(inner, str) and inner in names):
                return _avro_children(inner, name, names, depth + 1)
        for f in node.get("fields", []) if isinstance(node.get("fields"), list) else []:
            if isinstance(f, dict) and f.get("name") == name:
                return [f.get("type")]
    return []
