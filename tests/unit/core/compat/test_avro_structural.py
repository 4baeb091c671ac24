"""Structural Avro changes where fields are equal on both sides: an equal field of an unnamed
type is skipped, one that names a type is still followed to that type's definition."""

from __future__ import annotations

from typing import Any

import pytest

from contractctl.core.compat.avro.changes import structural_changes
from contractctl.core.compat.engine import check_compatibility

MONEY_V1 = {"type": "record", "name": "Money", "fields": [{"name": "cents", "type": "long"}]}
MONEY_V2 = {
    "type": "record",
    "name": "Money",
    "fields": [
        {"name": "cents", "type": "long"},
        {"name": "currency", "type": "string", "default": "EUR"},
    ],
}


def _record(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "record", "name": "Order", "namespace": "shop", "fields": list(fields)}


CASES = [
    pytest.param(
        _record({"name": "id", "type": "string"}, {"name": "n", "type": ["null", "long"]}),
        _record({"name": "id", "type": "string"}, {"name": "n", "type": ["null", "long"]}),
        [],
        id="equal-unnamed-fields",
    ),
    pytest.param(
        _record({"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}),
        _record({"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}}),
        [("AVRO_LOGICAL_TYPE_CHANGED", "/fields/0/type")],
        id="logical-type-changed",
    ),
    pytest.param(
        _record({"name": "a", "type": MONEY_V1}, {"name": "b", "type": "Money"}),
        _record({"name": "a", "type": MONEY_V2}, {"name": "b", "type": "Money"}),
        [("AVRO_FIELD_ADDED_WITH_DEFAULT", "/fields/0/type/fields/1")],
        id="named-type-changed-where-defined",
    ),
    pytest.param(
        _record({"name": "a", "type": MONEY_V1}, {"name": "b", "type": ["null", "Money"]}),
        _record({"name": "a", "type": MONEY_V2}, {"name": "b", "type": ["null", "Money"]}),
        [("AVRO_FIELD_ADDED_WITH_DEFAULT", "/fields/0/type/fields/1")],
        id="equal-nullable-field-naming-the-changed-type",
    ),
    pytest.param(
        _record({"name": "a", "type": MONEY_V1}, {"name": "b", "type": "Money"}),
        _record({"name": "c", "type": MONEY_V2}, {"name": "b", "type": "Money"}),
        [
            ("AVRO_FIELD_ADDED_WITHOUT_DEFAULT", "/fields/0"),
            ("AVRO_FIELD_ADDED_WITH_DEFAULT", "/fields/1/type/fields/1"),
            ("AVRO_FIELD_REMOVED_WITHOUT_DEFAULT", "/fields"),
        ],
        id="equal-field-the-only-way-to-the-changed-type",
    ),
    pytest.param(
        _record({"name": "xs", "type": {"type": "array", "items": "int"}}),
        _record({"name": "xs", "type": {"type": "array", "items": "long"}}),
        [("AVRO_TYPE_PROMOTED", "/fields/0/type/items")],
        id="array-items-promoted",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_structural_changes(old: Any, new: Any, expected: list[tuple[str, str]]) -> None:
    steps = structural_changes(old, new)
    assert [(s.kind, s.path) for s in steps] == expected


def test_changes_are_told_once_when_first_read() -> None:
    old = _record({"name": "id", "type": "string"})
    new = _record({"name": "id", "type": "string"}, {"name": "x", "type": "int"})
    result = check_compatibility(old, new, schema_type="AVRO", level="BACKWARD")
    assert result.tellers  # nothing told yet: the verdict did not need it
    assert not result.is_compatible
    first = result.changes
    assert [c.path for c in first] == ["/fields/1"]
    assert result.changes is first
    assert not result.tellers
