"""kill -9 in the middle of `publish` and `registry pull` (embedded registry): afterwards
the registry is readable and complete, no file is torn, and a rerun converges."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

EVENTS = 60
KILLS = 5


def _project(root: Path) -> Path:
    contracts = root / "contracts"
    contracts.mkdir(parents=True)
    for i in range(EVENTS):
        (contracts / f"e{i}.avsc").write_text(
            json.dumps({"type": "record", "name": f"E{i}", "namespace": "k", "fields": []})
        )
        (contracts / f"e{i}.yaml").write_text(
            f"name: k.E{i}\nversion: '1.0.0'\nsummary: s\n"
            f"schema: {{format: avro, file: e{i}.avsc}}\nchannel: k.e{i}\n"
            "owner: t\nproducer: p\n"
        )
    (root / "contractctl.yaml").write_text(
        "contracts: contracts\n"
        'rules: {CONTRACT_DESCRIPTION_REQUIRED: "off", CONTRACT_EXAMPLE_REQUIRED: "off"}\n'
    )
    return root


def _kill_when(args: list[str], cwd: Path, started: Callable[[], bool], extra: float) -> None:
    """Run the command; kill -9 it ``extra`` seconds after ``started()`` first holds."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "contractctl", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and not started() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(extra)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)


def _staging(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith(".pulled.")]


def _count(folder: Path) -> int:
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def _registry_is_whole(root: Path) -> list[int]:
    ids = []
    for file in (root / ".contractctl" / "registry" / "subjects").rglob("*.json"):
        if file.name.startswith(".tmp-"):
            continue  # a killed write's temp file: never read by the registry
        data = json.loads(file.read_text())  # a torn file would not parse
        if file.name.startswith("v"):
            ids.append(data["id"])
    return ids


@pytest.mark.slow
def test_kill_during_publish_then_rerun_converges(tmp_path: Path) -> None:
    project = _project(tmp_path)
    rng = random.Random(15)
    subjects = project / ".contractctl" / "registry" / "subjects"
    for _ in range(KILLS):
        before = _count(subjects)
        _kill_when(
            ["publish"], project, lambda n=before: _count(subjects) > n, rng.uniform(0, 0.05)
        )
        ids = _registry_is_whole(project)
        assert len(ids) == len(set(ids))  # no id given twice
    rerun = run_cli(["publish"], cwd=project)
    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr
    ids = _registry_is_whole(project)
    assert len(set(ids)) == len(ids) == EVENTS  # an id taken by a killed run is just skipped
    assert all(sorted(p.name for p in s.glob("v*.json")) == ["v1.json"] for s in subjects.iterdir())


@pytest.mark.slow
def test_kill_during_pull_leaves_the_old_baseline_or_none(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert run_cli(["publish"], cwd=project).exit_code == 0
    rng = random.Random(16)
    out = project / "pulled"
    for _ in range(KILLS):
        old = set(_staging(project))
        _kill_when(
            ["registry", "pull", "--out", "pulled"],
            project,
            lambda seen=old: bool(set(_staging(project)) - seen),
            rng.uniform(0, 0.03),
        )
        if out.exists():
            assert (out / "index.json").is_file()  # never a partial baseline under the name
            for file in out.rglob("*.avsc"):
                json.loads(file.read_text())
    assert run_cli(["registry", "pull", "--out", "pulled"], cwd=project).exit_code == 0
    assert _staging(project) == []  # a later pull clears what killed ones left
    check = run_cli(["check", "--against", "pulled"], cwd=project)
    assert check.exit_code == 0, check.stdout + check.stderr
