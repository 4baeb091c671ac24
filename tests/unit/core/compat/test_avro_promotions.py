"""Every primitive writer/reader pair: same type or an Avro promotion reads, nothing else."""

from __future__ import annotations

import itertools

import pytest

from contractctl.core.compat.avro import backward_changes

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
# (writer, reader) pairs the Avro spec allows besides identity, written out independently.
PROMOTED = {
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("bytes", "string"),
}


@pytest.mark.parametrize(
    ("writer", "reader"),
    list(itertools.product(PRIMITIVES, PRIMITIVES)),
    ids=str,
)
def test_primitive_pair(writer: str, reader: str) -> None:
    changes = backward_changes(writer, reader)
    if writer == reader or (writer, reader) in PROMOTED:
        assert changes == []
    else:
        assert [(c.rule_id, c.path, c.old, c.new) for c in changes] == [
            ("TYPE_MISMATCH", "/", writer, reader)
        ]


@pytest.mark.parametrize(("writer", "reader"), sorted(PROMOTED))
def test_promotion_inside_a_record_field(writer: str, reader: str) -> None:
    def rec(t: str) -> dict[str, object]:
        return {"type": "record", "name": "R", "fields": [{"name": "a", "type": t}]}

    assert backward_changes(rec(writer), rec(reader)) == []
    # The reverse is never a promotion (no narrowing), except string <-> bytes.
    reverse = backward_changes(rec(reader), rec(writer))
    if {writer, reader} == {"string", "bytes"}:
        assert reverse == []
    else:
        assert [(c.rule_id, c.path) for c in reverse] == [("TYPE_MISMATCH", "/fields/0/type")]


def test_logical_types_are_ignored() -> None:
    old = {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}
    new = {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 1}
    assert backward_changes(old, new) == []
    ts = {"type": "long", "logicalType": "timestamp-millis"}
    assert backward_changes({"type": "int", "logicalType": "date"}, ts) == []
