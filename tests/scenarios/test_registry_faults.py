"""Every registry command against a misbehaving server on 127.0.0.1: exit 4 within the
command's deadline, no traceback, no secret in any output, nothing half-written."""

from __future__ import annotations

import base64
import gc
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scenarios.fault_registry import Fault, FaultRegistry

USER, PASSWORD = "alice", "s3/cr#t?pw"  # characters a URL parser would split on
SECRETS = (
    PASSWORD,
    f"{USER}:{PASSWORD}",
    base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
)
DEADLINE = 4.0
COMMANDS = {
    "ls": ["registry", "ls"],
    "show": ["registry", "show", "orders.placed-value"],
    "pull": ["registry", "pull", "--out", "pulled"],
    "publish": ["publish"],
    "check": ["check", "--against", "registry"],
}


@pytest.fixture(autouse=True)
def _finalise_abandoned_sockets() -> Iterator[None]:
    """A faulty server's half-open connections are abandoned by design; close them here,
    inside the test that made them, rather than as a ResourceWarning in a later test."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _project(root: Path) -> Path:
    (root / "contracts").mkdir(parents=True)
    (root / "contracts" / "placed.avsc").write_text(
        '{"type": "record", "name": "Placed", "namespace": "orders", "fields": []}\n'
    )
    (root / "contracts" / "placed.yaml").write_text(
        "name: orders.Placed\nversion: '1.0.0'\nsummary: An order was placed.\n"
        "schema: {format: avro, file: placed.avsc}\nchannel: orders.placed\n"
        "owner: team-orders\nproducer: order-service\n"
    )
    (root / "contractctl.yaml").write_text(
        "contracts: contracts\n"
        'rules: {CONTRACT_DESCRIPTION_REQUIRED: "off", CONTRACT_EXAMPLE_REQUIRED: "off"}\n'
        f"registry: {{deadline: {DEADLINE}, timeout: 1, retries: 2, backoff: 0.05,"
        " max_retry_wait: 2, max_response_bytes: 1048576}\n"
    )
    return root


@pytest.mark.parametrize("fault", list(Fault))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_registry_command_under_fault(tmp_path: Path, command: str, fault: Fault) -> None:
    project = _project(tmp_path)
    with FaultRegistry(fault) as base:
        url = base.replace("http://", f"http://{USER}:{PASSWORD}@")
        started = time.monotonic()
        result = run_cli([*COMMANDS[command], "--registry", url], cwd=project)
        elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.exit_code == 4, output
    assert elapsed < DEADLINE + 15, f"{elapsed:.1f}s"  # the deadline, plus start-up under load
    assert "Traceback" not in output
    assert "internal error" not in output
    for secret in SECRETS:
        assert secret not in output
    assert not (project / "pulled").exists()  # nothing half-written
    assert not (project / ".contractctl" / "registry").exists()  # no embedded registry made
