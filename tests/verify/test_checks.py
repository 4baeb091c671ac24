"""Per-event checks: matching, schema, key, correlation, idempotency, versions, duplicates."""

from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import load_contracts
from contractctl.core.contract.model import Contract
from contractctl.core.registry.schema import registry_schema
from contractctl.core.verify.verifier import Verifier, VerifyOptions
from contractctl.core.vocab.findings import Finding
from tests.conftest import CONTRACTS

CORR = "3c2b1a09-8f7e-4d6c-9b5a-4a3b2c1d0e9f"


@pytest.fixture(scope="module")
def contracts() -> list[Contract]:
    return load_contracts([CONTRACTS], Config()).contracts


def example(contracts: list[Contract], name: str, version: str | None = None) -> dict[str, Any]:
    c = next(c for c in contracts if c.name == name and (version is None or c.version == version))
    return copy.deepcopy(c.examples[-1].payload)


def run(contracts: list[Contract], *envelopes: dict[str, Any], **options: Any) -> Verifier:
    v = Verifier(contracts, VerifyOptions(**options))
    for i, env in enumerate(envelopes, 1):
        v.feed_line(json.dumps(env).encode(), ("events.ndjson", i))
    return v


def rules_of(v: Verifier) -> dict[str, int]:
    return rules_of_findings(v.finish().tally.findings())


def rules_of_findings(findings: list[Finding]) -> dict[str, int]:
    """Events per rule (a finding stands for ``count`` events)."""
    out: dict[str, int] = {}
    for f in findings:
        out[f.rule_id] = out.get(f.rule_id, 0) + int(f.extra["count"])  # type: ignore[call-overload]
    return out


def envelope(value: Any, topic: str = "orders.order-placed", **extra: Any) -> dict[str, Any]:
    key = value.get("order_id") if isinstance(value, dict) else None
    return {"topic": topic, "key": key, "timestamp": 1_793_600_000_000, "value": value, **extra}


def test_a_valid_event_of_each_contract_raises_nothing(contracts) -> None:
    events = [
        envelope(example(contracts, c.name, c.version), c.channel or "")
        for c in contracts
        if c.examples
    ]
    v = run(contracts, *events)
    assert rules_of(v) == {}
    assert sum(v.matched.values()) == len(events)


def test_schema_violations_name_the_pointer_and_never_the_value(contracts) -> None:
    bad = example(contracts, "payments.PaymentFailed")
    bad["reason"] = "SECRET-VALUE-42"
    placed = example(contracts, "orders.OrderPlaced", "1.1.0")
    placed["total"]["amount_minor"] = -77777
    v = run(
        contracts,
        envelope(bad, "payments.payment-failed"),
        envelope(placed),
    )
    findings = v.finish().tally.findings()
    messages = [f.message for f in findings]
    assert {f.rule_id for f in findings} == {"VERIFY_PAYLOAD_INVALID"}
    assert {f.pointer for f in findings} == {"/reason", "/total/amount_minor"}
    assert not any("SECRET-VALUE-42" in m or "77777" in m for m in messages)
    assert all(f.line in (1, 2) and f.file == "events.ndjson" for f in findings)


def test_show_payloads_keeps_the_offending_payloads(contracts) -> None:
    placed = example(contracts, "orders.OrderPlaced", "1.1.0")
    placed["total"]["amount_minor"] = -77777
    v = run(contracts, envelope(placed), show_payloads=True)
    (finding,) = v.finish().tally.findings()
    assert finding.extra["payloads"] == [placed]
    assert "-77777" in finding.message  # the validator's own message names the value


def test_key_correlation_and_idempotency_fields(contracts) -> None:
    placed = example(contracts, "orders.OrderPlaced", "1.1.0")
    wrong_key = envelope(placed, key="ord_somethingelse")
    no_ids = example(contracts, "inventory.InventoryReleased")
    no_ids["correlation_id"] = ""
    del no_ids["event_id"]
    v = run(contracts, wrong_key, envelope(no_ids, "inventory.inventory-released"))
    found = rules_of(v)
    assert found["VERIFY_KEY_MISMATCH"] == 1
    assert found["VERIFY_CORRELATION_MISSING"] == 1
    assert found["VERIFY_IDEMPOTENCY_KEY_MISSING"] == 1


def test_unknown_topic_type_header_and_version(contracts) -> None:
    placed = example(contracts, "orders.OrderPlaced", "1.1.0")
    v = run(
        contracts,
        envelope(placed, "orders.nowhere"),
        envelope(placed, headers={"ce_type": "orders.OrderShipped"}),
        envelope(placed, headers={"ce_type": "orders.OrderPlaced@9.9.9"}),
        envelope(placed, headers={"ce_type": "orders.OrderPlaced@1.0.0"}),
    )
    found = rules_of(v)
    assert found == {
        "VERIFY_UNKNOWN_CHANNEL": 1,
        "VERIFY_NO_MATCHING_CONTRACT": 1,
        "VERIFY_UNKNOWN_VERSION": 1,
        # pinned to 1.0.0, the 1.1 payload's `channel`/`coupon_code` break the older schema
        # (one `additionalProperties` error naming both)
        "VERIFY_PAYLOAD_INVALID": 1,
    }


