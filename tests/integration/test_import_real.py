"""import registry and registry diff against a real schema registry (Karapace on 127.0.0.1).

`.ci/run` starts it and sets CONTRACTCTL_TEST_REGISTRY_URL; without it these tests skip with
that reason. The estate of the unit tests is replayed under a fresh prefix per run.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import run_cli
from tests.unit.adoption.estate import estate

from contractctl.adapters.registry.store import LocalStore

URL = (os.environ.get("CONTRACTCTL_TEST_REGISTRY_URL") or "").rstrip("/")
WHY_NOT = os.environ.get("CONTRACTCTL_TEST_REGISTRY_UNAVAILABLE") or (
    "CONTRACTCTL_TEST_REGISTRY_URL is not set (.ci/run starts Karapace and sets it)"
)
pytestmark = [pytest.mark.registry, pytest.mark.skipif(not URL, reason=WHY_NOT)]
HEADERS = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def _call(method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{URL}{path}", json=body, headers=HEADERS, timeout=30)
    if method == "DELETE" and response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


def _replay(store: LocalStore, prefix: str) -> None:
    """Register the store's subjects under ``prefix.``, versions in order, levels last."""
    referenced = {r.subject for s in store.subjects() for n in store.versions(s)
                  for r in (store.version(s, n) or ()).references}  # fmt: skip
    for subject in sorted(store.subjects(), key=lambda s: (s not in referenced, s)):
        target = f"{prefix}.{subject}"
        _call("PUT", f"/config/{target}", {"compatibility": "NONE"})
        for number in store.versions(subject):
            v = store.version(subject, number)
            assert v is not None
            body: dict[str, Any] = {"schema": v.schema}
            if v.schema_type != "AVRO":
                body["schemaType"] = v.schema_type
            if v.references:
                body["references"] = [
                    {"name": r.name, "subject": f"{prefix}.{r.subject}", "version": r.version}
                    for r in v.references
                ]
            _call("POST", f"/subjects/{target}/versions", body)
        level = store.subject_level(subject)
        if level:
            _call("PUT", f"/config/{target}", {"compatibility": level})
        else:
            _call("DELETE", f"/config/{target}")


def test_import_from_a_real_registry_then_diff_and_check(tmp_path: Path) -> None:
    prefix = f"it{uuid.uuid4().hex[:10]}"
    _replay(estate(), prefix)
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n")
    args = ["import", "registry", "--registry", URL, "--subject", f"{prefix}.*", "-o", "contracts"]
    first = run_cli([*args, "-f", "json"], cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["contracts"] == 7
    assert report["major_versions"] == [
        f"{prefix}.audit-log-value v2 → 2.0.0",
        f"{prefix}.orders.order-placed-value v3 → 2.0.0",
    ]
    again = json.loads(run_cli([*args, "-f", "json"], cwd=tmp_path).stdout)
    assert set(again["files"].values()) == {"unchanged"}

    diff = run_cli(["registry", "diff", "--registry", URL, "-f", "json"], cwd=tmp_path)
    items = json.loads(diff.stdout)["items"]
    mine = [i for i in items if i["subject"].startswith(prefix)]
    assert {i["kind"] for i in mine} == {"in-sync"}, mine
    assert len(mine) == 7

    checked = run_cli(
        ["check", "--against", "registry", "--registry", URL, "-f", "json", "--fail-on", "never"],
        cwd=tmp_path,
    )
    breaks = {
        (f["rule_id"], Path(f["file"]).name)
        for f in json.loads(checked.stdout)["findings"]
        if f["severity"] == "error" and not f["rule_id"].startswith("CONTRACT_")
    }
    # Every imported version is one the registry holds: none is judged again at today's
    # level (the break it took under NONE included), so the gate reports no change.
    assert breaks == set()
