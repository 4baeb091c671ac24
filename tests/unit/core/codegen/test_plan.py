"""The codegen IR for small schemas: what becomes a class, a union, a gap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contractctl.core.codegen import naming, plan_module
from contractctl.core.codegen.pyexpr import text
from contractctl.core.contract.model import Contract, SchemaSpec


def _module(document: Any, fmt: str = "jsonschema") -> Any:
    contract = Contract(name="orders.Thing", version="1.2.0",
                        schema=SchemaSpec(fmt, document), path=Path("x.yaml"))  # fmt: skip
    return plan_module(contract)


def _fields(module: Any, cls: str) -> dict[str, str]:
    spec = next(c for c in module.classes if c.name == cls)
    return {f.name: text(f.annotation) for f in spec.fields}


def test_module_path_and_names() -> None:
    assert naming.module_name("OrderPlaced", "1.1.0") == "order_placed_v1_1_0"
    assert naming.field_name("class") == "class_"
    assert naming.field_name("@timestamp") == "timestamp"
    assert naming.field_name("model_id") == "model_id_"
    assert _module({"type": "object"}).path == ("orders", "thing_v1_2_0")


def test_required_optional_nullable() -> None:
    m = _module({"type": "object", "required": ["a", "b"], "properties": {
        "a": {"type": "string"}, "b": {"type": ["integer", "null"]},
        "c": {"type": "boolean"}, "d": {"type": ["string", "null"]}}})  # fmt: skip
    assert _fields(m, "Thing") == {"a": "StrictStr", "b": "_rt.Int | None",
                                   "c": "StrictBool | None", "d": "StrictStr | None"}  # fmt: skip
    assert [f.name for f in m.classes[0].null_rejecting] == ["c"]
    assert not m.gaps


def test_discriminated_union_from_const() -> None:
    m = _module({"type": "object", "required": ["p"], "properties": {"p": {"oneOf": [
        {"$ref": "#/$defs/Card"}, {"$ref": "#/$defs/Cash"}]}}, "$defs": {
        "Card": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "card"}}},
        "Cash": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cash"}}},
    }})  # fmt: skip
    assert _fields(m, "Thing")["p"] == 'Annotated[Card | Cash, Field(discriminator="kind")]'
    assert not m.gaps


def test_inexpressible_keywords_become_gaps_and_fallback() -> None:
    m = _module({"type": "object", "properties": {"a": {"not": {"type": "string"}}},
                 "patternProperties": {"^x": {"type": "integer"}}})  # fmt: skip
    assert {g.keyword for g in m.gaps} == {"not", "patternProperties"}
    assert m.fallback_schema is not None


def test_avro_record_with_logical_types() -> None:
    m = _module({"type": "record", "name": "Thing", "namespace": "a.b", "fields": [
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]},
         "default": "A"},
        {"name": "note", "type": ["null", "string"], "default": None}]}, "avro")  # fmt: skip
    assert _fields(m, "Thing") == {"at": "_rt.TimestampMillis", "kind": "Kind",
                                   "note": "StrictStr | None"}  # fmt: skip
    assert text(m.aliases[0].annotation) == 'Literal["A", "B"]'
