"""registry diff: in sync after publish or import; each kind of drift found and exit 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.store import LocalStore
from tests.conftest import CONTRACTS, REPO, run_cli
from tests.unit.adoption.estate import estate


def _project(tmp_path: Path) -> Path:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    shutil.copy(REPO / "contractctl.yaml", tmp_path / "contractctl.yaml")
    assert run_cli(["publish"], cwd=tmp_path).exit_code == 0
    return tmp_path


def _diff(project: Path) -> tuple[int, dict[str, object]]:
    result = run_cli(["registry", "diff", "--format", "json"], cwd=project)
    return result.exit_code, json.loads(result.stdout)


def test_published_contracts_are_in_sync(tmp_path: Path) -> None:
    code, report = _diff(_project(tmp_path))
    assert code == 0
    assert report["in_sync"] is True
    # The Avro named type published as its own subject is a reference, not an orphan.
    assert report["counts"] == {
        "in-sync": 11,
        "not-registered": 0,
        "level-differs": 0,
        "no-contract": 0,
    }


def test_each_kind_of_drift_is_reported_and_fails(tmp_path: Path) -> None:
    project = _project(tmp_path)
    store = LocalStore(project / ".contractctl/registry")
    store.set_level("orders.order-placed-value", "NONE")
    store.register("legacy-value", SchemaSubmission.of({"type": "object"}, "JSON"))
    schema = project / "contracts/orders/schemas/order-cancelled.json"
    document = json.loads(schema.read_text())
    document["description"] = "edited after publishing"
    schema.write_text(json.dumps(document))
    code, report = _diff(project)
    assert code == 1
    drift = {
        (i["kind"], i["subject"], i["contract"])
        for i in report["items"]  # type: ignore[attr-defined]
        if i["kind"] != "in-sync"
    }
    assert drift == {
        ("level-differs", "orders.order-placed-value", "orders.OrderPlaced@1.0.0"),
        ("level-differs", "orders.order-placed-value", "orders.OrderPlaced@1.1.0"),
        ("not-registered", "orders.order-cancelled-value", "orders.OrderCancelled@1.0.0"),
        ("no-contract", "legacy-value", None),
    }
    text = run_cli(["registry", "diff"], cwd=project)
    assert text.exit_code == 1
    assert "4 differences between 11 contracts" in text.stdout
    markdown = run_cli(["registry", "diff", "-f", "markdown"], cwd=project).stdout
    assert "| no-contract | legacy-value | – |" in markdown


def test_an_imported_registry_is_in_sync_with_its_contracts(tmp_path: Path) -> None:
    estate(LocalStore(tmp_path / "reg"))
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\nregistry:\n  embedded: reg\n")
    assert run_cli(["import", "registry", "-o", "contracts"], cwd=tmp_path).exit_code == 0
    code, report = _diff(tmp_path)
    assert report["counts"]["in-sync"] == 7  # type: ignore[index]
    assert code == 0, report
