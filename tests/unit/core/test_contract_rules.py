"""Every CONTRACT_* rule, injected into a copy of contracts/, is reported with its file and line.

One row per rule: which file to edit, the edit, and the text of the line the finding must
point at (``None``: the document's first line). A final test fails when a CONTRACT_ rule
has no row, so the catalogue and this table cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from contractctl.core.rules import all_rules
from tests.conftest import run_cli


@dataclass(frozen=True)
class Injection:
    rule: str
    file: str  # relative to the project
    edit: Callable[[str], str]
    line_text: str | None  # the finding's line contains this text; None: line 1
    finding_file: str | None = None  # when the finding is reported in another file


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"fixture drifted: {old!r} not found"
        return text.replace(old, new, 1)

    return edit


def drop_line(startswith: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [ln for ln in lines if not ln.startswith(startswith)]
        assert len(kept) == len(lines) - 1, f"fixture drifted: {startswith!r}"
        return "".join(kept)

    return edit


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def cut(start: str, end: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        i, j = text.index(start), text.index(end)
        return text[:i] + text[j:]

    return edit


RESERVED = "contracts/inventory/inventory-reserved.v1.yaml"
RESERVED_SCHEMA = "contracts/inventory/schemas/inventory-reserved.json"
REFUNDED = "contracts/payments/payment-refunded.v1.yaml"
SHIPPED = "contracts/shipping/shipment-created.v1.yaml"
CANCELLED = "contracts/orders/order-cancelled.v1.yaml"
PLACED = "contracts/orders/order-placed.v1.yaml"
RELEASED = "contracts/inventory/inventory-released.v1.yaml"

CASES = [
    Injection(
        "CONTRACT_UNREADABLE",
        REFUNDED,
        lambda t: t.replace("tags: [payments, compensation]", "tags: [payments"),
        "tags: [payments",
    ),
    Injection(
        "CONTRACT_UNKNOWN_FIELD",
        PLACED,
        replace("owner: team-orders", "ownr: team-orders"),
        "ownr:",
    ),
    Injection("CONTRACT_MISSING_FIELD", REFUNDED, drop_line("version:"), "name:"),
    Injection(
        "CONTRACT_FIELD_TYPE", REFUNDED, replace('version: "1.0.0"', "version: 1.0"), "version:"
    ),
    Injection(
        "CONTRACT_INVALID_VALUE",
        REFUNDED,
        replace("guarantee: at-least-once", "guarantee: at-least-twice"),
        "guarantee:",
    ),
    Injection(
        "CONTRACT_SCHEMA_INVALID",
        RESERVED_SCHEMA,
        replace('"minItems": 1', '"minItems": -1'),
        '"minItems"',
        RESERVED_SCHEMA,
    ),
    Injection(
        "CONTRACT_SCHEMA_DIALECT",
        RESERVED_SCHEMA,
        replace("https://json-schema.org/draft/2020-12/schema", "https://example.com/dialect"),
        '"$schema"',
        RESERVED_SCHEMA,
    ),
    Injection(
        "CONTRACT_SCHEMA_REF",
        RESERVED_SCHEMA,
        replace("#/$defs/ReservedLine", "#/$defs/Nope"),
        "#/$defs/Nope",
        RESERVED_SCHEMA,
    ),
    Injection(
        "CONTRACT_SCHEMA_REMOTE_REF",
        RESERVED_SCHEMA,
        replace("#/$defs/ReservedLine", "https://example.com/line.json"),
        "https://example.com",
        RESERVED_SCHEMA,
    ),
    Injection(
        "CONTRACT_EXAMPLE_INVALID", RESERVED, replace("quantity: 2}", "quantity: 0}"), "quantity: 0"
    ),
    Injection(
        "CONTRACT_FIELD_NOT_IN_SCHEMA",
        REFUNDED,
        replace("idempotency_key: event_id", "idempotency_key: evt_id"),
        "idempotency_key:",
    ),
    Injection(
        "CONTRACT_UNKNOWN_EVENT",
        CANCELLED,
        replace("inventory.InventoryReleased", "inventory.InventoryFreed"),
        "InventoryFreed",
    ),
    Injection(
        "CONTRACT_DUPLICATE",
        PLACED,
        replace("name: orders.OrderPlaced", "name: orders.OrderCancelled"),
        'version: "1.0.0"',
    ),
    Injection(
        "CONTRACT_VERSION_RANGE",
        PLACED,
        replace('versions: ">=1.0.0 <2.0.0"', 'versions: "between 1 and 2"'),
        "versions:",
    ),
    Injection("CONTRACT_OWNER_REQUIRED", REFUNDED, drop_line("owner:"), None),
    Injection("CONTRACT_DESCRIPTION_REQUIRED", RELEASED, cut("description:", "schema:"), None),
    Injection("CONTRACT_SUMMARY_REQUIRED", RELEASED, drop_line("summary:"), None),
    Injection("CONTRACT_PRODUCER_REQUIRED", RELEASED, drop_line("producer:"), None),
    Injection("CONTRACT_CHANNEL_REQUIRED", RELEASED, drop_line("channel:"), None),
    Injection("CONTRACT_IDEMPOTENCY_KEY", REFUNDED, drop_line("  idempotency_key:"), "guarantee:"),
    Injection("CONTRACT_DEAD_LETTER", REFUNDED, drop_line("  dead_letter:"), "retries:"),
    Injection(
        "CONTRACT_EVENT_NAME",
        SHIPPED,
        replace("name: shipping.ShipmentCreated", "name: shipping.CreateShipment"),
        "name:",
    ),
    Injection(
        "CONTRACT_CONSUMER_PURPOSE",
        SHIPPED,
        drop_line("    purpose: Mark the order as shipped."),
        "service: order-service",
    ),
    Injection(
        "CONTRACT_DEPRECATED_REPLACEMENT",
        CANCELLED,
        append("deprecated:\n  since: 1.0.0\n"),
        "since: 1.0.0",
    ),
    Injection(
        "CONTRACT_SUNSET_PASSED",
        CANCELLED,
        append(
            "deprecated:\n  since: 1.0.0\n  sunset: 2020-01-01\n  replaced_by: orders.OrderPlaced\n"
        ),
        "sunset:",
    ),
    Injection("CONTRACT_EXAMPLE_REQUIRED", RELEASED, cut("examples:", "tags:"), None),
    Injection(
        # contractctl.yaml turns the rule on and declares every bundled service.
        "CONTRACT_SERVICE_UNDECLARED",
        SHIPPED,
        replace("service: order-service", "service: billing-service"),
        "service: billing-service",
    ),
    Injection(
        "CONTRACT_IGNORE_UNKNOWN_RULE",
        RELEASED,
        append("ignore:\n  - rule: CONTRACT_NOPE\n    reason: testing\n"),
        "rule: CONTRACT_NOPE",
    ),
]


def _findings(project: Path) -> list[dict[str, object]]:
    result = run_cli(["validate", "--format", "json", "--fail-on", "never"], cwd=project)
    assert result.exit_code in (0, 3), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_rule_is_reported_with_file_and_line(case: Injection, project: Path) -> None:
    target = project / case.file
    text = case.edit(target.read_text(encoding="utf-8"))
    target.write_text(text, encoding="utf-8")
    hits = [f for f in _findings(project) if f["rule_id"] == case.rule]
    assert hits, f"{case.rule} not reported"
    expected_file = case.finding_file or case.file
    hit = next((f for f in hits if f["file"] == expected_file), None)
    assert hit is not None, f"{case.rule} reported in {[f['file'] for f in hits]}"
    lines = text.splitlines()
    if case.line_text is None:
        assert hit["line"] == 1
    else:
        assert hit["line"] is not None
        assert case.line_text in lines[int(str(hit["line"])) - 1], (hit, case.line_text)


def test_bundled_contracts_have_no_findings(project: Path) -> None:
    assert [f for f in _findings(project) if f["severity"] != "info"] == []


def test_every_contract_rule_has_an_injection() -> None:
    covered = {c.rule for c in CASES}
    contract_rules = {r.id for r in all_rules() if r.id.startswith("CONTRACT_")}
    contract_rules -= {r for r in contract_rules if r.startswith("CONTRACT_GRAPH_")}
    # A fact about the tree, not a line of a file: tests/scenarios/test_discovery.py.
    contract_rules -= {"CONTRACT_PATH_SKIPPED"}
    assert contract_rules - covered == set()


def test_config_can_turn_a_rule_off_and_change_severity(project: Path) -> None:
    target = project / RELEASED
    target.write_text(drop_line("summary:")(target.read_text()), encoding="utf-8")
    (project / "contractctl.yaml").write_text("rules:\n  CONTRACT_SUMMARY_REQUIRED: error\n")
    hit = next(f for f in _findings(project) if f["rule_id"] == "CONTRACT_SUMMARY_REQUIRED")
    assert hit["severity"] == "error"
    (project / "contractctl.yaml").write_text("rules:\n  CONTRACT_SUMMARY_REQUIRED: 'off'\n")
    assert not [f for f in _findings(project) if f["rule_id"] == "CONTRACT_SUMMARY_REQUIRED"]


def test_contract_can_ignore_a_rule_with_a_reason(project: Path) -> None:
    target = project / SHIPPED
    text = replace("name: shipping.ShipmentCreated", "name: shipping.CreateShipment")(
        target.read_text()
    )
    text += "ignore:\n  - rule: CONTRACT_EVENT_NAME\n    reason: legacy name kept for existing consumers\n"
    target.write_text(text, encoding="utf-8")
    assert not [f for f in _findings(project) if f["rule_id"] == "CONTRACT_EVENT_NAME"]


def test_undeclared_services_are_off_by_default(project: Path) -> None:
    target = project / SHIPPED
    target.write_text(
        replace("service: order-service", "service: billing-service")(target.read_text()),
        encoding="utf-8",
    )
    (project / "contractctl.yaml").write_text("services:\n  order-service: {}\n")
    assert not [f for f in _findings(project) if f["rule_id"] == "CONTRACT_SERVICE_UNDECLARED"]
    (project / "contractctl.yaml").write_text(
        "rules:\n  CONTRACT_SERVICE_UNDECLARED: error\nservices:\n  order-service: {}\n"
    )
    hits = [f for f in _findings(project) if f["rule_id"] == "CONTRACT_SERVICE_UNDECLARED"]
    # Each undeclared service once, however many contracts name it.
    named = sorted(str(f["message"]).split("'")[1] for f in hits)
    assert named == sorted(set(named))
    assert "billing-service" in named
    assert "payment-service" in named
    assert all(f["severity"] == "error" for f in hits)
