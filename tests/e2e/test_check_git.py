"""The gate end to end: a temporary git repository with a contract history, the real CLI.

Scenarios (each a working-tree change on top of the committed ``main``) × every output
format; the baseline is always ``git:main`` and the work tree is never touched by it.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contractctl.reporting.json_report import REPORT_SCHEMA
from tests.conftest import git, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

V1 = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}},
    "required": ["id"],
    "additionalProperties": False,
}


def _schema(**changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(V1))
    out["properties"].update(changes.pop("props", {}))
    out.update(changes)
    return out


def _contract(version: str, schema_file: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": "shop.OrderPlaced",
        "version": version,
        "summary": "An order was placed.",
        "description": "Emitted once per accepted checkout.",
        "owner": "team-shop",
        "producer": "shop-service",
        "channel": "shop.order-placed",
        "schema": {"format": "jsonschema", "file": schema_file},
        "consumers": [
            {"service": "billing", "purpose": "Bill the order.", "versions": ">=1.0.0 <2.0.0"},
            {"service": "reporting", "purpose": "Daily figures.", "versions": ">=2.0.0"},
        ],
        "examples": [{"name": "small", "payload": {"id": "o1", "amount": 3}}],
        **fields,
    }


def _write(repo: Path, name: str, data: Any) -> None:
    path = repo / "contracts" / "shop" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2) if name.endswith(".json") else yaml.safe_dump(data)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: shop.OrderPlaced 1.0.0 with its schema in a separate file."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    _write(root, "schemas/order.v1.json", V1)
    _write(root, "order.v1.yaml", _contract("1.0.0", "schemas/order.v1.json"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "v1")
    return root


REQUIRED = _schema(required=["id", "amount"])
ACCEPT = {
    "rule": "REQUIRED_ATTRIBUTE_ADDED",
    "path": "#/required/amount",
    "reason": "billing migrated",
}


def compatible(repo: Path) -> None:
    _write(repo, "schemas/order.v1.1.json", _schema(props={"note": {"type": "string"}}))
    _write(repo, "order.v1.1.yaml", _contract("1.1.0", "schemas/order.v1.1.json"))


def breaking(repo: Path) -> None:
    _write(repo, "schemas/order.v1.1.json", REQUIRED)
    _write(repo, "order.v1.1.yaml", _contract("1.1.0", "schemas/order.v1.1.json"))


def accepted(repo: Path) -> None:
    _write(repo, "schemas/order.v1.1.json", REQUIRED)
    _write(
        repo,
        "order.v1.1.yaml",
        _contract("1.1.0", "schemas/order.v1.1.json", accepted_breaks=[ACCEPT]),
    )


def missing_major_bump_in_place(repo: Path) -> None:
    """The tree keeps no history: the file is edited in place; git holds 1.0.0."""
    _write(repo, "schemas/order.v1.json", REQUIRED)
    _write(repo, "order.v1.yaml", _contract("1.1.0", "schemas/order.v1.json"))


def major_bump(repo: Path) -> None:
    _write(repo, "schemas/order.v2.json", REQUIRED)
    _write(repo, "order.v2.yaml", _contract("2.0.0", "schemas/order.v2.json"))


# scenario, expected exit code, rules expected among the findings (with accepted flag)
SCENARIOS = [
    (compatible, 0, set()),
    (breaking, 1, {("REQUIRED_ATTRIBUTE_ADDED", False), ("CHECK_MAJOR_BUMP_REQUIRED", False)}),
    (accepted, 0, {("REQUIRED_ATTRIBUTE_ADDED", True)}),
    (
        missing_major_bump_in_place,
        1,
        {("REQUIRED_ATTRIBUTE_ADDED", False), ("CHECK_MAJOR_BUMP_REQUIRED", False)},
    ),
    (major_bump, 0, set()),
]
FORMATS = ["text", "json", "github", "junit", "sarif"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("scenario", "code", "rules"), SCENARIOS, ids=[s[0].__name__ for s in SCENARIOS]
)
def test_gate_against_git(
    repo: Path, scenario: Any, code: int, rules: set[tuple[str, bool]], fmt: str
) -> None:
    scenario(repo)
    before = git(repo, "status", "--porcelain")
    result = run_cli(["check", "--against", "git:main", "--format", fmt], cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    assert git(repo, "status", "--porcelain") == before  # the work tree is untouched
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        jsonschema.validate(data, REPORT_SCHEMA)
        found = {(f["rule_id"], bool(f.get("accepted"))) for f in data["findings"]}
        assert rules <= found
        assert data["ok"] is (code == 0)
        for f in data["findings"]:
            if f["rule_id"] == "REQUIRED_ATTRIBUTE_ADDED":
                # Located at the changed node in the schema file; the contract is named too.
                in_place = scenario is missing_major_bump_in_place
                schema_file = "schemas/order.v1.json" if in_place else "schemas/order.v1.1.json"
                assert f["file"] == "contracts/shop/" + schema_file
                lines = (repo / f["file"]).read_text(encoding="utf-8").splitlines()
                assert '"required"' in lines[f["line"] - 1]
                assert f["details"]["contract"] == "contracts/shop/" + (
                    "order.v1.yaml" if in_place else "order.v1.1.yaml"
                )
                assert f["details"]["consumers"] == ["billing"]  # reporting wants >=2.0.0
                assert f["details"]["directions"] == ["BACKWARD"]
                assert f["details"]["against"] == "1.0.0"
    elif fmt == "sarif":
        data = json.loads(out)
        assert {r["ruleId"] for r in data["runs"][0]["results"]} >= {r for r, _ in rules}
    elif fmt == "junit":
        suites = ET.fromstring(out)
        failures = int(suites.find("testsuite").get("failures"))  # type: ignore[union-attr]
        assert (failures > 0) is (code != 0)
    else:
        for rule, _ in rules:
            assert rule in out
        if fmt == "github" and code:
            assert "::error file=contracts/shop/" in out
        if ("REQUIRED_ATTRIBUTE_ADDED", True) in rules:
            assert "accepted" in out


def test_released_version_edited_in_place(repo: Path) -> None:
    _write(repo, "schemas/order.v1.json", _schema(props={"note": {"type": "string"}}))
    result = run_cli(["check", "--against", "git:main", "--format", "json"], cwd=repo)
    assert result.exit_code == 1
    rules = {f["rule_id"] for f in json.loads(result.stdout)["findings"]}
    assert "CHECK_VERSION_NOT_INCREASED" in rules


def test_edited_release_still_lists_its_breaks(repo: Path) -> None:
    _write(repo, "schemas/order.v1.json", REQUIRED)
    result = run_cli(["check", "--against", "git:main", "--format", "json"], cwd=repo)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    (gate,) = [f for f in report["findings"] if f["rule_id"] == "CHECK_VERSION_NOT_INCREASED"]
    assert "1 breaking change: REQUIRED_ATTRIBUTE_ADDED at #/required/amount" in gate["message"]
    (found,) = [f for f in report["findings"] if f["rule_id"] == "REQUIRED_ATTRIBUTE_ADDED"]
    assert found["details"]["edited_release"] is True
    assert found["details"]["directions"] == ["BACKWARD"]
    assert report["summary"]["breaking"] == 1


def test_removed_event_is_reported(repo: Path) -> None:
    (repo / "contracts" / "shop" / "order.v1.yaml").unlink()
    _write(
        repo, "other.v1.yaml", {**_contract("1.0.0", "schemas/order.v1.json"), "name": "shop.Other"}
    )
    result = run_cli(["check", "--against", "git:main", "--format", "json"], cwd=repo)
    findings = json.loads(result.stdout)["findings"]
    (removed,) = [f for f in findings if f["rule_id"] == "CHECK_EVENT_REMOVED"]
    assert removed["severity"] == "error"  # billing and reporting still declared it
    assert result.exit_code == 1


def test_history_in_tree_needs_no_baseline(repo: Path) -> None:
    breaking(repo)
    result = run_cli(["check"], cwd=repo)
    assert result.exit_code == 1
    assert "CHECK_MAJOR_BUMP_REQUIRED" in result.stdout


@pytest.mark.parametrize(
    ("against", "message"),
    [("git:no-such-branch", "unknown git ref"), ("git:", "needs a ref")],
)
def test_bad_git_baseline_is_an_input_error(repo: Path, against: str, message: str) -> None:
    result = run_cli(["check", "--against", against], cwd=repo)
    assert result.exit_code == 3
    assert message in result.stderr


def test_not_a_repository(tmp_path: Path) -> None:
    _write(tmp_path, "schemas/order.v1.json", V1)
    _write(tmp_path, "order.v1.yaml", _contract("1.0.0", "schemas/order.v1.json"))
    result = run_cli(["check", "--against", "git:main"], cwd=tmp_path)
    assert result.exit_code == 3
    assert "not inside a git repository" in result.stderr


def test_diff_reads_a_git_side(repo: Path) -> None:
    breaking(repo)
    result = run_cli(
        [
            "diff",
            "git:main:contracts/shop/order.v1.yaml",
            "contracts/shop/order.v1.1.yaml",
            "--format",
            "markdown",
        ],
        cwd=repo,
    )
    assert result.exit_code == 1, result.stderr
    assert "`REQUIRED_ATTRIBUTE_ADDED`" in result.stdout
    assert "1.0.0 → 1.1.0" in result.stdout