def test_events_without_an_envelope_are_matched_by_schema(contracts) -> None:
    v = Verifier(contracts)
    for i, name in enumerate(("payments.PaymentFailed", "inventory.InventoryReserved"), 1):
        v.feed_line(json.dumps(example(contracts, name)), ("plain.ndjson", i))
    assert rules_of(v) == {}
    assert set(v.matched) == {"payments.PaymentFailed@1.0.0", "inventory.InventoryReserved@1.0.0"}


def test_duplicates_are_a_rate_at_least_once_and_an_error_exactly_once(
    contracts, tmp_path: Path
) -> None:
    placed = example(contracts, "orders.OrderPlaced", "1.1.0")
    v = run(contracts, envelope(placed), envelope(placed))
    assert rules_of(v) == {}
    assert v.duplicates["orders.OrderPlaced"] == 1
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    path = tmp_path / "contracts" / "orders" / "order-placed.v1.1.yaml"
    path.write_text(path.read_text().replace("at-least-once", "exactly-once"))
    strict = load_contracts([tmp_path / "contracts"], Config()).contracts
    v = run(strict, envelope(placed), envelope(placed))
    assert rules_of(v) == {"VERIFY_DUPLICATE": 1}


def test_a_deprecated_version_past_its_sunset(contracts, tmp_path: Path) -> None:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    path = tmp_path / "contracts" / "payments" / "payment-failed.v1.yaml"
    path.write_text(path.read_text() + "deprecated: {since: '2026-01-01', sunset: '2026-06-01'}\n")
    loaded = load_contracts([tmp_path / "contracts"], Config()).contracts
    failed = example(loaded, "payments.PaymentFailed")
    v = run(loaded, envelope(failed, "payments.payment-failed"))  # timestamp: 2026-11
    assert rules_of(v) == {"VERIFY_SUNSET_PASSED": 1}


def _avro_bytes(contract: Contract, value: dict[str, Any]) -> bytes:
    from fastavro import parse_schema, schemaless_writer

    named: dict[str, Any] = {}
    for ref in contract.schema.references:
        parse_schema(ref.document, named_schemas=named)
    buf = io.BytesIO()
    schemaless_writer(buf, parse_schema(contract.schema.document, named_schemas=named), value)
    return buf.getvalue()


def test_kafka_values_json_avro_and_wire_format(contracts) -> None:
    failed_c = next(c for c in contracts if c.name == "payments.PaymentFailed")
    failed = example(contracts, "payments.PaymentFailed")
    avro = _avro_bytes(failed_c, failed)
    form = registry_schema(failed_c)
    registered = {7: ("AVRO", json.dumps(form.document)), 8: ("AVRO", '{"type":"string"}')}
    v = Verifier(contracts, lookup=registered.get)
    topic = "payments.payment-failed"
    key = failed["order_id"].encode()
    v.feed_message(topic, json.dumps(failed).encode(), (topic, 0, 0), key=key)
    v.feed_message(topic, avro, (topic, 0, 1), key=key)
    v.feed_message(topic, b"\x00" + (7).to_bytes(4, "big") + avro, (topic, 0, 2), key=key)
    v.feed_message(topic, b"\x00" + (99).to_bytes(4, "big") + avro, (topic, 0, 3), key=key)
    v.feed_message(topic, b"\x00" + (8).to_bytes(4, "big") + avro, (topic, 0, 4), key=key)
    v.feed_message(topic, b"\x05" + (7).to_bytes(4, "big") + avro, (topic, 0, 5), key=key)
    v.feed_message(topic, b"\x00" + (7).to_bytes(4, "big") + avro[:-3], (topic, 0, 6), key=key)
    assert v.matched["payments.PaymentFailed@1.0.0"] == 3
    findings = v.finish().tally.findings()
    assert rules_of_findings(findings) == {
        "VERIFY_UNKNOWN_SCHEMA_ID": 1,
        "VERIFY_UNKNOWN_VERSION": 1,
        "VERIFY_EVENT_UNREADABLE": 2,  # the wrong magic byte, the truncated body
    }
    unknown = next(f for f in findings if f.rule_id == "VERIFY_UNKNOWN_SCHEMA_ID")
    assert unknown.extra["samples"] == ["payments.payment-failed/0/3"]
    magic = next(f for f in findings if "magic byte 0x05" in f.message)
    assert magic.extra["samples"] == ["payments.payment-failed/0/5"]
    assert v.duplicates["payments.PaymentFailed"] == 2  # the same event three times
