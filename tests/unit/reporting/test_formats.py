"""Every output format renders the same findings; JSON obeys its published schema."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft202012Validator

from contractctl.reporting.json_report import REPORT_SCHEMA
from tests.conftest import REPO, run_cli


def _break(project: Path) -> None:
    target = project / "contracts/payments/payment-refunded.v1.yaml"
    target.write_text(
        target.read_text().replace("idempotency_key: event_id", "idempotency_key: evt_id")
    )


def test_json_output_validates_against_published_schema(project: Path) -> None:
    _break(project)
    result = run_cli(["validate", "--format", "json"], cwd=project)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    Draft202012Validator(REPORT_SCHEMA).validate(document)
    assert document["ok"] is False
    (finding,) = document["findings"]
    assert finding["rule_id"] == "CONTRACT_FIELD_NOT_IN_SCHEMA"
    assert finding["file"] == "contracts/payments/payment-refunded.v1.yaml"


def test_clean_json_output_validates_too() -> None:
    result = run_cli(["validate", "--format", "json"], cwd=REPO)
    assert result.exit_code == 0
    Draft202012Validator(REPORT_SCHEMA).validate(json.loads(result.stdout))


def test_published_schema_file_is_current() -> None:
    assert json.loads((REPO / "docs/report.schema.json").read_text()) == REPORT_SCHEMA


def test_published_contract_schema_file_is_current() -> None:
    from contractctl.core.contract.format import CONTRACT_SCHEMA

    assert json.loads((REPO / "docs/contract.schema.json").read_text()) == CONTRACT_SCHEMA


def test_github_annotations(project: Path) -> None:
    _break(project)
    result = run_cli(["validate", "--format", "github"], cwd=project)
    line = result.stdout.splitlines()[0]
    assert line.startswith(
        "::error file=contracts/payments/payment-refunded.v1.yaml,line=16,col=20,"
        "title=CONTRACT_FIELD_NOT_IN_SCHEMA::"
    )


def test_junit_is_well_formed_with_one_failure(project: Path) -> None:
    _break(project)
    result = run_cli(["validate", "--format", "junit"], cwd=project)
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["contracts/payments/payment-refunded.v1.yaml"]


def test_sarif_has_rule_metadata_and_location(project: Path) -> None:
    _break(project)
    doc = json.loads(run_cli(["validate", "--format", "sarif"], cwd=project).stdout)
    run = doc["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "CONTRACT_FIELD_NOT_IN_SCHEMA"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 16, "startColumn": 20}


@pytest.mark.parametrize("fmt", ["json", "github", "junit", "sarif"])
def test_output_file_is_written_atomically(fmt: str, project: Path) -> None:
    out = project / "out" / f"report.{fmt}"
    result = run_cli(["validate", "--format", fmt, "--output", str(out)], cwd=project)
    assert result.exit_code == 0
    assert out.read_text()
    assert not list(out.parent.glob(".*tmp*"))


def test_fail_on_warning(project: Path) -> None:
    target = project / "contracts/inventory/inventory-released.v1.yaml"
    target.write_text(
        "".join(ln for ln in target.read_text().splitlines(True) if not ln.startswith("summary:"))
    )
    assert run_cli(["validate"], cwd=project).exit_code == 0
    assert run_cli(["validate", "--fail-on", "warning"], cwd=project).exit_code == 1


def test_rules_doc_is_generated_from_the_catalogue() -> None:
    from contractctl.app.catalogue import rules_markdown

    text = (REPO / "docs/rules.md").read_text(encoding="utf-8")
    assert text == rules_markdown(), (
        "regenerate: contractctl rules --format markdown > docs/rules.md"
    )
