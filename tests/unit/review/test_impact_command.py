"""``contractctl impact``: consumers of an event, a version or a field, and the retire verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli

SCHEMA = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "coupon_code": {"type": "string"},
        "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {}}}},
    },
}


def _contract(name: str, version: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "version": version,
        "schema": {"format": "jsonschema", "inline": SCHEMA},
        **fields,
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    folder = tmp_path / "contracts"
    folder.mkdir()
    consumers = [
        {"service": "billing", "purpose": "Bill.", "reads": ["order_id"], "versions": "1.x"},
        {"service": "warehouse", "reads": ["lines[].sku"], "versions": ">=1.1.0"},
    ]
    docs = [
        _contract("shop.OrderPlaced", "1.0.0", consumers=consumers, owner="team-shop"),
        _contract("shop.OrderPlaced", "1.1.0", consumers=consumers, owner="team-shop"),
        _contract("billing.InvoiceSent", "1.0.0", producer="billing", owner="team-billing"),
    ]
    for i, doc in enumerate(docs):
        (folder / f"c{i}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return tmp_path


def test_every_consumer_with_owner_range_and_reads(tree: Path) -> None:
    result = run_cli(["impact", "shop.OrderPlaced", "--format", "json"], cwd=tree)
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(c["service"], c["owner"], c["reads_versions"]) for c in data["consumers"]] == [
        ("billing", "team-billing", ["1.0.0", "1.1.0"]),
        ("warehouse", None, ["1.1.0"]),
    ]
    assert data["retirable"] is False


def test_an_unread_field_can_be_retired(tree: Path) -> None:
    result = run_cli(["impact", "shop.OrderPlaced", "--field", "coupon_code"], cwd=tree)
    assert result.exit_code == 0, result.stdout
    assert "can be retired now" in result.stdout


def test_a_read_field_names_who_would_lose_it(tree: Path) -> None:
    result = run_cli(
        ["impact", "shop.OrderPlaced", "--field", "lines", "--format", "markdown"], cwd=tree
    )
    assert result.exit_code == 1
    assert "| warehouse |" in result.stdout
    assert "`lines` (it reads `lines[].sku`)" in result.stdout
    assert "warehouse would lose it" in result.stdout
    assert "billing would" not in result.stdout


def test_a_version_other_versions_cover_can_be_retired(tree: Path) -> None:
    old = run_cli(["impact", "shop.OrderPlaced@1.0.0"], cwd=tree)
    assert old.exit_code == 0, old.stdout  # billing also reads 1.1.0
    new = run_cli(["impact", "shop.OrderPlaced@1.1.0"], cwd=tree)
    assert new.exit_code == 1
    assert "warehouse" in new.stdout


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("shop.OrderPlace", "did you mean shop.OrderPlaced?"),
        ("shop.OrderPlaced@9.0.0", "has no version 9.0.0"),
        ("shop.OrderPlaced@x", "not a semantic version"),
    ],
)
def test_an_unknown_target_is_a_usage_error(tree: Path, target: str, message: str) -> None:
    result = run_cli(["impact", target], cwd=tree)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
