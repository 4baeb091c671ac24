"""validate_avro: invalid Avro is reported with a JSON pointer; hostile input never crashes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.errors import SchemaParseError
from contractctl.core.schema.avro_schema import AvroIssue, load_avro_text, validate_avro


def rec(name: Any, *fields: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


VALID: list[tuple[str, Any]] = [
    ("primitive", "int"),
    ("union", ["null", "string", {"type": "array", "items": "int"}]),
    ("recursive", rec("Node", {"name": "next", "type": ["null", "Node"], "default": None})),
    (
        "namespaced-reference",
        rec(
            "Outer",
            {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
            {"name": "f", "type": "x.E"},
            namespace="x",
        ),
    ),
    (
        "defaults",
        rec(
            "D",
            {"name": "i", "type": "int", "default": 1},
            {"name": "l", "type": "long", "default": 2**40},
            {"name": "d", "type": "double", "default": 1},
            {"name": "u", "type": ["null", "int"], "default": None},
            {"name": "a", "type": {"type": "array", "items": "int"}, "default": [1, 2]},
            {"name": "m", "type": {"type": "map", "values": "string"}, "default": {"k": "v"}},
            {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}, "default": "A"},
            {"name": "r", "type": rec("In", {"name": "x", "type": "int"}), "default": {"x": 1}},
        ),
    ),
    ("logical-type", {"type": "int", "logicalType": "date"}),
    ("enum-default", {"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "B"}),
]

INVALID: list[tuple[str, Any, str, str]] = [
    ("no-type", {"name": "x"}, "missing", "/"),
    ("unknown-type", {"type": "strin"}, "unknown-type", "/type"),
    ("undefined-name", rec("R", {"name": "a", "type": "Later"}), "unknown-type", "/fields/0/type"),
    ("record-without-name", {"type": "record", "fields": []}, "missing", "/name"),
    ("bad-record-name", rec("1abc"), "bad-name", "/name"),
    ("bad-namespace", rec("R", namespace="a..b"), "bad-name", "/namespace"),
    ("primitive-name", rec("string"), "bad-name", "/name"),
    ("no-fields", {"type": "record", "name": "R"}, "missing", "/fields"),
    ("field-without-type", rec("R", {"name": "a"}), "missing", "/fields/0"),
    ("bad-field-name", rec("R", {"name": "a-b", "type": "int"}), "bad-name", "/fields/0/name"),
    (
        "duplicate-field",
        rec("R", {"name": "a", "type": "int"}, {"name": "a", "type": "int"}),
        "duplicate-name",
        "/fields/1/name",
    ),
    (
        "redefined-type",
        rec("R", {"name": "a", "type": rec("R")}),
        "duplicate-name",
        "/fields/0/type/name",
    ),
    ("enum-without-symbols", {"type": "enum", "name": "E"}, "missing", "/symbols"),
    (
        "duplicate-symbol",
        {"type": "enum", "name": "E", "symbols": ["A", "A"]},
        "duplicate-name",
        "/symbols/1",
    ),
    ("bad-symbol", {"type": "enum", "name": "E", "symbols": ["1"]}, "bad-name", "/symbols/0"),
    (
        "enum-default-not-symbol",
        {"type": "enum", "name": "E", "symbols": ["A"], "default": "Z"},
        "bad-default",
        "/default",
    ),
    ("fixed-without-size", {"type": "fixed", "name": "F"}, "missing", "/size"),
    ("fixed-negative-size", {"type": "fixed", "name": "F", "size": -1}, "bad-value", "/size"),
    ("array-without-items", {"type": "array"}, "missing", "/"),
    ("map-without-values", {"type": "map"}, "missing", "/"),
    ("nested-union", ["null", ["int"]], "bad-union", "/1"),
    ("duplicate-union-branch", ["int", "string", "int"], "bad-union", "/2"),
    (
        "duplicate-named-branch",
        [rec("R"), "R"],
        "bad-union",
        "/1",
    ),
    ("not-a-schema", 42, "bad-value", "/"),
    (
        "union-default-not-first-branch",
        rec("R", {"name": "u", "type": ["null", "int"], "default": 1}),
        "bad-default",
        "/fields/0/default",
    ),
    (
        "int-default-out-of-range",
        rec("R", {"name": "i", "type": "int", "default": 2**31}),
        "bad-default",
        "/fields/0/default",
    ),
    (
        "boolean-is-not-int",
        rec("R", {"name": "i", "type": "int", "default": True}),
        "bad-default",
        "/fields/0/default",
    ),
    (
        "record-default-missing-field",
        rec("R", {"name": "r", "type": rec("In", {"name": "x", "type": "int"}), "default": {}}),
        "bad-default",
        "/fields/0/default",
    ),
    (
        "array-default-bad-item",
        rec("R", {"name": "a", "type": {"type": "array", "items": "int"}, "default": ["x"]}),
        "bad-default",
        "/fields/0/default",
    ),
    ("bad-aliases", rec("R", aliases="A"), "bad-value", "/aliases"),
]


@pytest.mark.parametrize("schema", [c[1] for c in VALID], ids=[c[0] for c in VALID])
def test_valid(schema: Any) -> None:
    assert validate_avro(schema) == []


@pytest.mark.parametrize(
    ("schema", "code", "pointer"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid(schema: Any, code: str, pointer: str) -> None:
    issues = validate_avro(schema)
    assert (code, pointer) in [(i.code, i.pointer) for i in issues], issues
    assert all(i.message for i in issues)


def test_external_named_types_count_as_defined() -> None:
    money = rec("Money", {"name": "cents", "type": "long"}, namespace="ns")
    order = rec("Order", {"name": "total", "type": "Money"}, namespace="ns")
    assert validate_avro(order, named={"ns.Money": money}) == []
    assert [i.code for i in validate_avro(order)] == ["unknown-type"]


def test_deep_nesting_is_one_issue() -> None:
    deep: Any = "int"
    for _ in range(10_000):
        deep = {"type": "array", "items": deep}
    issues = validate_avro(deep)
    assert [i.code for i in issues] == ["too-deep"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["record", "enum", "fixed", "array", "map", "int", "null", "R"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "name",
                    "fields",
                    "items",
                    "values",
                    "symbols",
                    "size",
                    "default",
                    "namespace",
                    "aliases",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_never_crashes(schema: Any) -> None:
    issues = validate_avro(schema)
    assert all(isinstance(i, AvroIssue) for i in issues)


def test_load_avro_text_allows_comments() -> None:
    text = '// leading comment\n// another\n{"type": /* inline */ "string", "doc": "a // b"}\n'
    assert load_avro_text(text) == {"type": "string", "doc": "a // b"}


def test_load_avro_text_reports_bad_json_with_line() -> None:
    with pytest.raises(SchemaParseError) as info:
        load_avro_text('// c\n{"type": }')
    assert info.value.line == 2
