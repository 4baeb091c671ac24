"""kill -9 in the middle of `docs build` and `codegen`: afterwards every file in the output
folder is either absent or whole (byte-equal to what a finished run writes), never empty or
torn; the folder says it is incomplete; a rerun converges to the finished output."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contractctl.adapters.safe_write import INCOMPLETE_MARKER
from tests.conftest import run_cli

EVENTS = 60
KILLS = 6


def _project(root: Path, events: int = EVENTS) -> Path:
    contracts = root / "contracts"
    contracts.mkdir(parents=True)
    for i in range(events):
        schema = {
            "type": "object",
            "properties": {f"f{j}": {"type": "string", "maxLength": j + 1} for j in range(8)},
        }
        (contracts / f"e{i}.json").write_text(json.dumps(schema), encoding="utf-8")
        (contracts / f"e{i}.yaml").write_text(
            f"name: k.E{i}\nversion: '1.0.0'\nsummary: s\n"
            f"schema: {{format: jsonschema, file: e{i}.json}}\nchannel: k.e{i}\n"
            f"owner: t\nproducer: p{i % 7}\nconsumers: [{{service: c{i % 5}}}]\n",
            encoding="utf-8",
        )
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
        and not p.name.startswith(".contractctl-tmp-")
        and p.name != INCOMPLETE_MARKER
    }


def _kill_after_start(args: list[str], cwd: Path, out: Path, extra: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "contractctl", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if (out / INCOMPLETE_MARKER).exists():
            break
        time.sleep(0.0005)
    time.sleep(extra)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)


# (args, events, longest wait after writing starts): codegen plans first and writes in a
# burst of a few milliseconds, so its project is bigger to give a kill something to land in.
CASES = [
    pytest.param(["docs", "build", "--out", "out"], EVENTS, 0.4, id="docs-html"),
    pytest.param(
        ["docs", "build", "--format", "markdown", "--out", "out"], EVENTS, 0.4, id="docs-md"
    ),
    pytest.param(["codegen", "python", "--out", "out"], 6 * EVENTS, 0.01, id="codegen"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "events", "wait"), CASES)
def test_kill_leaves_whole_files_and_a_rerun_converges(
    tmp_path: Path, args: list[str], events: int, wait: float
) -> None:
    project = _project(tmp_path / "p", events)
    # The reference is built in the same project: pages name their source by path.
    assert run_cli([a if a != "out" else "ref" for a in args], cwd=project).exit_code == 0
    want = _files(project / "ref")
    out = project / "out"
    rng = random.Random(" ".join(args))
    interrupted = 0
    # A kill may still land before or after the writing: more kills are made (each
    # checked) until one has landed inside it.
    for attempt in range(KILLS * 4):
        if attempt >= KILLS and interrupted:
            break
        _kill_after_start(args, project, out, rng.uniform(0, wait))
        interrupted += (out / INCOMPLETE_MARKER).exists()
        for name, data in _files(out).items():
            assert data, f"{name} is empty after a kill"
            assert data == want.get(name), f"{name} is torn or foreign after a kill"
    assert interrupted, "no kill landed while the folder was being written"
    rerun = run_cli(args, cwd=project)
    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr
    assert _files(out) == want
    leftovers = [p.name for p in out.rglob(".contractctl-tmp-*")]
    leftovers += [p.name for p in out.rglob(INCOMPLETE_MARKER)]
    assert leftovers == [], leftovers
