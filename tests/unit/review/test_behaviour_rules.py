"""Every behavioural rule from a (before, after) pair of one event's contracts.

Each case is data: the contract fields of 1.0.0 and of 1.1.0 (the same payload schema), and
the findings the gate must report as (rule, pointer, severity). The last test fails when a
BEHAVIOUR_* rule of the catalogue has no case here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.app.check import CheckRequest, check
from contractctl.core.contract.config import load_config
from contractctl.core.rules import all_rules

SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "order_id": {"type": "string"},
        "event_id": {"type": "string"},
        "trace": {"type": "string"},
        "cause": {"type": "string"},
    },
}
BASE: dict[str, Any] = {
    "channel": "shop.orders",
    "key": "order_id",
    "ordering": "per-key",
    "delivery": {"guarantee": "at-least-once", "idempotency_key": "event_id"},
    "correlation": {"correlation_id": "trace", "causation_id": "cause"},
    "producer": "shop",
    "consumers": [{"service": "billing"}, {"service": "mailer"}],
    "error_policy": {
        "retries": {"max_attempts": 3},
        "dead_letter": "shop.orders.dlq",
        "timeout": "10s",
        "compensation": ["shop.OrderCancelled"],
    },
}
E, W, I = "error", "warning", "info"  # noqa: E741


def _with(**changes: Any) -> dict[str, Any]:
    out = yaml.safe_load(yaml.safe_dump(BASE))
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            if value is None:
                out[section].pop(field, None)
            else:
                out[section][field] = value
        elif value is None:
            out.pop(section, None)
        else:
            out[section] = value
    return out


CASES: list[tuple[str, dict[str, Any], dict[str, Any], set[tuple[str, str, str]]]] = [
    ("nothing-changed", {}, {}, set()),
    (
        "channel-renamed",
        {},
        {"channel": "shop.orders.v2"},
        {("BEHAVIOUR_CHANNEL_CHANGED", "/channel", E)},
    ),
    ("key-changed", {}, {"key": "id"}, {("BEHAVIOUR_KEY_CHANGED", "/key", E)}),
    ("key-removed", {}, {"key": None}, {("BEHAVIOUR_KEY_CHANGED", "/key", E)}),
    ("key-added", {"key": None}, {}, set()),
    (
        "ordering-weakened",
        {},
        {"ordering": "none"},
        {("BEHAVIOUR_ORDERING_WEAKENED", "/ordering", E)},
    ),
    (
        "ordering-strengthened",
        {},
        {"ordering": "total"},
        {("BEHAVIOUR_STRENGTHENED", "/ordering", I)},
    ),
    (
        "guarantee-weakened",
        {},
        {"delivery__guarantee": "at-most-once"},
        {("BEHAVIOUR_GUARANTEE_WEAKENED", "/delivery/guarantee", E)},
    ),
    (
        "guarantee-strengthened",
        {},
        {"delivery__guarantee": "exactly-once"},
        {("BEHAVIOUR_STRENGTHENED", "/delivery/guarantee", I)},
    ),
    (
        "idempotency-key-removed",
        {},
        {"delivery__idempotency_key": None},
        {("BEHAVIOUR_IDEMPOTENCY_KEY_CHANGED", "/delivery/idempotency_key", E)},
    ),
    (
        "correlation-changed",
        {},
        {"correlation__correlation_id": "id"},
        {("BEHAVIOUR_CORRELATION_CHANGED", "/correlation/correlation_id", E)},
    ),
    (
        "causation-removed",
        {},
        {"correlation__causation_id": None},
        {("BEHAVIOUR_CORRELATION_CHANGED", "/correlation/causation_id", E)},
    ),
    (
        "dead-letter-changed",
        {},
        {"error_policy__dead_letter": "dlq.all"},
        {("BEHAVIOUR_DEAD_LETTER_CHANGED", "/error_policy/dead_letter", W)},
    ),
    (
        "retries-removed",
        {},
        {"error_policy__retries": {"max_attempts": 0}},
        {("BEHAVIOUR_RETRIES_REMOVED", "/error_policy/retries", W)},
    ),
    (
        "timeout-shortened",
        {},
        {"error_policy__timeout": "500ms"},
        {("BEHAVIOUR_TIMEOUT_SHORTENED", "/error_policy/timeout", W)},
    ),
    (
        "timeout-lengthened",
        {},
        {"error_policy__timeout": "1m"},
        {("BEHAVIOUR_STRENGTHENED", "/error_policy/timeout", I)},
    ),
    (
        "compensation-removed",
        {},
        {"error_policy__compensation": None},
        {("BEHAVIOUR_COMPENSATION_REMOVED", "/error_policy", E)},
    ),
    (
        "producer-changed",
        {},
        {"producer": "checkout"},
        {("BEHAVIOUR_PRODUCER_CHANGED", "/producer", W)},
    ),
    (
        "consumer-removed",
        {},
        {"consumers": [{"service": "billing"}]},
        {("BEHAVIOUR_CONSUMER_REMOVED", "/consumers", I)},
    ),
    (
        "deprecated",
        {},
        {"deprecated": {"sunset": "2030-01-01", "replaced_by": "shop.OrderCancelled"}},
        {("BEHAVIOUR_DEPRECATED", "/deprecated", I)},
    ),
    (
        "sunset-earlier",
        {"deprecated": {"sunset": "2030-01-01", "replaced_by": "shop.OrderCancelled"}},
        {"deprecated": {"sunset": "2029-06-01", "replaced_by": "shop.OrderCancelled"}},
        {("BEHAVIOUR_SUNSET_EARLIER", "/deprecated/sunset", W)},
    ),
]


def _contract(version: str, fields: dict[str, Any], name: str = "shop.OrderPlaced") -> Any:
    return {
        "name": name,
        "version": version,
        "schema": {"format": "jsonschema", "inline": SCHEMA},
        **fields,
    }


def gate(tmp_path: Path, before: dict[str, Any], after: dict[str, Any], **request: Any) -> Any:
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    folder = tmp_path / "contracts"
    folder.mkdir()
    for i, body in enumerate(
        (
            _contract("1.0.0", before),
            _contract("1.1.0", after),
            _contract("1.0.0", {}, name="shop.OrderCancelled"),
        )
    ):
        (folder / f"c{i}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    config = load_config(root=tmp_path)
    return check(CheckRequest(config=config, validate=False, **request)).report


@pytest.mark.parametrize(("case", "before", "after", "expect"), CASES, ids=[c[0] for c in CASES])
def test_behavioural_change(
    tmp_path: Path,
    case: str,
    before: dict[str, Any],
    after: dict[str, Any],
    expect: set[tuple[str, str, str]],
) -> None:
    report = gate(tmp_path, _with(**before), _with(**after))
    got = {
        (f.rule_id, f.pointer, f.severity.value)
        for f in report.findings
        if f.rule_id.startswith("BEHAVIOUR_")
    }
    assert got == expect, [f.message for f in report.findings]
    for f in report.findings:
        if f.rule_id.startswith("BEHAVIOUR_"):
            assert f.file is not None
            assert f.file.endswith("c1.yaml")
            assert f.line is not None
            assert f.extra["against"] == "1.0.0"


def test_a_break_names_the_consumers_and_an_accepted_entry_excuses_it(tmp_path: Path) -> None:
    accept = [{"rule": "BEHAVIOUR_KEY_CHANGED", "path": "/key", "reason": "one partition"}]
    report = gate(tmp_path, _with(), _with(key="id", accepted_breaks=accept))
    (finding,) = [f for f in report.findings if f.rule_id == "BEHAVIOUR_KEY_CHANGED"]
    assert finding.extra["consumers"] == ["billing", "mailer"]
    assert "Breaks: billing, mailer." in finding.message
    assert finding.extra["accepted"] is True
    assert not report.fails(finding.severity)


def test_every_behaviour_rule_has_a_case() -> None:
    covered = {rule for *_, expect in CASES for rule, _, _ in expect}
    rules = {r.id for r in all_rules() if r.id.startswith("BEHAVIOUR_")}
    assert rules == covered


def test_diff_of_two_contracts_shows_behavioural_changes(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(_contract("1.0.0", _with())), encoding="utf-8")
    changed = _with(key="id", ordering="total")
    new.write_text(yaml.safe_dump(_contract("1.1.0", changed)), encoding="utf-8")
    result = run_cli(["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    rows = {
        (c["rule_id"], c["path"], tuple(c["breaks"])) for c in json.loads(result.stdout)["changes"]
    }
    assert rows == {
        ("BEHAVIOUR_KEY_CHANGED", "/key", ("consumers",)),
        ("BEHAVIOUR_STRENGTHENED", "/ordering", ()),
    }
    same = run_cli(["diff", str(old), str(old)])
    assert same.exit_code == 0


def test_a_removed_consumer_says_where_it_still_consumes(tmp_path: Path) -> None:
    report = gate(tmp_path, _with(), _with(consumers=[{"service": "billing"}]))
    (finding,) = [f for f in report.findings if f.rule_id == "BEHAVIOUR_CONSUMER_REMOVED"]
    assert "consumer mailer is no longer declared (no other contract lists it)" in finding.message
    folder = tmp_path / "contracts"
    other = _contract("1.0.0", {"consumers": [{"service": "mailer"}]}, name="shop.OrderShipped")
    (folder / "c3.yaml").write_text(yaml.safe_dump(other), encoding="utf-8")
    report = check(CheckRequest(config=load_config(root=tmp_path), validate=False)).report
    (finding,) = [f for f in report.findings if f.rule_id == "BEHAVIOUR_CONSUMER_REMOVED"]
    assert "(it still consumes shop.OrderShipped)" in finding.message
