"""Avro example errors name the example's field and why, never fastavro's own wording."""

from __future__ import annotations

from typing import Any

import pytest

from contractctl.core.schema.example_fit import payload_errors

SCHEMA = {
    "type": "record",
    "name": "Paid",
    "namespace": "shop",
    "fields": [
        {"name": "cents", "type": "long"},
        {"name": "note", "type": ["null", "string"]},
        {"name": "money", "type": {"type": "record", "name": "Money", "fields": []}},
    ],
}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"note": None, "money": {}}, "field `cents` is missing or null; the schema needs long"),
        (
            {"cents": "12", "note": None, "money": {}},
            'field `cents` is "12" (a string); the schema needs long',
        ),
        (
            {"cents": 1, "note": 3, "money": {}},
            "field `note` is 3 (an integer); the schema needs one of null, string",
        ),
    ],
)
def test_example_errors_are_sentences(payload: dict[str, Any], message: str) -> None:
    errors = payload_errors(SCHEMA, "AVRO", payload)
    assert errors == [message]
    assert "Field(" not in message
    assert "expected" not in message
