"""The registry round trips a user depends on, against a real schema registry server.

`.ci/run` starts Karapace on 127.0.0.1 (../shared/karapace) and sets
CONTRACTCTL_TEST_REGISTRY_URL; without it these tests skip with that reason. Every test
works under its own channel prefix, so runs never see each other's subjects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import CONTRACTS, REPO, run_cli, shared_dir

URL = (os.environ.get("CONTRACTCTL_TEST_REGISTRY_URL") or "").rstrip("/")
# .ci/run says why the server is missing; by hand, the reason is the unset variable.
WHY_NOT = os.environ.get("CONTRACTCTL_TEST_REGISTRY_UNAVAILABLE") or (
    "CONTRACTCTL_TEST_REGISTRY_URL is not set (.ci/run starts Karapace and sets it)"
)
pytestmark = [pytest.mark.registry, pytest.mark.skipif(not URL, reason=WHY_NOT)]
# Minimal test contracts leave out what governance asks for; only compatibility is under test.
CONFIG = (
    "contracts: contracts\ncompatibility: BACKWARD\n"
    'rules: {CONTRACT_DESCRIPTION_REQUIRED: "off", CONTRACT_EXAMPLE_REQUIRED: "off"}\n'
)
LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)


def _get(path: str) -> Any:
    response = httpx.get(f"{URL}{path}", timeout=30)
    response.raise_for_status()
    return response.json()


def _versions(subject: str) -> list[int]:
    response = httpx.get(f"{URL}/subjects/{subject}/versions", timeout=30)
    return [] if response.status_code == 404 else list(response.json())


def _prefix() -> str:
    return f"it{uuid.uuid4().hex[:10]}"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _bundled(tmp: Path, prefix: str) -> Path:
    """The bundled contracts, every channel moved under ``prefix``."""
    shutil.copytree(CONTRACTS, tmp / "contracts")
    shutil.copy(REPO / "contractctl.yaml", tmp / "contractctl.yaml")
    for contract in (tmp / "contracts").rglob("*.yaml"):
        text = contract.read_text(encoding="utf-8").replace("\nchannel: ", f"\nchannel: {prefix}.")
        contract.write_text(text, encoding="utf-8")
    return tmp


def _avro_contract(name: str, version: str, channel: str, schema: str, **extra: str) -> str:
    lines = [
        f"name: {name}",
        f'version: "{version}"',
        "summary: An integration-test event.",
        "schema:",
        "  format: avro",
        f"  file: {schema}",
        *(f"  {k}: {v}" for k, v in extra.items() if k == "references"),
        f"channel: {channel}",
        "owner: team-it",
        "producer: it-service",
        *(f"{k}: {v}" for k, v in extra.items() if k != "references"),
    ]
    return "\n".join(lines) + "\n"


def _paid_project(tmp: Path, prefix: str) -> Path:
    """The issue's repro: Paid 1.0.0 and 1.1.0 (drops `note`), both using a shared Money."""
    money = {
        "type": "record",
        "name": "Money",
        "namespace": f"com.acme.{prefix}",
        "fields": [
            {"name": "amount_minor", "type": "long"},
            {"name": "currency", "type": "string"},
        ],
    }
    _write(tmp / "contracts/common/Money.avsc", json.dumps(money, indent=2))
    fields = [
        {"name": "id", "type": "string"},
        {"name": "amount", "type": f"com.acme.{prefix}.Money"},
    ]
    v1 = {"type": "record", "name": "Paid", "namespace": "com.acme", "fields": fields}
    v1["fields"] = [*fields, {"name": "note", "type": "string"}]
    v11 = {"type": "record", "name": "Paid", "namespace": "com.acme", "fields": fields}
    _write(tmp / "contracts/pay/Paid.v1.avsc", json.dumps(v1, indent=2))
    _write(tmp / "contracts/pay/Paid.v1.1.avsc", json.dumps(v11, indent=2))
    for version, schema in (("1.0.0", "Paid.v1.avsc"), ("1.1.0", "Paid.v1.1.avsc")):
        _write(
            tmp / f"contracts/pay/paid.v{version}.yaml",
            _avro_contract(
                "pay.Paid",
                version,
                f"{prefix}.pay.paid",
                schema,
                references="[../common/Money.avsc]",
                compatibility="BACKWARD",
            ),
        )
    _write(tmp / "contractctl.yaml", CONFIG)
    return tmp


