"""Checking a YAML document against the JSON Schema of its format, with useful messages.

Turns jsonschema's errors into issues a person can act on: the JSON pointer of the node,
what kind of problem it is (unknown / missing / type / value) and, for near-miss keys,
"did you mean".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import Any

from contractctl.core.source.positions import join

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class StructureIssue:
    kind: str  # "unknown" | "missing" | "type" | "value"
    pointer: str
    message: str
    at_key: bool = False  # point at the key rather than the value


@cache
def _validator(schema_id: int) -> Any:
    from jsonschema import Draft202012Validator

    schema = _SCHEMAS[schema_id]
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _fast_validator(schema_id: int) -> Any:
    from contractctl.core.schema.offline import compile_validator

    return compile_validator(_SCHEMAS[schema_id], validate_formats=True)


_SCHEMAS: dict[int, dict[str, Any]] = {}


def _describe_type(expected: object) -> str:
    if isinstance(expected, list):
        return " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in expected)
    return _TYPE_NAMES.get(str(expected), str(expected))


def _got(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value}"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"


def structure_issues(schema: dict[str, Any], document: Any) -> list[StructureIssue]:
    """Every structural problem of ``document``, most specific first, one per node."""
    _SCHEMAS.setdefault(id(schema), schema)
    if _fast_validator(id(schema)).is_valid(document):
        return []
    validator = _validator(id(schema))
    issues: list[StructureIssue] = []
    seen: set[tuple[str, str]] = set()
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        for issue in _translate(error):
            if (issue.pointer, issue.kind) not in seen:
                seen.add((issue.pointer, issue.kind))
                issues.append(issue)
    # A value of the wrong type fails its value checks too: say only what is wrong first.
    mistyped = {i.pointer for i in issues if i.kind == "type"}
    return [i for i in issues if i.kind != "value" or i.pointer not in mistyped]


def _where(pointer: str) -> str:
    """The node a pointer names, as a person reads it: contract, schema, examples[1]."""
    if not pointer:
        return "contract"
    parent, _, last = pointer.rpartition("/")
    if last.isdigit():
        return f"{parent.rsplit('/', 1)[-1]}[{last}]"
    return last


def _pointer(path: Any) -> str:
    pointer = ""
    for token in path:
        pointer = join(pointer, token)
    return pointer


def _translate(error: Any) -> list[StructureIssue]:
    pointer = _pointer(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - set(allowed))
        out = []
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where = _where(pointer)
            out.append(
                StructureIssue(
                    "unknown",
                    join(pointer, key),
                    f"unknown field {key!r} in {where}{hint}",
                    at_key=True,
                )
            )
        return out
    if validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        where = _where(pointer)
        return [
            StructureIssue("missing", pointer, f"missing required field {k!r} in {where}")
            for k in missing
        ]
    field = _where(pointer) if pointer else "document"
    if validator == "type":
        hint = ""
        if field == "version" and isinstance(error.instance, int | float):
            hint = ' (quote it: version: "1.0.0")'
        return [
            StructureIssue(
                "type",
                pointer,
                f"{field!r} must be {_describe_type(error.validator_value)}, "
                f"got {_got(error.instance)}{hint}",
            )
        ]
    if validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        close = difflib.get_close_matches(
            str(error.instance), [str(c) for c in error.validator_value], n=1
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [
            StructureIssue(
                "value",
                pointer,
                f"{field!r} is {_got(error.instance)}, expected one of: {choices}{hint}",
            )
        ]
    if validator == "oneOf" and isinstance(error.instance, dict):
        options = [
            k
            for sub in error.validator_value
            for k in sub.get("required", [])
            if isinstance(sub, dict)
        ]
        present = [k for k in options if k in error.instance]
        if len(present) > 1:
            msg = f"{field!r} must have only one of {' or '.join(options)}, not both"
        else:
            msg = f"{field!r} needs one of {' or '.join(repr(o) for o in options)}"
        return [StructureIssue("missing", pointer, msg)]
    if validator == "pattern":
        hint = ""
        if field == "version":
            hint = " (a semantic version MAJOR.MINOR.PATCH, quoted in YAML)"
        elif field in {"name", "replaced_by"} or "/compensation/" in pointer:
            hint = " (domain.EventName, e.g. orders.OrderPlaced)"
        elif field in {"initial", "max", "timeout"}:
            hint = " (a duration such as 200ms, 5s, 2m)"
        return [StructureIssue("value", pointer, f"{field!r} is {_got(error.instance)}{hint}")]
    if validator == "not":
        return [
            StructureIssue(
                "value",
                pointer,
                f"{field!r} must not contain control characters (newline, tab, ...), "
                f"got {_got(error.instance)}",
            )
        ]
    if validator == "const":
        return [
            StructureIssue(
                "value",
                pointer,
                f"{field!r} must be {error.validator_value!r}, got {error.instance!r}",
            )
        ]
    return [StructureIssue("value", pointer, f"{field!r}: {error.message}")]
