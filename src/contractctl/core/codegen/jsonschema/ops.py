"""JSON Schema helpers for codegen: local ``$ref`` resolution, ``allOf`` merging, type sets."""

from __future__ import annotations

from typing import Any

from contractctl.core.schema.jsonschema_refs import resolve_pointer as follow_pointer

JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
OBJECT_KEYWORDS = ("properties", "additionalProperties", "required", "patternProperties")
_MIN_KEYS = ("minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties")
_MAX_KEYS = ("maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties")
_ANNOTATIONS = ("title", "description", "examples", "$comment", "$id", "$schema", "default")


def resolve_pointer(root: Any, ref: str) -> tuple[str, Any] | None:
    """The (pointer, subschema) a local ``$ref`` names, or None when it is not local."""
    if not ref.startswith("#"):
        return None
    found, node = follow_pointer(root, ref[1:])
    return ("#" + ref[1:], node) if found else None


def type_set(schema: Any) -> set[str]:
    """The JSON types a schema's ``type`` keyword allows (all of them when absent)."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    if declared is None:
        return set(JSON_TYPES)
    names = {declared} if isinstance(declared, str) else set(declared)
    if "number" in names:
        names.add("integer")
    return names & set(JSON_TYPES)


def deref(root: Any, schema: Any, depth: int = 0) -> Any:
    """``schema`` with a leading chain of local ``$ref``s followed (siblings dropped)."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and depth < 50:
        target = resolve_pointer(root, schema["$ref"])
        if target is None:
            return schema
        schema = target[1]
        depth += 1
    return schema


def merge_all_of(root: Any, schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``allOf`` flattened into one schema, and the reasons the merge is looser, if any."""
    problems: list[str] = []
    return _flatten(root, schema, problems, 0), problems


def _flatten(root: Any, schema: Any, problems: list[str], depth: int) -> dict[str, Any]:
    if schema is True or schema == {}:
        return {}
    if not isinstance(schema, dict) or depth > 20:
        problems.append("a part cannot be merged")
        return {}
    base = {k: v for k, v in schema.items() if k not in ("allOf", "$ref")}
    if isinstance(schema.get("$ref"), str):
        target = resolve_pointer(root, schema["$ref"])
        if target is None:
            problems.append(f"unresolvable $ref {schema['$ref']!r}")
        else:
            base = _combine(base, _flatten(root, target[1], problems, depth + 1), problems)
    for part in schema.get("allOf", []):
        base = _combine(base, _flatten(root, part, problems, depth + 1), problems)
    return base


def _combine(a: dict[str, Any], b: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    out = dict(a)
    _merge_into(out, b, problems)
    return out


def _merge_into(out: dict[str, Any], part: dict[str, Any], problems: list[str]) -> None:
    closed = [p for p in (out, part) if p.get("additionalProperties") is False]
    for key, value in part.items():
        if key not in out:
            out[key] = value
        elif key == "properties":
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = (
                    sub
                    if name not in props or props[name] == sub
                    else {"allOf": [props[name], sub]}
                )
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "type":
            both = type_set(out) & type_set(part)
            out[key] = sorted(both) if len(both) != 1 else next(iter(both))
        elif key == "enum":
            out[key] = [v for v in out[key] if v in value]
        elif key in _MIN_KEYS and _numbers(out[key], value):
            out[key] = max(out[key], value)
        elif key in _MAX_KEYS and _numbers(out[key], value):
            out[key] = min(out[key], value)
        elif key in _ANNOTATIONS or out[key] == value:
            continue
        else:
            problems.append(f"conflicting {key!r} in allOf parts")
    if closed:
        names = set(out.get("properties", {}))
        for p in closed:
            if not names <= set(p.get("properties", {})):
                problems.append("additionalProperties: false in one allOf part")
                out.pop("additionalProperties", None)
                break


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
