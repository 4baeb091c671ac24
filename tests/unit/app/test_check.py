"""The compatibility gate, case by case: a contract history in, the rules that fire out.

Each case is data: the contracts of one event (inline JSON Schemas), optional config and
baseline directory, and the findings expected as (rule, severity, accepted).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.app.check import CheckRequest, check
from contractctl.core.contract.config import load_config
from contractctl.core.vocab.findings import Severity

V1 = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}},
    "required": ["id"],
    "additionalProperties": False,
}


def schema(**changes: Any) -> dict[str, Any]:
    """V1 with top-level keys replaced and ``props`` merged into its properties."""
    out = json.loads(json.dumps(V1))
    out["properties"].update(changes.pop("props", {}))
    out.update(changes)
    return out


def contract(version: str, body: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "name": "shop.OrderPlaced",
        "version": version,
        "schema": {"format": "jsonschema", "inline": body},
        "consumers": [{"service": "billing"}],
        **fields,
    }


EX1 = [{"name": "big-order", "payload": {"id": "o1", "amount": 50}}]
REQUIRED_AMOUNT = schema(required=["id", "amount"])
ACCEPT = {"rule": "REQUIRED_ATTRIBUTE_ADDED", "path": "#/required/amount", "reason": "reviewed"}

E, W, I = "error", "warning", "info"  # noqa: E741

CASES: list[dict[str, Any]] = [
    {
        "id": "compatible-optional-property",
        "tree": [
            contract("1.0.0", V1),
            contract("1.1.0", schema(props={"note": {"type": "string"}})),
        ],
        "expect": {("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", I, False)},
        "ok": True,
    },
    {
        "id": "breaking-without-major-bump",
        "tree": [contract("1.0.0", V1), contract("1.1.0", REQUIRED_AMOUNT)],
        "expect": {("REQUIRED_ATTRIBUTE_ADDED", E, False), ("CHECK_MAJOR_BUMP_REQUIRED", E, False)},
        "ok": False,
    },
    {
        "id": "breaking-with-major-bump-starts-new-line",
        "tree": [contract("1.0.0", V1), contract("2.0.0", REQUIRED_AMOUNT)],
        "expect": set(),
        "ok": True,
    },
    {
        "id": "breaking-major-bump-same-line-when-configured",
        "config": {"check": {"major_starts_new_line": False}},
        "tree": [contract("1.0.0", V1), contract("2.0.0", REQUIRED_AMOUNT)],
        "expect": {("REQUIRED_ATTRIBUTE_ADDED", E, False)},
        "ok": False,
    },
    {
        "id": "accepted-break-in-contract",
        "tree": [
            contract("1.0.0", V1),
            contract("1.1.0", REQUIRED_AMOUNT, accepted_breaks=[ACCEPT]),
        ],
        "expect": {("REQUIRED_ATTRIBUTE_ADDED", E, True)},
        "ok": True,
    },
    {
        "id": "accepted-break-in-config",
        "config": {
            "accepted_breaks": [{**ACCEPT, "event": "shop.OrderPlaced", "version": "1.1.0"}]
        },
        "tree": [contract("1.0.0", V1), contract("1.1.0", REQUIRED_AMOUNT)],
        "expect": {("REQUIRED_ATTRIBUTE_ADDED", E, True)},
        "ok": True,
    },
    {
        "id": "accepted-break-unused",
        "tree": [contract("1.0.0", V1), contract("1.1.0", V1, accepted_breaks=[ACCEPT])],
        "expect": {("CHECK_ACCEPTED_BREAK_UNUSED", W, False)},
        "ok": True,
    },
    {
        "id": "old-example-rejected-by-new-schema",
        "tree": [
            contract("1.0.0", V1, examples=EX1),
            contract("1.1.0", schema(props={"amount": {"type": "integer", "maximum": 10}})),
        ],
        "expect": {
            ("MAXIMUM_ADDED", E, False),
            ("CHECK_MAJOR_BUMP_REQUIRED", E, False),
            ("CHECK_EXAMPLE_INCOMPATIBLE", E, False),
        },
        "ok": False,
    },
    {
        "id": "new-example-rejected-by-old-schema-forward",
        "tree": [
            contract("1.0.0", V1, compatibility="FORWARD"),
            contract(
                "1.1.0",
                schema(props={"note": {"type": "string"}}),
                compatibility="FORWARD",
                examples=[{"name": "noted", "payload": {"id": "o1", "note": "hi"}}],
            ),
        ],
        "expect": {
            ("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", E, False),
            ("CHECK_MAJOR_BUMP_REQUIRED", E, False),
            ("CHECK_EXAMPLE_INCOMPATIBLE", E, False),
        },
        "ok": False,
    },
    {
        # The registry judges a patternProperties change compatible without looking at it.
        "id": "unjudged-keyword-change-warns",
        "tree": [
            contract("1.0.0", schema(patternProperties={"^x-": {"type": "string"}})),
            contract("1.1.0", schema(patternProperties={"^x-": {"type": "integer"}})),
        ],
        "expect": {("CHECK_UNJUDGED_CHANGE", W, False)},
        "ok": True,
    },
    {
        "id": "level-override-none",
        "level": "NONE",
        "tree": [contract("1.0.0", V1), contract("1.1.0", REQUIRED_AMOUNT)],
        "expect": set(),
        "ok": True,
    },
    {
        "id": "format-changed",
        "tree": [
            contract("1.0.0", V1),
            contract(
                "1.1.0",
                {"type": "record", "name": "O", "fields": [{"name": "id", "type": "string"}]},
            )
            | {
                "schema": {
                    "format": "avro",
                    "inline": json.dumps(
                        {
                            "type": "record",
                            "name": "O",
                            "fields": [{"name": "id", "type": "string"}],
                        }
                    ),
                }
            },
        ],
        "expect": {("CHECK_SCHEMA_FORMAT_CHANGED", E, False)},
        "ok": False,
    },
    {
        "id": "released-version-edited",
        "baseline": [contract("1.0.0", V1)],
        "tree": [contract("1.0.0", schema(props={"note": {"type": "string"}}))],
        "expect": {("CHECK_VERSION_NOT_INCREASED", E, False)},
        "ok": False,
    },
    {
        "id": "new-version-below-release",
        "baseline": [contract("1.0.0", V1), contract("1.2.0", V1)],
        "tree": [contract("1.0.0", V1), contract("1.1.0", V1), contract("1.2.0", V1)],
        "expect": {("CHECK_VERSION_NOT_INCREASED", E, False)},
        "ok": False,
    },
    {
        "id": "history-from-baseline-when-tree-keeps-only-latest",
        "baseline": [contract("1.0.0", V1)],
        "tree": [contract("1.1.0", REQUIRED_AMOUNT)],
        "expect": {("REQUIRED_ATTRIBUTE_ADDED", E, False), ("CHECK_MAJOR_BUMP_REQUIRED", E, False)},
        "ok": False,
    },
    {
        "id": "event-removed-with-consumers",
        "baseline": [contract("1.0.0", V1), {**contract("1.0.0", V1), "name": "shop.Gone"}],
        "tree": [contract("1.0.0", V1)],
        "expect": {("CHECK_EVENT_REMOVED", E, False)},
        "ok": False,
    },
    {
        "id": "event-removed-without-consumers",
        "baseline": [
            contract("1.0.0", V1),
            {**contract("1.0.0", V1), "name": "shop.Gone", "consumers": []},
        ],
        "tree": [contract("1.0.0", V1)],
        "expect": {("CHECK_EVENT_REMOVED", W, False)},
        "ok": True,
    },
]


def _write(folder: Path, contracts: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, c in enumerate(contracts):
        name = f"{c['name'].replace('.', '-')}.v{c['version']}.{i}.yaml"
        (folder / name).write_text(yaml.safe_dump(c, sort_keys=False), encoding="utf-8")


def run_case(tmp_path: Path, case: dict[str, Any]) -> Any:
    (tmp_path / "contractctl.yaml").write_text(
        yaml.safe_dump({"contracts": "contracts", **case.get("config", {})}), encoding="utf-8"
    )
    _write(tmp_path / "contracts", case["tree"])
    against = None
    if "baseline" in case:
        _write(tmp_path / "baseline", case["baseline"])
        against = str(tmp_path / "baseline")
    config = load_config(root=tmp_path)
    request = CheckRequest(config=config, against=against, level=case.get("level"), validate=False)
    return check(request).report


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_gate(tmp_path: Path, case: dict[str, Any]) -> None:
    report = run_case(tmp_path, case)
    got = {(f.rule_id, f.severity.value, bool(f.extra.get("accepted"))) for f in report.findings}
    assert got == case["expect"], [f.message for f in report.findings]
    assert report.fails(Severity.ERROR) is not case["ok"]


def test_breaking_finding_carries_location_consumers_and_directions(tmp_path: Path) -> None:
    consumers = [
        {"service": "billing"},
        {"service": "ledger", "versions": ">=1.0.0 <2.0.0"},
        {"service": "future", "versions": ">=2.0.0"},
    ]
    case = {
        "tree": [
            contract("1.0.0", V1, consumers=consumers),
            contract("1.1.0", REQUIRED_AMOUNT, consumers=consumers),
        ]
    }
    report = run_case(tmp_path, case)
    (finding,) = [f for f in report.findings if f.rule_id == "REQUIRED_ATTRIBUTE_ADDED"]
    assert finding.file is not None
    assert finding.file.endswith("v1.1.0.1.yaml")
    # The changed node itself (the inline schema's `required`), not the `schema:` line.
    assert finding.line is not None
    text = (tmp_path / finding.file).read_text(encoding="utf-8").splitlines()
    assert "required" in text[finding.line - 1]
    assert finding.pointer == "#/required/amount"
    assert finding.extra["consumers"] == ["billing", "ledger"]
    assert finding.extra["directions"] == ["BACKWARD"]
    assert finding.extra["against"] == "1.0.0"
    assert "billing, ledger" in finding.message


def test_transitive_level_names_the_version_it_breaks(tmp_path: Path) -> None:
    limited = schema(props={"amount": {"type": "integer", "maximum": 10}})
    case = {
        "config": {"compatibility": "BACKWARD_TRANSITIVE"},
        "tree": [
            contract("1.0.0", limited),
            contract("1.1.0", V1),  # maximum removed: compatible
            contract("1.2.0", schema(props={"amount": {"type": "integer", "maximum": 5}})),
        ],
    }
    report = run_case(tmp_path, case)
    breaking = [f for f in report.findings if f.severity is Severity.ERROR and f.extra.get("level")]
    assert {f.extra["against"] for f in breaking if f.rule_id == "MAXIMUM_ADDED"} == {"1.1.0"}


def test_bundled_contracts_pass_against_their_own_history() -> None:
    repo = Path(__file__).resolve().parents[3]
    report = check(CheckRequest(config=load_config(root=repo))).report
    assert not report.fails(Severity.ERROR), [f.message for f in report.findings]
    assert report.summary["compared"] == 2


def test_validate_runs_first_and_its_settings_apply(tmp_path: Path) -> None:
    case = {
        "config": {"rules": {"CONTRACT_OWNER_REQUIRED": "off", "CHECK_MAJOR_BUMP_REQUIRED": "off"}},
        "tree": [contract("1.0.0", V1), contract("1.1.0", REQUIRED_AMOUNT)],
    }
    (tmp_path / "contractctl.yaml").write_text(yaml.safe_dump(case["config"]), encoding="utf-8")
    _write(tmp_path / "contracts", case["tree"])
    report = check(CheckRequest(config=load_config(root=tmp_path))).report
    rules = {f.rule_id for f in report.findings}
    assert "CONTRACT_DESCRIPTION_REQUIRED" in rules  # validate's checks ran
    assert "CONTRACT_OWNER_REQUIRED" not in rules  # and contractctl.yaml's severities apply
    assert "CHECK_MAJOR_BUMP_REQUIRED" not in rules  # to the gate's rules too
    assert "REQUIRED_ATTRIBUTE_ADDED" in rules
