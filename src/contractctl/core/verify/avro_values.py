"""Avro payloads of real events: JSON-carried values checked against the schema, binary decoded.

A JSON-carried Avro value is checked by jsonschema-rs against the JSON Schema the Avro schema
means (``as_json_schema``): 2-3 µs an event where fastavro's ``validate`` takes 17 µs, which
is what keeps verify within reach of the parse floor. Findings must say *where* a payload
breaks its schema without printing it, so invalid events then take the slow path here, a walk
yielding JSON pointers, with the same acceptance rules as the fast one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

_INT_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)


def compile_avro(document: Any, named: Mapping[str, Any]) -> Any:
    """fastavro's parsed schema, with the referenced named types defined first."""
    from fastavro import parse_schema

    known: dict[str, Any] = {}
    for ref in named.values():
        parse_schema(ref, named_schemas=known)
    return parse_schema(document, named_schemas=known)


def as_json_schema(document: Any, named: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema accepting exactly the JSON values ``avro_errors`` accepts."""
    names = dict(named)
    _collect(document, names, "")
    defs: dict[str, Any] = {}

    def conv(schema: Any) -> Any:
        if isinstance(schema, str) and schema in names:
            target = names[schema]
            full = _full_name(target, schema)
            if full not in defs:
                defs[full] = {}
                defs[full] = conv(target)
            return {"$ref": f"#/$defs/{_escape(full)}"}
        if isinstance(schema, list):
            return {"anyOf": [conv(b) for b in schema]}
        if isinstance(schema, dict):
            t = schema.get("type")
            if isinstance(t, list | dict) or (isinstance(t, str) and t in names):
                return conv(t)
            if t in ("record", "error"):
                fields = [f for f in schema.get("fields", ()) if isinstance(f, dict)]
                return {
                    "type": "object",
                    "properties": {f["name"]: conv(f.get("type")) for f in fields},
                    "required": [f["name"] for f in fields if "default" not in f],
                    "additionalProperties": False,
                }
            if t == "enum":
                return {"enum": list(schema.get("symbols", ()))}
            if t == "array":
                return {"type": "array", "items": conv(schema.get("items"))}
            if t == "map":
                return {"type": "object", "additionalProperties": conv(schema.get("values"))}
            if t == "fixed":
                size = schema.get("size")
                return {"type": "string", "minLength": size, "maxLength": size}
            schema = t
        return _PRIMITIVE_SCHEMAS.get(str(schema), False)

    root = conv(document)
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if isinstance(root, dict):
        out.update(root)
    else:
        out["not"] = {}
    if defs:
        out["$defs"] = {_escape(k): v for k, v in defs.items()}
    return out


_PRIMITIVE_SCHEMAS: dict[str, Any] = {
    "null": {"type": "null"},
    "boolean": {"type": "boolean"},
    "int": {"type": "integer", "minimum": _INT_RANGE[0], "maximum": _INT_RANGE[1]},
    "long": {"type": "integer", "minimum": _LONG_RANGE[0], "maximum": _LONG_RANGE[1]},
    "float": {"type": "number"},
    "double": {"type": "number"},
    "string": {"type": "string"},
    "bytes": {"type": "string"},
}


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _full_name(schema: Any, fallback: str) -> str:
    if isinstance(schema, dict) and isinstance(schema.get("name"), str):
        name = schema["name"]
        ns = schema.get("namespace")
        return name if "." in name or not ns else f"{ns}.{name}"
    return fallback


def decode_binary(data: bytes, parsed: Any) -> Any:
    """The value Avro binary ``data`` encodes; ValueError unless it is exactly one value."""
    from fastavro import schemaless_reader

    buf = io.BytesIO(data)
    try:
        value = schemaless_reader(buf, parsed, None)
    except Exception as exc:  # fastavro raises whatever the bytes trip over (EOF, index, …)
        raise ValueError(f"not Avro binary of this schema ({type(exc).__name__})") from None
    if buf.tell() != len(data):
        raise ValueError(f"{len(data) - buf.tell()} bytes left after the Avro value")
    return value


def _pointer(path: tuple[str | int, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def avro_errors(value: Any, document: Any, named: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(pointer, problem) for each place ``value`` breaks the Avro schema; values never shown."""
    names = dict(named)
    _collect(document, names, "")
    yield from _check(value, document, names, "", ())


def _collect(schema: Any, names: dict[str, Any], namespace: str) -> None:
    if isinstance(schema, list):
        for s in schema:
            _collect(s, names, namespace)
        return
    if not isinstance(schema, dict):
        return
    t = schema.get("type")
    if t in ("record", "error", "enum", "fixed") and isinstance(schema.get("name"), str):
        ns = schema.get("namespace", namespace)
        full = schema["name"] if "." in schema["name"] or not ns else f"{ns}.{schema['name']}"
        names[full] = schema
        names.setdefault(schema["name"], schema)
        namespace = ns
    for f in schema.get("fields", ()) if t in ("record", "error") else ():
        if isinstance(f, dict):
            _collect(f.get("type"), names, namespace)
    for key in ("items", "values"):
        if key in schema:
            _collect(schema[key], names, namespace)
    if isinstance(t, dict | list):
        _collect(t, names, namespace)


def _type_name(schema: Any) -> str:
    if isinstance(schema, dict):
        t = schema.get("type")
        return t if isinstance(t, str) else _type_name(t)
    if isinstance(schema, list):
        return "union"
    return str(schema)


def _matches(value: Any, schema: Any, names: dict[str, Any]) -> bool:
    return next(_check(value, schema, names, "", ()), None) is None


def _check(
    value: Any, schema: Any, names: dict[str, Any], namespace: str, path: tuple[str | int, ...]
) -> Iterator[tuple[str, str]]:
    if isinstance(schema, str) and schema in names:
        schema = names[schema]
    if isinstance(schema, list):
        if not any(_matches(value, branch, names) for branch in schema):
            kinds = ", ".join(_type_name(b) for b in schema)
            yield _pointer(path), f"matches no branch of the union [{kinds}]"
        return
    if isinstance(schema, dict):
        t = schema.get("type")
        if isinstance(t, list | dict) or (isinstance(t, str) and t in names):
            yield from _check(value, t, names, namespace, path)
            return
        if t in ("record", "error"):
            if not isinstance(value, dict):
                yield _pointer(path), "expected a record (JSON object)"
                return
            declared = set()
            for f in schema.get("fields", ()):
                name = f.get("name")
                declared.add(name)
                if name not in value:
                    if "default" not in f:
                        yield _pointer(path), f"required field {name!r} is missing"
                    continue
                yield from _check(value[name], f.get("type"), names, namespace, (*path, name))
            for extra in sorted(set(value) - declared):
                yield _pointer((*path, extra)), "field not in the schema"
            return
        if t == "enum":
            if value not in schema.get("symbols", ()):
                yield _pointer(path), f"not a symbol of enum {schema.get('name')}"
            return
        if t == "array":
            if not isinstance(value, list):
                yield _pointer(path), "expected an array"
                return
            for i, item in enumerate(value):
                yield from _check(item, schema.get("items"), names, namespace, (*path, i))
            return
        if t == "map":
            if not isinstance(value, dict):
                yield _pointer(path), "expected a map (JSON object)"
                return
            for k, item in value.items():
                yield from _check(item, schema.get("values"), names, namespace, (*path, k))
            return
        if t == "fixed":
            if not isinstance(value, bytes | str) or len(value) != schema.get("size"):
                yield _pointer(path), f"expected {schema.get('size')} bytes (fixed)"
            return
        schema = t
    yield from _primitive(value, schema, path)


def _primitive(value: Any, t: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str, str]]:
    ok: bool
    if t == "null":
        ok = value is None
    elif t == "boolean":
        ok = isinstance(value, bool)
    elif t in ("int", "long"):
        lo, hi = _INT_RANGE if t == "int" else _LONG_RANGE
        ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
    elif t in ("float", "double"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif t == "string":
        ok = isinstance(value, str)
    elif t == "bytes":
        ok = isinstance(value, bytes | str)
    else:
        yield _pointer(path), f"unknown Avro type {t!r}"
        return
    if not ok:
        yield _pointer(path), f"expected Avro {t}"
