"""The generated order-fulfilment stream: ``verify`` reports exactly its ground truth."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tests.conftest import REPO
from tests.verify.generate import generate

DATA = Path(__file__).parent / "data"
STREAM = DATA / "stream.ndjson"
TRUTH = json.loads((DATA / "stream.truth.json").read_text(encoding="utf-8"))
SAGA_RULES = {
    "stuck": "VERIFY_SAGA_STUCK",
    "failed_without_compensation": "VERIFY_SAGA_UNCOMPENSATED",
    "orphan": "VERIFY_SAGA_ORPHAN",
}


def test_the_committed_stream_is_what_the_generator_writes() -> None:
    lines = list(generate(TRUTH["orders"]))
    assert "\n".join(lines) + "\n" == STREAM.read_text(encoding="utf-8")
    assert generate.truth.to_json() == TRUTH  # type: ignore[attr-defined]


def test_verify_reports_every_class_and_finding_exactly(cli) -> None:
    result = cli(["verify", str(STREAM), "--format", "json"], cwd=REPO)
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert summary["events"] == TRUTH["events"]
    flows = summary["flows"]
    assert list(flows) == ["orders.OrderPlaced"]
    classes = {k: v for k, v in flows["orders.OrderPlaced"]["classes"].items() if v}
    assert classes == TRUTH["classes"]
    assert summary["duplicates"]["payments.PaymentSucceeded"]["count"] == TRUTH["duplicates"]
    per_rule: Counter[str] = Counter()
    for f in report["findings"]:
        per_rule[f["rule_id"]] += f["details"]["count"]
    expected = Counter(TRUTH["findings"])
    for cls, rule in SAGA_RULES.items():
        expected[rule] = TRUTH["classes"].get(cls, 0)
    assert per_rule == expected


def test_the_flows_table_shows_the_classes(cli) -> None:
    result = cli(["verify", str(STREAM), "--flows"], cwd=REPO)
    assert result.exit_code == 1
    assert "orders.OrderPlaced: 200 instances" in result.stdout
    for cls, n in TRUTH["classes"].items():
        label = cls.replace("_", " ")
        assert re.search(rf"^  {label} +{n}$", result.stdout, re.MULTILINE), cls


def test_now_judges_the_last_order_stuck_once_its_budget_is_spent(cli) -> None:
    result = cli(
        ["verify", str(STREAM), "--format", "json", "--now", "2030-01-01T00:00:00Z"], cwd=REPO
    )
    classes = json.loads(result.stdout)["summary"]["flows"]["orders.OrderPlaced"]["classes"]
    assert classes["in_flight"] == 0
    assert classes["stuck"] == TRUTH["classes"]["stuck"] + TRUTH["classes"]["in_flight"]


def test_the_json_report_follows_the_report_schema(cli) -> None:
    from jsonschema import Draft202012Validator

    from contractctl.reporting.json_report import REPORT_SCHEMA

    result = cli(["verify", str(STREAM), "--format", "json"], cwd=REPO)
    Draft202012Validator(REPORT_SCHEMA).validate(json.loads(result.stdout))
