"""A new major version is its own line, end to end on the embedded registry.

v1 is published; v2 breaks it with a major bump on the same channel; ``check`` passes (against
the tree and against the registry), ``publish`` registers v2 under the ``-v2`` subject while
v1's subject keeps its version, and v1's consumers are still named by its contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import run_cli

V1 = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}},
    "required": ["id"],
    "additionalProperties": False,
}
V2 = {**V1, "required": ["id", "amount"]}  # breaking: old data may lack `amount`


def _contract(root: Path, version: str, schema: dict[str, Any], consumer: str) -> None:
    major = version.split(".", maxsplit=1)[0]
    folder = root / "contracts" / "shop"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"order.v{major}.json").write_text(json.dumps(schema), encoding="utf-8")
    contract = {
        "name": "shop.OrderPlaced",
        "version": version,
        "summary": "An order was placed.",
        "description": "Emitted once per accepted checkout.",
        "owner": "team-shop",
        "producer": "shop-service",
        "channel": "shop.order-placed",
        "schema": {"format": "jsonschema", "file": f"order.v{major}.json"},
        "consumers": [{"service": consumer, "purpose": "Bill it."}],
    }
    (folder / f"order.v{major}.yaml").write_text(yaml.safe_dump(contract), encoding="utf-8")


def test_major_version_is_a_new_line_from_check_to_publish(tmp_path: Path) -> None:
    (tmp_path / "contractctl.yaml").write_text(
        "contracts: contracts\nregistry: {major_subject_suffix: '-v{major}'}\n", encoding="utf-8"
    )
    _contract(tmp_path, "1.0.0", V1, "billing")
    assert run_cli(["publish"], cwd=tmp_path).exit_code == 0

    _contract(tmp_path, "2.0.0", V2, "billing-v2")
    tree = run_cli(["check"], cwd=tmp_path)
    assert tree.exit_code == 0, tree.stdout
    registry = run_cli(["check", "--against", "registry"], cwd=tmp_path)
    assert registry.exit_code == 0, registry.stdout

    published = run_cli(["publish", "--format", "json"], cwd=tmp_path)
    assert published.exit_code == 0, published.stdout + published.stderr
    outcomes = {o["subject"]: o for o in json.loads(published.stdout)["outcomes"]}
    assert outcomes["shop.order-placed-v2-value"]["action"] == "registered"
    assert outcomes["shop.order-placed-value"]["action"] == "unchanged"

    shown = run_cli(
        ["registry", "show", "shop.order-placed-value", "--format", "json"], cwd=tmp_path
    )
    assert shown.exit_code == 0, shown.stderr
    assert len(json.loads(shown.stdout)["versions"]) == 1  # v1's line is untouched
    v1 = yaml.safe_load((tmp_path / "contracts" / "shop" / "order.v1.yaml").read_text())
    assert [c["service"] for c in v1["consumers"]] == ["billing"]


def test_one_subject_for_every_major_by_default(tmp_path: Path) -> None:
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    _contract(tmp_path, "1.0.0", V1, "billing")
    assert run_cli(["publish"], cwd=tmp_path).exit_code == 0
    _contract(tmp_path, "2.0.0", V2, "billing")
    refused = run_cli(["publish"], cwd=tmp_path)
    assert refused.exit_code == 1  # the registry's single line refuses the break
