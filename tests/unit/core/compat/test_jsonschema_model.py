"""The everit-like model: references, drafts, quirks Confluent inherits, and failure modes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.jsonschema import MAX_DEPTH, backward_changes
from contractctl.core.errors import SchemaParseError
from contractctl.core.vocab.levels import Direction

S2020 = "https://json-schema.org/draft/2020-12/schema"
S2019 = "https://json-schema.org/draft/2019-09/schema"
WIKIMEDIA = "https://json-schema.org/draft-07/schema#"


def changes(old: Any, new: Any, policy: str = "STRICT") -> Counter[str]:
    return Counter(f"{c.rule_id} {c.path}" for c in backward_changes(old, new, policy))


def with_defs(keyword: str, target: Any, ref: str | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"a": {"$ref": ref or f"#/{keyword}/t"}},
        keyword: {"t": target},
    }


# (id, old, new, expected changes) — how references and drafts shape the model.
MODEL_CASES: list[tuple[str, Any, Any, list[str]]] = [
    (
        "ref-definitions",
        with_defs("definitions", {"type": "string"}),
        with_defs("definitions", {"type": "number"}),
        ["TYPE_CHANGED #/properties/a"],
    ),
    (
        "ref-defs",
        {"$schema": S2020, **with_defs("$defs", {"type": "string"})},
        {"$schema": S2020, **with_defs("$defs", {"type": "number"})},
        ["TYPE_CHANGED #/properties/a"],
    ),
    (
        "ref-escaped-pointer",
        with_defs("definitions", {"type": "string"}, "#/definitions/t"),
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/a~1b%25"}},
            "definitions": {"a/b%": {"type": "string", "maxLength": 2}},
        },
        ["MAX_LENGTH_ADDED #/properties/a/maxLength"],
    ),
    (
        "ref-to-embedded-id",
        {
            "properties": {"a": {"$ref": "item.json"}},
            "definitions": {"i": {"$id": "item.json", "type": "string"}},
        },
        {
            "properties": {"a": {"$ref": "item.json"}},
            "definitions": {"i": {"$id": "item.json", "type": "number"}},
        },
        ["TYPE_CHANGED #/properties/a"],
    ),
    (
        "ref-relative-to-embedded-id",
        {
            "$id": "http://x/root.json",
            "properties": {"a": {"$ref": "other.json#/definitions/v"}},
            "definitions": {
                "o": {"$id": "other.json", "definitions": {"v": {"type": "string"}}},
            },
        },
        {
            "$id": "http://x/root.json",
            "properties": {"a": {"$ref": "other.json#/definitions/v"}},
            "definitions": {
                "o": {"$id": "other.json", "definitions": {"v": {"type": "integer"}}},
            },
        },
        ["TYPE_CHANGED #/properties/a"],
    ),
    (
        "ref-anchor-2020",
        {
            "$schema": S2020,
            "properties": {"a": {"$ref": "#s"}},
            "$defs": {"s": {"$anchor": "s", "type": "string"}},
        },
        {
            "$schema": S2020,
            "properties": {"a": {"$ref": "#s"}},
            "$defs": {"s": {"$anchor": "s", "enum": ["x"]}},
        },
        ["TYPE_CHANGED #/properties/a"],
    ),
    (
        "ref-cycle-detects-deep-change",
        {
            "$ref": "#/definitions/node",
            "definitions": {
                "node": {
                    "type": "object",
                    "properties": {"next": {"$ref": "#/definitions/node"}, "v": {"type": "string"}},
                }
            },
        },
        {
            "$ref": "#/definitions/node",
            "definitions": {
                "node": {
                    "type": "object",
                    "properties": {"next": {"$ref": "#/definitions/node"}, "v": {"type": "number"}},
                }
            },
        },
        # The fix-point re-run seeds the incompatible cycle, so the change is also reported
        # once through the recursive `next` path, as Confluent's SchemaDiff does.
        ["TYPE_CHANGED #/properties/v", "TYPE_CHANGED #/properties/next/properties/v"],
    ),
    (
        "ref-siblings-ignored-draft7",
        {"$ref": "#/definitions/s", "maxLength": 3, "definitions": {"s": {"type": "string"}}},
        {"$ref": "#/definitions/s", "definitions": {"s": {"type": "string"}}},
        [],
    ),
    (
        "ref-siblings-allof-2019",
        {"$schema": S2019, "$ref": "#/$defs/s", "$defs": {"s": {"type": "string"}}},
        {"$schema": S2019, "$ref": "#/$defs/s", "maxLength": 3, "$defs": {"s": {"type": "string"}}},
        ["TYPE_CHANGED #/"],
    ),
    (
        "type-array-is-anyof",
        {"type": ["string", "null"]},
        {"type": ["string"]},
        ["SUM_TYPE_NARROWED #/"],
    ),
    (
        "enum-and-type-are-synthetic-allof",
        {"type": "string", "enum": ["a"]},
        {"type": "string", "enum": ["a", "b"]},
        ["ENUM_ARRAY_EXTENDED #/allOf/0/enum"],
    ),
    (
        "format-on-integer-sniffs-a-string-schema",  # an everit quirk Confluent inherits
        {"type": "integer"},
        {"type": "integer", "format": "int64"},
        ["TYPE_CHANGED #/"],
    ),
    ("true-to-anything-is-compatible", {"type": "string"}, True, []),
    ("false-reads-as-anything", False, {"type": "string"}, []),
    ("empty-vs-properties-is-type-change", {}, {"properties": {}}, ["TYPE_CHANGED #/"]),
    (
        "draft4-id-and-boolean-exclusive",
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "id": "a",
            "type": "number",
            "maximum": 3,
            "exclusiveMaximum": True,
        },
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "id": "b",
            "type": "number",
            "maximum": 3,
        },
        ["ID_CHANGED #/"],
    ),
    (
        "wikimedia-draft07-uri",
        {
            "$schema": WIKIMEDIA,
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "required": ["a"],
        },
        {"$schema": WIKIMEDIA, "type": "object", "properties": {"a": {"type": "string"}}},
        ["REQUIRED_ATTRIBUTE_REMOVED #/required/a"],
    ),
    (
        "2020-id-not-reported",
        {"$schema": S2020, "$id": "a"},
        {"$schema": S2020, "$id": "b"},
        [],
    ),
    (
        "2020-boolean-items-is-additional-items",
        {"$schema": S2020, "items": True},
        {"$schema": S2020, "items": False},
        ["ADDITIONAL_ITEMS_REMOVED #/additionalItems"],
    ),
    (
        "connect-bytes-pair-is-compatible",
        {"type": "string", "connect.type": "bytes"},
        {"type": "object", "connect.type": "bytes"},
        [],
    ),
    (
        "combined-members-match-regardless-of-order",
        {"oneOf": [{"type": "null"}, {"type": "string", "maxLength": 3}]},
        {"oneOf": [{"type": "string", "maxLength": 5}, {"type": "null"}]},
        ["MAX_LENGTH_INCREASED #/oneOf/1/maxLength"],
    ),
]


@pytest.mark.parametrize(
    ("case_id", "old", "new", "expected"), MODEL_CASES, ids=[c[0] for c in MODEL_CASES]
)
def test_model_case(case_id: str, old: Any, new: Any, expected: list[str]) -> None:
    assert changes(old, new) == Counter(expected), case_id


def test_lenient_relaxes_only_object_content_models() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    added = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "number"}}}
    strict = check_compatibility(old, added, schema_type="JSON", policy="STRICT")
    lenient = check_compatibility(old, added, schema_type="JSON", policy="LENIENT")
    assert not strict.is_compatible
    assert lenient.is_compatible
    tuple_old = {"type": "array", "items": [{"type": "string"}]}
    tuple_new = {"type": "array", "items": [{"type": "string"}, {"type": "number"}]}
    assert not check_compatibility(
        tuple_old, tuple_new, schema_type="JSON", policy="LENIENT"
    ).is_compatible


def test_forward_swaps_roles() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    result = check_compatibility(old, new, schema_type="JSON", level="FORWARD")
    assert result.is_compatible
    # Told as it happened (a property became required), with Confluent's FORWARD name as data.
    (change,) = result.changes
    assert (change.rule_id, change.forward_rule_id) == (
        "REQUIRED_ATTRIBUTE_ADDED",
        "REQUIRED_ATTRIBUTE_REMOVED",
    )
    assert [c.rule_id for c in result.readings[Direction.FORWARD]] == ["REQUIRED_ATTRIBUTE_REMOVED"]
    assert not change.breaks


def test_change_carries_values_message_and_hint() -> None:
    old = {"type": "object", "properties": {"currency": {"type": "string"}}}
    new = {**old, "required": ["currency"]}
    (change,) = backward_changes(old, new, "STRICT")
    assert change.rule_id == "REQUIRED_ATTRIBUTE_ADDED"
    assert change.path == "#/required/currency"
    assert change.breaking
    assert "currency" in change.message
    assert change.hint is not None
    assert "`currency`" in change.hint
    (bound,) = backward_changes(
        {"type": "string", "maxLength": 9}, {"type": "string", "maxLength": 4}
    )
    assert (bound.old, bound.new) == (9, 4)
    assert "9" in bound.message
    assert "4" in bound.message


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"$ref": "#/definitions/missing"}, "#/definitions/missing"),
        ({"properties": {"a": {"$ref": "http://example.com/other.json"}}}, "other.json"),
        ({"$schema": S2020, "$ref": "#nowhere"}, "#nowhere"),
        ({"$ref": 3}, "$ref must be a string"),
    ],
    ids=["pointer", "external", "anchor", "not-a-string"],
)
def test_unresolvable_ref_is_a_parse_error(schema: Any, fragment: str) -> None:
    with pytest.raises(SchemaParseError, match="ref") as info:
        backward_changes({"type": "string"}, schema, "STRICT")
    assert fragment in str(info.value)


def test_unresolvable_ref_in_unchanged_part_still_fails() -> None:
    schema = {"properties": {"a": {"$ref": "#/definitions/gone"}}}
    with pytest.raises(SchemaParseError, match="gone"):
        backward_changes(schema, schema, "STRICT")


def test_ref_loop_is_a_parse_error() -> None:
    loop = {"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/a"}}}
    with pytest.raises(SchemaParseError, match="loop"):
        backward_changes({"type": "string"}, loop, "STRICT")


def _deep(levels: int, leaf: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": leaf}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


@pytest.mark.parametrize("levels", [MAX_DEPTH + 5, 10_000])
def test_deep_nesting_is_a_parse_error(levels: int) -> None:
    with pytest.raises(SchemaParseError, match="nested too deeply"):
        backward_changes(_deep(levels, "string"), _deep(levels, "number"), "STRICT")


def test_nesting_within_limit_works() -> None:
    found = backward_changes(_deep(200, "string"), _deep(200, "number"), "STRICT")
    assert [c.rule_id for c in found] == ["TYPE_CHANGED"]
    assert found[0].path == "#/" + "/".join(["properties/a"] * 200)


@pytest.mark.parametrize(
    "bad",
    [{"type": "strin"}, {"allOf": {"type": "string"}}, {"properties": {"a": 3}}],
    ids=["unknown-type", "allof-not-array", "subschema-not-object"],
)
def test_malformed_schema_is_a_parse_error(bad: Any) -> None:
    with pytest.raises(SchemaParseError):
        backward_changes({"type": "number"}, bad, "STRICT")


def test_core_stays_pure() -> None:
    code = (
        "import sys, contractctl.core.compat.jsonschema, contractctl.core.rules.json_compat;"
        "bad = {m for m in ('typer', 'rich', 'httpx', 'jinja2') if m in sys.modules};"
        "print(sorted(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
