"""The review end to end: a temporary git repository, one pull request per scenario, the real
CLI in text, json, github (with the step summary) and markdown; markdown is also a golden.

``main`` holds shop.OrderPlaced 1.0.0 (consumers declaring the fields they read), the events
its saga needs, and a legacy event; each scenario edits the work tree as a pull request
would. Refresh the goldens with ``CONTRACTCTL_UPDATE_GOLDEN=1 pytest tests/e2e``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contractctl.reporting.json_report import REPORT_SCHEMA
from tests.conftest import REPO, git, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "review"
UPDATE = os.environ.get("CONTRACTCTL_UPDATE_GOLDEN") == "1"

ORDER = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "customer_id": {"type": "string"},
        "coupon_code": {"type": "string"},
        "lines": {
            "type": "array",
            "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
        },
        "total": {"type": "integer"},
    },
    "required": ["order_id"],
    "additionalProperties": False,
}
EXAMPLE = {"order_id": "o1", "customer_id": "c1", "lines": [{"sku": "A"}], "total": 3}


def _event(name: str, producer: str, owner: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "version": "1.0.0",
        "summary": "Something happened.",
        "description": "Emitted when it happened.",
        "owner": owner,
        "producer": producer,
        "channel": name.lower(),
        "schema": {"format": "jsonschema", "inline": {"type": "object"}},
        "examples": [{"name": "empty", "payload": {}}],
        **fields,
    }


def _order(version: str, schema: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    body = {
        **_event("shop.OrderPlaced", "shop", "team-shop"),
        "version": version,
        "schema": {"format": "jsonschema", "inline": schema or ORDER},
        "key": "order_id",
        "ordering": "per-key",
        "delivery": {"guarantee": "at-least-once", "idempotency_key": "order_id"},
        "consumers": [
            {"service": "billing", "purpose": "Bill it.", "reads": ["order_id", "total"]},
            {"service": "warehouse", "purpose": "Pick it.", "reads": ["order_id", "lines[].sku"]},
        ],
        "error_policy": {
            "retries": {"max_attempts": 3},
            "dead_letter": "shop.dlq",
            "compensation": ["shop.OrderCancelled"],
        },
        "examples": [{"name": "one-line", "payload": EXAMPLE}],
    }
    body.update(fields)
    return body


def _without(*names: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(json.dumps(ORDER))
    for name in names:
        schema["properties"].pop(name)
    return schema


LEGACY = _event(
    "shop.CartAbandoned",
    "shop",
    "team-shop",
    consumers=[{"service": "mailer", "purpose": "Send a reminder."}],
)


def _write(repo: Path, name: str, data: Any) -> None:
    path = repo / "contracts" / "shop" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    _write(root, "order-placed.v1.yaml", _order("1.0.0"))
    _write(root, "order-cancelled.v1.yaml", _event("shop.OrderCancelled", "warehouse", "team-wh"))
    _write(root, "invoice-sent.v1.yaml", _event("billing.InvoiceSent", "billing", "team-billing"))
    _write(root, "cart-abandoned.v1.yaml", LEGACY)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "main")
    return root


def unread_field_removed(repo: Path) -> None:
    _write(repo, "order-placed.v1.1.yaml", _order("1.1.0", _without("coupon_code")))


def read_field_removed(repo: Path) -> None:
    example = {"name": "one-line", "payload": {"order_id": "o1", "total": 3}}
    _write(repo, "order-placed.v1.1.yaml", _order("1.1.0", _without("lines"), examples=[example]))


def key_changed(repo: Path) -> None:
    _write(repo, "order-placed.v1.1.yaml", _order("1.1.0", key="customer_id"))


def guarantee_weakened(repo: Path) -> None:
    delivery = {"guarantee": "at-most-once"}
    _write(repo, "order-placed.v1.1.yaml", _order("1.1.0", delivery=delivery))


def compensation_removed(repo: Path) -> None:
    policy = {"retries": {"max_attempts": 3}, "dead_letter": "shop.dlq"}
    _write(repo, "order-placed.v1.1.yaml", _order("1.1.0", error_policy=policy))


def sunset_passed_still_consumed(repo: Path) -> None:
    deprecated = {"since": "1.0.0", "sunset": "2020-01-31", "replaced_by": "shop.OrderCancelled"}
    _write(repo, "cart-abandoned.v1.yaml", {**LEGACY, "deprecated": deprecated})


def expired_accepted_break(repo: Path) -> None:
    accept = {
        "rule": "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "path": "#/properties/total",
        "reason": "billing moves to InvoiceSent",
        "expires": "2020-03-01",
        "approved_by": "alice",
    }
    example = {"name": "one-line", "payload": {"order_id": "o1", "lines": [{"sku": "A"}]}}
    _write(
        repo,
        "order-placed.v1.1.yaml",
        _order("1.1.0", _without("total"), examples=[example], accepted_breaks=[accept]),
    )


# scenario, exit code, {(rule, severity)} that must be among the findings, text that must show
Scenario = tuple[Callable[[Path], None], int, set[tuple[str, str]], list[str]]
SCENARIOS: list[Scenario] = [
    (
        unread_field_removed,
        0,
        {("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "warning")},
        ["no consumer reads `coupon_code`"],
    ),
    (
        read_field_removed,
        1,
        {
            ("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "error"),
            ("CHECK_MAJOR_BUMP_REQUIRED", "error"),
        },
        ["warehouse"],
    ),
    (key_changed, 1, {("BEHAVIOUR_KEY_CHANGED", "error")}, ["customer_id"]),
    (guarantee_weakened, 1, {("BEHAVIOUR_GUARANTEE_WEAKENED", "error")}, ["at-most-once"]),
    (
        compensation_removed,
        1,
        {("BEHAVIOUR_COMPENSATION_REMOVED", "error")},
        ["shop.OrderCancelled"],
    ),
    (
        sunset_passed_still_consumed,
        1,
        {("REVIEW_SUNSET_CONSUMED", "error"), ("BEHAVIOUR_DEPRECATED", "info")},
        ["mailer"],
    ),
    (
        expired_accepted_break,
        1,
        {
            ("REVIEW_ACCEPTED_BREAK_EXPIRED", "error"),
            ("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "error"),
        },
        ["2020-03-01"],
    ),
]
IDS = [s[0].__name__ for s in SCENARIOS]


@pytest.mark.parametrize(("scenario", "code", "rules", "texts"), SCENARIOS, ids=IDS)
def test_json(repo: Path, scenario: Any, code: int, rules: set[Any], texts: list[str]) -> None:
    scenario(repo)
    result = run_cli(["check", "--against", "git:main", "--format", "json"], cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, REPORT_SCHEMA)
    found = {(f["rule_id"], f["severity"]) for f in data["findings"]}
    assert rules <= found, found
    for text in texts:
        assert text in result.stdout


def test_a_read_field_names_exactly_its_readers_with_owners(repo: Path) -> None:
    read_field_removed(repo)
    result = run_cli(["check", "--against", "git:main", "--format", "json"], cwd=repo)
    (brk,) = [
        f
        for f in json.loads(result.stdout)["findings"]
        if f["rule_id"] == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    ]
    assert brk["details"]["consumers"] == ["warehouse"]
    assert brk["details"]["owners"] == {"warehouse": "team-wh"}
    assert brk["details"]["fields"] == ["lines"]


@pytest.mark.parametrize(("scenario", "code", "rules", "texts"), SCENARIOS, ids=IDS)
def test_text(repo: Path, scenario: Any, code: int, rules: set[Any], texts: list[str]) -> None:
    scenario(repo)
    result = run_cli(["check", "--against", "git:main"], cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    for rule, _ in rules:
        assert rule in result.stdout
    for text in texts:
        assert text in result.stdout


@pytest.mark.parametrize(("scenario", "code", "rules", "texts"), SCENARIOS, ids=IDS)
def test_github_with_step_summary(
    repo: Path,
    scenario: Any,
    code: int,
    rules: set[Any],
    texts: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario(repo)
    summary = repo.parent / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(["check", "--against", "git:main", "--format", "github"], cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    level = {"error": "::error ", "warning": "::warning ", "info": "::notice "}
    for rule, severity in rules:
        assert any(
            line.startswith(level[severity]) and f"title={rule}" in line
            for line in result.stdout.splitlines()
        ), result.stdout
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## contractctl check")  # appended, not replaced
    assert written.endswith(_markdown(repo))


def _markdown(repo: Path) -> str:
    result = run_cli(["check", "--against", "git:main", "--format", "markdown"], cwd=repo)
    return result.stdout + "\n"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden {path.name}; rerun with CONTRACTCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), "(CONTRACTCTL_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(("scenario", "code", "rules", "texts"), SCENARIOS, ids=IDS)
def test_markdown_golden(
    repo: Path, scenario: Any, code: int, rules: set[Any], texts: list[str]
) -> None:
    scenario(repo)
    result = run_cli(["check", "--against", "git:main", "--format", "markdown"], cwd=repo)
    assert result.exit_code == code, result.stderr
    for rule, _ in rules:
        assert f"`{rule}`" in result.stdout
    _golden(scenario.__name__, result.stdout)


def test_markdown_of_the_bundled_contracts_after_a_breaking_edit(tmp_path: Path) -> None:
    """The example saga: coupon_code made required, the key and a compensation changed."""
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    shutil.copy(REPO / "contractctl.yaml", tmp_path / "contractctl.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "main")
    orders = tmp_path / "contracts" / "orders"
    schema = json.loads((orders / "schemas/order-placed.v1.1.json").read_text())
    schema["required"] = [*schema["required"], "coupon_code"]
    (orders / "schemas/order-placed.v1.2.json").write_text(json.dumps(schema, indent=2))
    contract = (orders / "order-placed.v1.1.yaml").read_text()
    contract = contract.replace('version: "1.1.0"', 'version: "1.2.0"')
    contract = contract.replace("order-placed.v1.1.json", "order-placed.v1.2.json")
    contract = contract.replace("key: order_id", "key: customer_id")
    contract = contract.replace("  compensation:\n    - orders.OrderCancelled\n", "")
    contract = contract.replace(
        "  - name: single-line-order\n    file: examples/order-placed-basic.json\n", ""
    )
    (orders / "order-placed.v1.2.yaml").write_text(contract)
    result = run_cli(["check", "--against", "git:main", "--format", "markdown"], cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    _golden("bundled-breaking-edit", result.stdout)


def test_docs_show_the_bundled_golden() -> None:
    golden = (GOLDEN / "bundled-breaking-edit.md").read_text(encoding="utf-8")
    assert golden in (REPO / "docs" / "check.md").read_text(encoding="utf-8")
