"""fastavro's validation errors told as a sentence about the example's field, not the library's.

fastavro reports ``ValidationErrorData(datum, schema, field)`` whose ``str`` reads like
``ns.R.a is None expected int``; users need which example field is wrong and why.
"""

from __future__ import annotations

import json
from typing import Any

_JSON_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "an object",
}


def expected(schema: Any) -> str:
    """An Avro schema in words: ``int``, ``record `ns.In```, ``one of null, long``."""
    if isinstance(schema, list):
        return "one of " + ", ".join(expected(branch) for branch in schema)
    if isinstance(schema, dict):
        kind = schema.get("type")
        name = schema.get("name")
        if kind in ("record", "enum", "fixed") and isinstance(name, str):
            return f"{kind} `{name}`"
        if kind == "array":
            return f"an array of {expected(schema.get('items'))}"
        if kind == "map":
            return f"a map of {expected(schema.get('values'))}"
        return expected(kind)
    return str(schema)


def describe(error: Any) -> str:
    """A fastavro ``ValidationErrorData`` as: field `a` is "x" (a string); the schema needs int."""
    field = getattr(error, "field", None)
    datum = getattr(error, "datum", None)
    schema = getattr(error, "schema", None)
    # fastavro names a field by its record's full name plus the field: ns.Record.field.
    name = str(field).rsplit(".", 1)[-1] if field else None
    where = f"field `{name}`" if name else "the value"
    if datum is None:
        found = "missing or null"
    else:
        shown = json.dumps(datum, default=str)
        found = f"{shown[:60]} ({_JSON_NAMES.get(type(datum), type(datum).__name__)})"
    return f"{where} is {found}; the schema needs {expected(schema)}"


def describe_all(errors: Any) -> list[str]:
    """Every error as a sentence; fastavro's one error per union branch becomes one sentence."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for error in errors:
        key = (
            str(getattr(error, "field", "")),
            json.dumps(getattr(error, "datum", None), default=str),
        )
        groups.setdefault(key, []).append(error)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            first = _Branches(first, [getattr(e, "schema", None) for e in group])
        out.append(describe(first))
    return out


class _Branches:
    """One error standing for all the union branches the datum fitted none of."""

    def __init__(self, error: Any, schemas: list[Any]) -> None:
        self.field = getattr(error, "field", None)
        self.datum = getattr(error, "datum", None)
        self.schema = schemas
