"""Does a schema have a field path such as ``lines[].unit_price.amount``? For JSON Schema and
Avro, by walking only the path asked for.

A consumer's ``reads`` are checked against every version in its range, so the lookup must
cost what the path costs, not what the schema costs: no field table is built. JSON Schema
is followed through local ``$ref``s and ``allOf``/``anyOf``/``oneOf``; a ``$ref`` to another
file is opaque and admits any descendant (its shape is not in this document). Avro is
followed through named types and unions.
"""

from __future__ import annotations

from typing import Any

from contractctl.core.schema.avro_refs import defined_types
from contractctl.core.schema.jsonschema_refs import resolve_pointer

_MAX_DEPTH = 64
_OPAQUE = object()  # a node defined in another file
_COMBINATORS = ("allOf", "anyOf", "oneOf")


def _steps(path: str) -> list[tuple[str, bool]]:
    """``lines[].sku`` → [("lines", True), ("sku", False)]: name, then whether items follow."""
    out = []
    for part in path.split("."):
        name = part.removesuffix("[]")
        out.append((name, name != part))
    return out


class _Json:
    def __init__(self, root: Any) -> None:
        self.root = root

    def expand(self, node: Any, depth: int = 0) -> list[Any]:
        """``node`` and the schemas it stands for (refs followed, combinators spread)."""
        if node is _OPAQUE or depth > _MAX_DEPTH or not isinstance(node, dict):
            return [node] if node is _OPAQUE else []
        out: list[Any] = [node]
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref.startswith("#"):
                found, target = resolve_pointer(self.root, ref[1:])
                if found:
                    out.extend(self.expand(target, depth + 1))
            else:
                out.append(_OPAQUE)
        for key in _COMBINATORS:
            subs = node.get(key)
            if isinstance(subs, list):
                for sub in subs:
                    out.extend(self.expand(sub, depth + 1))
        return out

    def child(self, nodes: list[Any], name: str) -> list[Any]:
        out = []
        for node in nodes:
            for n in self.expand(node):
                if n is _OPAQUE:
                    out.append(_OPAQUE)
                    continue
                props = n.get("properties")
                if isinstance(props, dict) and name in props:
                    out.append(props[name])
        return out

    def items(self, nodes: list[Any]) -> list[Any]:
        out = []
        for node in nodes:
            for n in self.expand(node):
                if n is _OPAQUE:
                    out.append(_OPAQUE)
                    continue
                items = n.get("items")
                if isinstance(items, dict):
                    out.append(items)
                elif isinstance(items, list):
                    out.extend(items)
                prefix = n.get("prefixItems")
                if isinstance(prefix, list):
                    out.extend(prefix)
        return out


class _Avro:
    def __init__(self, root: Any, named: dict[str, Any] | None) -> None:
        self.names: dict[str, Any] = dict(named or {})
        for full, node in defined_types(root).items():
            self.names.setdefault(full, node)
            self.names.setdefault(full.rpartition(".")[2], node)

    def expand(self, node: Any, depth: int = 0) -> list[Any]:
        """The concrete types ``node`` may be: names resolved, unions spread."""
        if depth > _MAX_DEPTH:
            return []
        if isinstance(node, str):
            target = self.names.get(node)
            return self.expand(target, depth + 1) if target is not None else []
        if isinstance(node, list):
            return [t for branch in node for t in self.expand(branch, depth + 1)]
        if isinstance(node, dict):
            inner = node.get("type")
            if isinstance(inner, dict | list) or (isinstance(inner, str) and inner in self.names):
                return self.expand(inner, depth + 1)
            return [node]
        return []

    def child(self, nodes: list[Any], name: str) -> list[Any]:
        out = []
        for node in nodes:
            for t in self.expand(node):
                fields = t.get("fields")
                for f in fields if isinstance(fields, list) else ():
                    if isinstance(f, dict) and f.get("name") == name:
                        out.append(f.get("type"))
        return out

    def items(self, nodes: list[Any]) -> list[Any]:
        return [
            t.get("items")
            for node in nodes
            for t in self.expand(node)
            if t.get("type") == "array" and "items" in t
        ]


class SchemaPaths:
    """Answers ``has(path)`` for one schema document, remembering each answer."""

    def __init__(self, schema_format: str, document: Any, named: dict[str, Any] | None = None):
        self._walker: _Json | _Avro = (
            _Avro(document, named) if schema_format == "avro" else _Json(document)
        )
        self._root = document
        self._known: dict[str, bool] = {}

    def has(self, path: str) -> bool:
        known = self._known.get(path)
        if known is None:
            known = self._known[path] = self._walk(path)
        return known

    def _walk(self, path: str) -> bool:
        walker = self._walker
        nodes: list[Any] = [self._root]
        for name, into_items in _steps(path):
            if not name:
                return False
            nodes = walker.child(nodes, name)
            if into_items and nodes:
                nodes = walker.items(nodes)
            if not nodes:
                return False
            if any(n is _OPAQUE for n in nodes):
                return True
        return True