def _findings(result_stdout: str) -> list[tuple[str, str | None, str | None]]:
    report = json.loads(result_stdout)
    return sorted(
        (f["rule_id"], f.get("file"), f.get("pointer") or f.get("path")) for f in report["findings"]
    )


def test_avro_with_references_is_recognised_as_registered(tmp_path: Path) -> None:
    """Regression: the lookup lacked references and raw text never matched the server's."""
    prefix = _prefix()
    project = _paid_project(tmp_path, prefix)
    published = run_cli(["publish", "--registry", URL], cwd=project)
    assert published.exit_code == 0, published.stdout + published.stderr
    checked = run_cli(["check", "--against", "registry", "--registry", URL], cwd=project)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" not in checked.stdout


def test_publish_republish_check_break(tmp_path: Path) -> None:
    prefix = _prefix()
    project = _bundled(tmp_path, prefix)
    first = run_cli(["publish", "--registry", URL], cwd=project)
    assert first.exit_code == 0, first.stdout + first.stderr
    subjects = sorted(s for s in _get("/subjects") if s.startswith(prefix))
    held = {s: _versions(s) for s in subjects}
    assert len(subjects) == 9
    assert held[f"{prefix}.orders.order-placed-value"] == [1, 2]

    again = run_cli(["publish", "--registry", URL], cwd=project)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "registered" not in again.stdout.replace("not registered", "")
    assert {s: _versions(s) for s in subjects} == held  # the server holds no new version

    clean = run_cli(["check", "--against", "registry", "--registry", URL], cwd=project)
    assert clean.exit_code == 0, clean.stdout + clean.stderr

    placed = project / "contracts/orders/schemas/order-placed.v1.1.json"
    schema = json.loads(placed.read_text(encoding="utf-8"))
    quantity = schema["definitions"]["OrderLine"]["properties"]["quantity"]
    quantity["type"] = "string"
    quantity.pop("minimum", None)
    placed.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    broken = run_cli(["check", "--against", "registry", "--registry", URL], cwd=project)
    assert broken.exit_code == 1, broken.stdout + broken.stderr
    assert "TYPE_CHANGED" in broken.stdout
    assert "#/properties/lines/items/properties/quantity" in broken.stdout


def test_pulled_baseline_gives_the_registry_verdicts(tmp_path: Path) -> None:
    """Regression: a pulled folder judged 1.0.0 against its own later version."""
    prefix = _prefix()
    project = _bundled(tmp_path / "bundled", prefix)
    assert run_cli(["publish", "--registry", URL], cwd=project).exit_code == 0
    subjects = [s for s in _get("/subjects") if s.startswith(prefix)]
    pulled = run_cli(
        ["registry", "pull", "--registry", URL, "--out", str(project / "pulled"), *subjects],
        cwd=project,
    )
    assert pulled.exit_code == 0, pulled.stdout + pulled.stderr
    live = run_cli(
        ["check", "--against", "registry", "--registry", URL, "-f", "json", "--show-compatible"],
        cwd=project,
    )
    local = run_cli(
        ["check", "--against", str(project / "pulled"), "-f", "json", "--show-compatible"],
        cwd=project,
    )
    assert live.exit_code == local.exit_code == 0, live.stdout + local.stdout
    assert _findings(live.stdout) == _findings(local.stdout)


