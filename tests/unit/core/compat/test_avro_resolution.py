"""Avro reader/writer resolution, one table row per rule and quirk (writer = old, reader = new)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.compat.avro import backward_changes, incompatibilities
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import SchemaParseError
from contractctl.core.rules.avro_compat import AVRO_RULES
from contractctl.core.schema.avro_schema import validate_avro
from contractctl.core.vocab.levels import Direction


def rec(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def f(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def enum(name: str, *symbols: str, **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": list(symbols), **extra}


def fixed(name: str, size: int, **extra: Any) -> dict[str, Any]:
    return {"type": "fixed", "name": name, "size": size, **extra}


LINKED = rec("Node", f("value", "int"), f("next", ["null", "Node"], default=None))
LINKED_LONG = rec("Node", f("value", "long"), f("next", ["null", "Node"], default=None))

# (id, writer/old, reader/new, expected [(kind, location)])
CASES: list[tuple[str, Any, Any, list[tuple[str, str]]]] = [
    # names
    ("record-renamed", rec("A"), rec("B"), [("NAME_MISMATCH", "/name")]),
    ("namespace-ignored", rec("A", namespace="x"), rec("A", namespace="y"), []),
    ("dotted-name-vs-namespace", rec("x.A"), rec("A", namespace="y"), []),
    ("alias-full-name", rec("A", namespace="x"), rec("B", aliases=["x.A"]), []),
    (
        "alias-resolved-in-reader-namespace",
        rec("A", namespace="x"),
        rec("B", namespace="x", aliases=["A"]),
        [],
    ),
    (
        "alias-unqualified-misses-other-namespace",
        rec("A", namespace="x"),
        rec("B", namespace="y", aliases=["A"]),
        [("NAME_MISMATCH", "/name")],
    ),
    (
        "writer-alias-does-not-count",
        rec("A", aliases=["B"]),
        rec("B"),
        [("NAME_MISMATCH", "/name")],
    ),
    ("enum-renamed", enum("E", "A"), enum("F", "A"), [("NAME_MISMATCH", "/name")]),
    ("fixed-renamed", fixed("F", 4), fixed("G", 4), [("NAME_MISMATCH", "/name")]),
    # fixed
    ("fixed-size", fixed("F", 4), fixed("F", 8), [("FIXED_SIZE_MISMATCH", "/size")]),
    (
        "fixed-name-and-size",
        fixed("F", 4),
        fixed("G", 8),
        [("NAME_MISMATCH", "/name"), ("FIXED_SIZE_MISMATCH", "/size")],
    ),
    # enums
    ("enum-symbol-added", enum("E", "A"), enum("E", "A", "B"), []),
    (
        "enum-symbol-removed",
        enum("E", "A", "B"),
        enum("E", "A"),
        [("MISSING_ENUM_SYMBOLS", "/symbols")],
    ),
    ("enum-default-absorbs", enum("E", "A", "B"), enum("E", "A", default="A"), []),
    (
        "enum-field-default-does-not-help",
        rec("R", f("e", enum("E", "A", "B"))),
        rec("R", f("e", enum("E", "A"), default="A")),
        [("MISSING_ENUM_SYMBOLS", "/fields/0/type/symbols")],
    ),
    # fields
    ("field-added-with-default", rec("R"), rec("R", f("a", "int", default=0)), []),
    ("field-added-null-default", rec("R"), rec("R", f("a", ["null", "int"], default=None)), []),
    (
        "field-added-without-default",
        rec("R", f("a", "int")),
        rec("R", f("a", "int"), f("currency", "string")),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/1")],
    ),
    ("field-removed", rec("R", f("a", "int"), f("b", "int")), rec("R", f("b", "int")), []),
    (
        "field-reordered",
        rec("R", f("a", "int"), f("b", "string")),
        rec("R", f("b", "string"), f("a", "int")),
        [],
    ),
    (
        "field-renamed-with-alias",
        rec("R", f("a", "int")),
        rec("R", f("b", "long", aliases=["a"])),
        [],
    ),
    (
        "field-renamed-without-alias",
        rec("R", f("a", "int")),
        rec("R", f("b", "int")),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/0")],
    ),
    (
        "missing-enum-field-with-enum-default",  # Java re-checks the enum against the record
        rec("R"),
        rec("R", f("e", enum("E", "A", default="A"))),
        [("TYPE_MISMATCH", "/fields/0/type")],
    ),
    # containers
    (
        "array-items",
        {"type": "array", "items": "long"},
        {"type": "array", "items": "int"},
        [("TYPE_MISMATCH", "/items")],
    ),
    ("map-values", {"type": "map", "values": "int"}, {"type": "map", "values": "long"}, []),
    (
        "map-values-narrowed",
        {"type": "map", "values": "long"},
        {"type": "map", "values": "int"},
        [("TYPE_MISMATCH", "/values")],
    ),
    (
        "array-to-map",
        {"type": "array", "items": "int"},
        {"type": "map", "values": "int"},
        [("TYPE_MISMATCH", "/")],
    ),
    # unions
    ("made-nullable", rec("R", f("a", "int")), rec("R", f("a", ["null", "int"])), []),
    (
        "nullable-made-required",
        rec("R", f("a", ["null", "int"])),
        rec("R", f("a", "int")),
        [("TYPE_MISMATCH", "/fields/0/type/0")],
    ),
    ("branch-added", ["null", "int"], ["null", "int", "string"], []),
    (
        "branch-removed",
        ["null", "int", "string"],
        ["null", "int"],
        [("MISSING_UNION_BRANCH", "/2")],
    ),
    ("branch-promoted", ["null", "int"], ["null", "double"], []),
    ("reader-union-lacks-writer", "string", ["null", "int"], [("MISSING_UNION_BRANCH", "/")]),
    ("singleton-union", ["int"], "int", []),
    ("empty-writer-union", [], "int", []),
    ("empty-reader-union", "int", [], [("MISSING_UNION_BRANCH", "/")]),
    # recursion and many findings
    ("recursive-identical", LINKED, LINKED, []),
    ("recursive-promoted", LINKED, LINKED_LONG, []),
    ("recursive-narrowed", LINKED_LONG, LINKED, [("TYPE_MISMATCH", "/fields/0/type")]),
    (
        "all-findings-reported",
        rec("R", f("a", "long"), f("e", enum("E", "X", "Y")), f("u", ["int", "string"])),
        rec("R", f("a", "int"), f("e", enum("E", "X")), f("u", ["int"]), f("n", "int")),
        [
            ("TYPE_MISMATCH", "/fields/0/type"),
            ("MISSING_ENUM_SYMBOLS", "/fields/1/type/symbols"),
            ("MISSING_UNION_BRANCH", "/fields/2/type/1"),
            ("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/3"),
        ],
    ),
    (
        "memo-reuse-keeps-union-trial-location",
        # (A, B) is first tried as a union branch with a fresh location stack, then reused
        # for f2: Java reports the memoised incompatibility at the trial's location "/name".
        rec("R", f("f1", rec("B", f("x", "int"))), f("f2", "B")),
        rec("R", f("f1", ["null", rec("A", f("x", "int"))]), f("f2", "A")),
        [("MISSING_UNION_BRANCH", "/fields/0/type"), ("NAME_MISMATCH", "/name")],
    ),
    (
        "named-type-reused",
        rec("R", f("a", fixed("F", 4)), f("b", "F")),
        rec("R", f("a", fixed("F", 8)), f("b", "F")),
        # Java memoises the (reader F, writer F) pair: the second use repeats the first location.
        [
            ("FIXED_SIZE_MISMATCH", "/fields/0/type/size"),
            ("FIXED_SIZE_MISMATCH", "/fields/0/type/size"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("writer", "reader", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_resolution(writer: Any, reader: Any, expected: list[tuple[str, str]]) -> None:
    changes = backward_changes(writer, reader)
    assert [(c.rule_id, c.path) for c in changes] == expected
    for change in changes:
        assert change.direction is Direction.BACKWARD
        assert change.breaking
        assert change.message
        assert change.hint


def test_every_kind_has_a_rule() -> None:
    kinds = {kind for case in CASES for kind, _ in case[3]}
    ids = {rule.id for rule in AVRO_RULES}
    assert kinds == ids
    assert all(r.breaks == frozenset({"BACKWARD", "FORWARD"}) for r in AVRO_RULES)


def test_missing_default_message_names_field_and_hint() -> None:
    [change] = backward_changes(rec("R"), rec("R", f("currency", "string")))
    assert change.message == (
        "field `currency` was added without a default: readers on the new schema cannot "
        "read records written without it"
    )
    assert change.hint == "give `currency` a default to keep BACKWARD compatibility"
    assert (change.old, change.new) == (None, "currency")


def test_values_carry_writer_and_reader_sides() -> None:
    [size] = backward_changes(fixed("F", 4), fixed("F", 8))
    assert (size.old, size.new) == (4, 8)
    [name] = backward_changes(rec("A", namespace="x"), rec("B", namespace="y"))
    assert (name.old, name.new) == ("x.A", "y.B")
    [symbols] = backward_changes(enum("E", "A", "B"), enum("E", "A"))
    assert (symbols.old, symbols.new) == (["A", "B"], ["A"])


def test_nested_field_path_in_message() -> None:
    old = rec("R", f("inner", rec("I", f("amount", "long"))))
    new = rec("R", f("inner", rec("I", f("amount", "int"))))
    [change] = backward_changes(old, new)
    assert change.path == "/fields/0/type/fields/0/type"
    assert "`inner.amount`" in change.message


def test_external_named_types() -> None:
    named = {"ns.Money": rec("Money", f("cents", "long"), namespace="ns")}
    old = rec("Order", f("total", "Money"), namespace="ns")
    new = rec("Order", f("total", "ns.Money"), f("note", "string", default=""), namespace="ns")
    assert backward_changes(old, new, named=named) == []
    with pytest.raises(SchemaParseError, match="undefined Avro type name `Money`"):
        backward_changes(old, new)


def test_external_named_types_in_any_order() -> None:
    named = {
        "a.Outer": rec("Outer", f("inner", "a.Inner"), namespace="a"),
        "a.Inner": rec("Inner", f("x", "int"), namespace="a"),
    }
    assert incompatibilities("a.Outer", "a.Outer", named=named) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [('"int"', '"long"'), (b'"int"', b'"long"'), ("int", "long"), (json.dumps(rec("R")), rec("R"))],
)
def test_text_inputs(old: Any, new: Any) -> None:
    assert backward_changes(old, new) == []


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("Nope", "undefined Avro type name `Nope`"),
        ({"type": 3}, "no string `type`"),
        ({"type": "array"}, "has no `items`"),
        ({"type": "fixed", "name": "F"}, "integer `size`"),
        ({"type": "record", "name": "R"}, "no `fields` list"),
        ({"type": "record", "name": "R", "fields": [{"name": "a"}]}, "/fields/0 needs a `type`"),
        (42, "not an Avro schema"),
        ("{not json", "not valid JSON"),
    ],
)
def test_unparseable_schemas_raise_parse_errors(schema: Any, message: str) -> None:
    with pytest.raises(SchemaParseError, match=message):
        backward_changes(schema, "int")


def test_deep_nesting_is_a_clear_error_not_a_recursion_error() -> None:
    deep: Any = "int"
    for _ in range(5000):
        deep = {"type": "array", "items": deep}
    with pytest.raises(SchemaParseError, match="nests deeper"):
        backward_changes(deep, deep)


def test_alias_matching_two_writer_fields_is_an_error() -> None:
    old = rec("R", f("a", "int"), f("b", "int"))
    new = rec("R", f("a", "int", aliases=["b"]))
    with pytest.raises(SchemaParseError, match="matches several fields"):
        backward_changes(old, new)


@pytest.mark.parametrize(
    ("level", "compatible"),
    [("BACKWARD", False), ("FORWARD", True), ("FULL", False), ("NONE", True)],
)
def test_levels_through_the_engine(level: str, compatible: bool) -> None:
    old = rec("R", f("a", "int"))
    new = rec("R", f("a", "int"), f("b", "int"))
    result = check_compatibility(old, new, schema_type="AVRO", level=level)
    assert result.is_compatible is compatible


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(["record", "enum", "fixed", "array", "map", "int", "long", "null", "R", "E"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.fixed_dictionaries(
            {"type": st.sampled_from(["record", "enum", "fixed", "array", "map", "int"])},
            optional={
                "name": st.sampled_from(["R", "E", "F", "x.R"]),
                "fields": st.lists(
                    st.fixed_dictionaries(
                        {"name": st.sampled_from(["a", "b"]), "type": inner},
                        optional={"default": st.none(), "aliases": st.just(["a"])},
                    ),
                    max_size=3,
                ),
                "items": inner,
                "values": inner,
                "symbols": st.lists(st.sampled_from(["A", "B"]), max_size=2),
                "size": st.integers(0, 3),
                "default": st.sampled_from(["A", "B"]),
                "aliases": st.just(["x.R"]),
            },
        )
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(_json, _json)
def test_never_crashes(old: Any, new: Any) -> None:
    try:
        changes = backward_changes(old, new)
    except SchemaParseError:
        return
    assert all(c.rule_id in {r.id for r in AVRO_RULES} for c in changes)
    if not validate_avro(old):  # a valid schema always reads its own data
        assert backward_changes(old, old) == []
