"""What a JSON Schema allows, as the translator asks it: null, defaults, disjoint branches,
JSON types, the pointers of embedded resources, descriptions; and Python literals."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from contractctl.core.codegen.jsonschema.ops import deref, type_set

# String formats typed as date/time/UUID values rather than strings.
FORMATS = {"date-time": "DateTime", "date": "Date", "time": "Time", "uuid": "Uuid"}
PRIMITIVE = (str, int, float, bool, type(None))


def has_combinator(schema: dict[str, Any]) -> bool:
    return isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list)


def is_fragment(branch: Any) -> bool:
    """A branch that only adds constraints (``required``, bounds) without saying a type."""
    if not isinstance(branch, dict):
        return False
    typing_keys = {
        "type",
        "$ref",
        "properties",
        "enum",
        "const",
        "items",
        "oneOf",
        "anyOf",
        "allOf",
        "additionalProperties",
    }
    return not (set(branch) & typing_keys)


def accepts_null(root: Any, schema: Any) -> bool:
    schema = deref(root, schema)
    if not isinstance(schema, dict):
        return schema is True
    if "const" in schema:
        return schema["const"] is None
    if isinstance(schema.get("enum"), list):
        return None in schema["enum"]
    for word in ("oneOf", "anyOf"):
        if isinstance(schema.get(word), list):
            return any(accepts_null(root, b) for b in schema[word])
    if isinstance(schema.get("allOf"), list):
        return all(accepts_null(root, b) for b in schema["allOf"]) and "null" in type_set(schema)
    return "null" in type_set(schema)


def default_source(root: Any, schema: Any) -> str | None:
    """Python source for a schema default the annotation accepts, else None."""
    schema = deref(root, schema)
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    value = schema["default"]
    if value == [] and "array" in type_set(schema):
        return "Field(default_factory=list)"
    if value == {} and "object" in type_set(schema) and not schema.get("properties"):
        return "Field(default_factory=dict)"
    if value is None or not isinstance(value, PRIMITIVE) or has_combinator(schema):
        return None
    if json_type(value) not in type_set(schema) or schema.get("format") in FORMATS:
        return None
    allowed = schema.get("enum", [value]) if "const" not in schema else [schema["const"]]
    return py_literal(value) if value in allowed and not isinstance(value, float) else None


def disjoint(root: Any, branches: list[Any]) -> bool:
    """Whether no value can match two branches (then oneOf equals anyOf)."""
    seen: set[str] = set()
    for branch in branches:
        b = deref(root, branch)
        if not isinstance(b, dict) or "type" not in b or has_combinator(b) or "allOf" in b:
            return False
        kinds = type_set(b)
        if "number" in kinds:
            kinds |= {"integer"}
        if kinds & seen:
            return False
        seen |= kinds
    return True


def ordered_types(types: set[str]) -> list[str]:
    order = ("object", "array", "string", "integer", "number", "boolean", "null")
    if "number" in types:
        types = types - {"integer"}
    return [t for t in order if t in types]


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def py_literal(value: Any) -> str:
    """Python source for a scalar, with double quotes as ruff format writes them."""
    if isinstance(value, str):
        body = repr(value)
        if body.startswith("'") and '"' not in value:
            body = '"' + body[1:-1].replace("\\'", "'") + '"'
        return body
    return repr(value)


def locate(document: Any, base: str, id_key: str) -> dict[str, str]:
    """Pointers of the embedded resources (by absolute ``$id``) and anchors of a document."""
    found: dict[str, str] = {}
    stack: list[tuple[str, str, Any]] = [("#", base, document)]
    while stack:
        pointer, current, node = stack.pop()
        if isinstance(node, list):
            stack.extend((f"{pointer}/{i}", current, v) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        own = node.get(id_key)
        if isinstance(own, str):
            url, fragment = urldefrag(urljoin(current, own) if current else own)
            if url and pointer != "#":
                current = url
                found.setdefault(url, pointer)
            if fragment and not fragment.startswith("/"):
                found.setdefault(f"{current}#{fragment}", pointer)
        for key in ("$anchor", "$dynamicAnchor"):  # a $dynamicAnchor is also a plain one
            anchor = node.get(key)
            if isinstance(anchor, str):
                found.setdefault(f"{current}#{anchor}", pointer)
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples") and isinstance(
                value, dict | list
            ):
                stack.append((f"{pointer}/{escape(key)}", current, value))
    return found


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def doc_of(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    text = schema.get("description") or schema.get("title")
    if not isinstance(text, str) or not text.strip():
        return None
    return " ".join(text.split())
