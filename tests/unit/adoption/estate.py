"""A small registry estate for the import tests: three event subjects (Avro with a shared
reference, JSON Schema with a breaking version, a NONE-level subject) and the reference."""

from __future__ import annotations

from typing import Any

from contractctl.adapters.registry.api import Reference, SchemaSubmission
from contractctl.adapters.registry.store import LocalStore

MONEY = {
    "type": "record",
    "name": "Money",
    "namespace": "com.acme",
    "fields": [{"name": "amount_minor", "type": "long"}, {"name": "currency", "type": "string"}],
}


def paid(extra: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "record",
        "name": "PaymentSucceeded",
        "namespace": "com.acme.payments",
        "doc": "The customer's payment was captured.",
        "fields": [
            {"name": "order_id", "type": "string"},
            {"name": "amount", "type": "com.acme.Money"},
            *extra,
        ],
    }


def placed(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "OrderPlaced",
        "description": "A customer placed an order.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


ORDER_V1 = placed({"order_id": {"type": "string"}, "total": {"type": "number"}}, ["order_id"])
ORDER_V2 = placed(
    {"order_id": {"type": "string"}, "total": {"type": "number"}, "note": {"type": "string"}},
    ["order_id"],
)
ORDER_V3 = placed({"order_id": {"type": "string"}, "note": {"type": "string"}}, ["order_id"])


def estate(store: LocalStore | None = None) -> LocalStore:
    """The estate; ORDER_V3 removes ``total``, registered while the level was NONE."""
    store = store or LocalStore()
    money = store.register("com.acme.Money", SchemaSubmission.of(MONEY, "AVRO"))
    ref = (Reference("com.acme.Money", "com.acme.Money", money.version),)
    subject = "payments.payment-succeeded-value"
    store.set_level(subject, "FULL")
    store.register(subject, SchemaSubmission.of(paid([]), "AVRO", ref))
    optional = {"name": "method", "type": ["null", "string"], "default": None}
    store.register(subject, SchemaSubmission.of(paid([optional]), "AVRO", ref))
    orders = "orders.order-placed-value"
    for doc in (ORDER_V1, ORDER_V2):
        store.register(orders, SchemaSubmission.of(doc, "JSON"))
    store.set_level(orders, "NONE")
    store.register(orders, SchemaSubmission.of(ORDER_V3, "JSON"))
    store.set_level(orders, "BACKWARD")
    audit = "audit-log-value"
    store.set_level(audit, "NONE")
    store.register(
        audit, SchemaSubmission.of({"type": "object", "title": "AuditEntryWritten"}, "JSON")
    )
    store.register(
        audit, SchemaSubmission.of({"type": "string", "title": "AuditEntryWritten"}, "JSON")
    )
    return store