def test_every_level_is_set_on_its_subject(tmp_path: Path) -> None:
    prefix = _prefix()
    schema = {"type": "record", "name": "E", "namespace": "it", "fields": []}
    _write(tmp_path / "contracts/e.avsc", json.dumps(schema))
    for level in LEVELS:
        _write(
            tmp_path / f"contracts/{level.lower()}.yaml",
            _avro_contract(
                f"it.Level{level.title().replace('_', '')}",
                "1.0.0",
                f"{prefix}.{level.lower()}",
                "e.avsc",
                compatibility=level,
            ),
        )
    _write(tmp_path / "contractctl.yaml", CONFIG)
    result = run_cli(["publish", "--registry", URL], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    for level in LEVELS:
        config = _get(f"/config/{prefix}.{level.lower()}-value?defaultToGlobal=true")
        assert config["compatibilityLevel"] == level


def test_server_verify_names_a_karapace_deviation_as_the_servers(tmp_path: Path) -> None:
    """Karapace ignores `enum` beside `type`: narrowing it is compatible to Karapace only."""
    prefix = _prefix()
    for version, values in (("1.0.0", ["A", "B"]), ("1.1.0", ["A"])):
        schema = {
            "type": "object",
            "properties": {"kind": {"type": "string", "enum": values}},
            "additionalProperties": False,
        }
        _write(tmp_path / f"contracts/k.v{version}.json", json.dumps(schema))
        _write(
            tmp_path / f"contracts/k.v{version}.yaml",
            "\n".join(
                [
                    "name: it.Kind",
                    f'version: "{version}"',
                    "summary: An integration-test event.",
                    f"schema: {{format: jsonschema, file: k.v{version}.json}}",
                    f"channel: {prefix}.kind",
                    "owner: team-it",
                    "producer: it-service",
                ]
            )
            + "\n",
        )
    _write(tmp_path / "contractctl.yaml", CONFIG)
    v1 = tmp_path / "contracts/k.v1.0.0.yaml"
    assert run_cli(["publish", "--registry", URL, str(v1)], cwd=tmp_path).exit_code == 0
    result = run_cli(
        ["check", "--against", "registry", "--registry", URL, "--server-verify", "-f", "json"],
        cwd=tmp_path,
    )
    report = json.loads(result.stdout)
    disagree = [f for f in report["findings"] if f["rule_id"] == "REGISTRY_VERDICT_DISAGREES"]
    assert len(disagree) == 1, result.stdout
    message = disagree[0]["message"]
    assert "the registry judges the schema compatible" in message
    assert "#/properties/kind" in message
    assert "known server deviation: Karapace ignores `enum` beside `type`" in message


def _karapace(*args: str) -> subprocess.CompletedProcess[str]:
    shared = shared_dir()
    assert shared is not None
    return subprocess.run(
        ["bash", str(shared / "karapace" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/karapace to restart the server")
def test_registry_restart_mid_publish_then_rerun_converges(tmp_path: Path) -> None:
    prefix = _prefix()
    count = 150
    for i in range(count):
        schema = {"type": "record", "name": f"R{i}", "namespace": "it", "fields": []}
        _write(tmp_path / f"contracts/r{i}.avsc", json.dumps(schema))
        _write(
            tmp_path / f"contracts/r{i}.yaml",
            _avro_contract(f"it.R{i}", "1.0.0", f"{prefix}.r{i}", f"r{i}.avsc"),
        )
    _write(
        tmp_path / "contractctl.yaml",
        "contracts: contracts\ncompatibility: BACKWARD\nregistry: {retries: 1, timeout: 3}\n",
    )
    publish = subprocess.Popen(
        [sys.executable, "-m", "contractctl", "publish", "--registry", URL],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        stopped = _karapace("stop.sh", "--registry-only", "--kill")
        assert stopped.returncode == 0, stopped.stderr
        out, err = publish.communicate(timeout=240)
    finally:
        started = _karapace("start.sh", "--registry-only")
    assert started.returncode == 0, started.stderr
    if publish.returncode == 0:
        pytest.skip("publish finished before the registry went down (machine too fast)")
    assert publish.returncode == 4, out + err
    assert "Traceback" not in err
    rerun = run_cli(["publish", "--registry", URL], cwd=tmp_path)
    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr
    for i in range(count):
        assert _versions(f"{prefix}.r{i}-value") == [1]  # no duplicate, nothing missing
