"""Payload schemas flattened into readable field rows, for JSON Schema and Avro alike.

A row is one field: its dotted path (``lines[].unit_price.amount``), type, whether it is
required, its constraints, description and examples. Local ``$ref``s (bundle external ones
first) and named Avro types (also those given in ``named``) are followed once per path, so
a recursive schema ends in a row marked ``(recursive)`` whose ``link`` names the row where
that type's fields are listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from contractctl.core.schema.jsonschema_refs import resolve_pointer as follow_pointer

MAX_DEPTH = 12

_JSON_CONSTRAINTS = (
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("pattern", "pattern"),
    ("format", "format"),
    ("minimum", "≥"),
    ("exclusiveMinimum", ">"),
    ("maximum", "≤"),
    ("exclusiveMaximum", "<"),
    ("multipleOf", "multiple of"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("uniqueItems", "unique items"),
    ("minProperties", "min properties"),
    ("maxProperties", "max properties"),
    ("const", "const"),
    ("default", "default"),
)


@dataclass(frozen=True, slots=True)
class FieldRow:
    name: str
    depth: int
    type: str
    required: bool
    constraints: tuple[str, ...] = ()
    description: str | None = None
    deprecated: bool = False
    examples: tuple[str, ...] = ()
    link: str | None = None  # recursive rows: the path of the row that lists the fields


def field_rows(
    schema_format: str, document: Any, named: dict[str, Any] | None = None
) -> list[FieldRow]:
    """Rows for a parsed schema; unknown shapes yield no rows rather than failing."""
    if schema_format == "avro":
        return list(_avro_rows(document, named or {}))
    if isinstance(document, dict):
        return list(_JsonWalker(document).rows(document, "", 0, frozenset()))
    return []


def _ref_of(schema: Any) -> str | None:
    """The ``$ref`` a field points at, directly or through its array items."""
    for node in (schema, schema.get("items") if isinstance(schema, dict) else None):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return str(node["$ref"])
    return None


def _examples(schema: dict[str, Any]) -> tuple[str, ...]:
    values = schema.get("examples")
    if not isinstance(values, list):
        values = [schema["example"]] if "example" in schema else []
    return tuple(_show(v) for v in values[:3])


def _show(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- JSON Schema ----------------------------------------------------------------------------


class _JsonWalker:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.first: dict[str, str] = {}  # ref -> the path of the row listing its fields

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        found, node = follow_pointer(self.root, ref[1:])
        return node if found else None

    def deref(self, schema: Any, seen: frozenset[str]) -> tuple[Any, frozenset[str], str | None]:
        """Follow ``$ref`` chains; the last ref name is kept for the type column."""
        name = None
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return None, seen, ref.rsplit("/", 1)[-1]
            target = self.resolve(ref)
            if target is None:  # an external reference: shown, not followed
                return {}, seen, f"$ref {ref}"
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            seen = seen | {ref}
            name = ref.rsplit("/", 1)[-1]
            schema = {**target, **siblings} if isinstance(target, dict) else target
        return schema, seen, name

    def type_of(self, schema: Any, seen: frozenset[str]) -> str:
        schema, seen, ref_name = self.deref(schema, seen)
        if schema is None:
            return f"{ref_name} (recursive)"
        if schema == {} and ref_name and ref_name.startswith("$ref "):
            return ref_name
        if schema is True or schema == {}:
            return "any"
        if schema is False:
            return "never"
        if not isinstance(schema, dict):
            return "any"
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return " | ".join(self.type_of(s, seen) for s in schema[key])
        t = schema.get("type")
        if isinstance(t, list):
            text = " | ".join(str(x) for x in t)
        elif isinstance(t, str):
            text = t
        elif "enum" in schema:
            text = "enum"
        elif "const" in schema:
            text = "const"
        elif "properties" in schema:
            text = "object"
        else:
            text = "any"
        if text == "array" and "items" in schema and isinstance(schema["items"], dict | bool):
            text = f"array<{self.type_of(schema['items'], seen)}>"
        if ref_name and text == "object":
            text = f"object ({ref_name})"
        return text

    def constraints(self, schema: dict[str, Any]) -> tuple[str, ...]:
        out = [f"{label} {_show(schema[key])}" for key, label in _JSON_CONSTRAINTS if key in schema]
        if isinstance(schema.get("enum"), list):
            out.append("one of " + ", ".join(_show(v) for v in schema["enum"]))
        if schema.get("additionalProperties") is False:
            out.append("no other properties")
        return tuple(out)

    def rows(
        self, schema: Any, prefix: str, depth: int, seen: frozenset[str]
    ) -> Iterator[FieldRow]:
        schema, seen, _ = self.deref(schema, seen)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return
        required = set(
            schema.get("required", []) if isinstance(schema.get("required"), list) else []
        )
        parts = [schema] + [s for s in schema.get("allOf", []) if isinstance(s, dict)]
        for extra in parts[1:]:
            resolved, _, _ = self.deref(extra, seen)
            if isinstance(resolved, dict) and isinstance(resolved.get("required"), list):
                required.update(resolved["required"])
        for extra in parts:
            part, pseen, _ = self.deref(extra, seen)
            if not isinstance(part, dict) or not isinstance(part.get("properties"), dict):
                continue
            for name, sub in part["properties"].items():
                yield from self.field(f"{prefix}{name}", sub, name in required, depth, pseen)
        items = schema.get("items")
        if not prefix and isinstance(items, dict):
            yield from self.rows(items, "[].", depth + 1, seen)

    def field(
        self, path: str, sub: Any, required: bool, depth: int, seen: frozenset[str]
    ) -> Iterator[FieldRow]:
        target, tseen, _ = self.deref(sub, seen)
        typ = self.type_of(sub, seen)
        for followed in sorted(tseen - seen):
            self.first.setdefault(followed, path)
        if isinstance(target, dict):
            desc = target.get("description") or target.get("title")
            items, iseen, _ = self.deref(target.get("items"), tseen)
            for followed in sorted(iseen - tseen):
                self.first.setdefault(followed, path)
            ref = _ref_of(sub)
            yield FieldRow(
                path,
                depth,
                typ,
                required,
                self.constraints(target),
                str(desc) if desc is not None else None,
                bool(target.get("deprecated", False)),
                _examples(target),
                self.first.get(ref) if ref and "(recursive)" in typ else None,
            )
            yield from self.rows(target, f"{path}.", depth + 1, tseen)
            if isinstance(items, dict):
                yield from self.rows(items, f"{path}[].", depth + 1, iseen)
        else:
            back = _ref_of(sub)
            yield FieldRow(path, depth, typ, required, link=self.first.get(back) if back else None)


# -- Avro -----------------------------------------------------------------------------------

_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


class _AvroWalker:
    def __init__(self) -> None:
        self.named: dict[str, Any] = {}
        self.first: dict[str, str] = {}  # record name -> the path of the row listing it

    def register(self, schema: Any, namespace: str) -> None:
        if isinstance(schema, list):
            for s in schema:
                self.register(s, namespace)
        elif isinstance(schema, dict):
            t = schema.get("type")
            if t in ("record", "error", "enum", "fixed") and isinstance(schema.get("name"), str):
                ns = schema.get("namespace", namespace) or ""
                name = schema["name"]
                full = name if "." in name or not ns else f"{ns}.{name}"
                self.named[full] = schema
                self.named.setdefault(name.rsplit(".", 1)[-1], schema)
                inner_ns = full.rpartition(".")[0]
                for f in schema.get("fields", []) if isinstance(schema.get("fields"), list) else []:
                    if isinstance(f, dict):
                        self.register(f.get("type"), inner_ns)
            elif t in ("array", "map"):
                self.register(schema.get("items") or schema.get("values"), namespace)

    def lookup(self, schema: Any) -> Any:
        if isinstance(schema, str) and schema not in _PRIMITIVES:
            return self.named.get(schema, schema)
        return schema

    def type_of(self, schema: Any) -> str:
        if isinstance(schema, str):
            return schema
        if isinstance(schema, list):
            return " | ".join(self.type_of(s) for s in schema)
        if isinstance(schema, dict):
            t = schema.get("type")
            if schema.get("logicalType"):
                return f"{t} ({schema['logicalType']})"
            if t in ("record", "error", "enum", "fixed"):
                return f"{t} {schema.get('name', '')}".strip()
            if t == "array":
                return f"array<{self.type_of(schema.get('items'))}>"
            if t == "map":
                return f"map<string, {self.type_of(schema.get('values'))}>"
            return self.type_of(t)
        return "any"

    def constraints(self, field: dict[str, Any], ftype: Any) -> tuple[str, ...]:
        out: list[str] = []
        if "default" in field:
            out.append(f"default {_show(field['default'])}")
        target = self.lookup(ftype)
        if isinstance(target, dict):
            if target.get("type") == "enum" and isinstance(target.get("symbols"), list):
                out.append("one of " + ", ".join(str(s) for s in target["symbols"]))
            if target.get("type") == "fixed" and "size" in target:
                out.append(f"size {target['size']}")
            for key in ("precision", "scale"):
                if key in target:
                    out.append(f"{key} {target[key]}")
        if isinstance(field.get("aliases"), list):
            out.append("aliases " + ", ".join(str(a) for a in field["aliases"]))
        return tuple(out)

    def rows(
        self, record: Any, prefix: str, depth: int, seen: frozenset[str]
    ) -> Iterator[FieldRow]:
        record = self.lookup(record)
        if not isinstance(record, dict) or depth > MAX_DEPTH:
            return
        if record.get("type") in ("array", "map"):
            inner = record.get("items") if record["type"] == "array" else record.get("values")
            yield from self.rows(
                inner, prefix + ("[]." if record["type"] == "array" else "{}."), depth, seen
            )
            return
        if record.get("type") not in ("record", "error"):
            return
        name = str(record.get("name", ""))
        if name in seen:
            return
        seen = seen | {name}
        self.first.setdefault(name, prefix.removesuffix("."))
        for f in record.get("fields", []):
            if not isinstance(f, dict) or "name" not in f:
                continue
            ftype = f.get("type")
            nullable = isinstance(ftype, list) and "null" in ftype
            path = f"{prefix}{f['name']}"
            typ = self.type_of(ftype)
            branches = ftype if isinstance(ftype, list) else [ftype]
            again = [
                str(t["name"])
                for b in branches
                if isinstance(t := self.lookup(b), dict) and t.get("name") in seen
            ]
            yield FieldRow(
                path,
                depth,
                typ + (" (recursive)" if again else ""),
                not nullable,
                self.constraints(f, ftype),
                f.get("doc"),
                "deprecated" in f,
                link=self.first.get(again[0]) if again else None,
            )
            for b in branches:
                yield from self.rows(b, f"{path}.", depth + 1, seen)


def _avro_rows(document: Any, named: dict[str, Any]) -> Iterator[FieldRow]:
    walker = _AvroWalker()
    for full, schema in sorted(named.items()):
        walker.register(schema, full.rpartition(".")[0])
    walker.register(document, "")
    roots = document if isinstance(document, list) else [document]
    # A union at the top level documents its last branch, the conventional "main" record.
    root = roots[-1] if roots else None
    yield from walker.rows(root, "", 0, frozenset())
