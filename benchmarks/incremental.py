"""Benchmark: a pull request touching 3 contracts of a 20,000-contract repository.

Generates the repository (``docs.py``'s generator: 5,000 events × 4 versions, half JSON
Schema, half Avro, consumers, compensation, deprecations), commits it, then edits the latest
version of 3 events (a new required field: a break). Times, as the CLI runs them, in one
run: ``check --against git:main`` (incremental, the default) and ``check --against git:main
--all`` (the full run), wall and CPU time; checks that the incremental findings are exactly
the full run's findings for the judged events; then the cost of rendering 40,000 findings
as text (the plain writer) against the full check's time, and ``validate --changed-since``.

    .venv/bin/python benchmarks/incremental.py [--contracts 20000] [--changed 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docs import generate  # the sibling benchmark's generator

BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the child, exit code, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), out.decode()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=b@example.com", "-c", "user.name=bench", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def edit(repo: Path, changed: int) -> list[str]:
    """Give the latest version of ``changed`` events a new required field; their names."""
    files = sorted((repo / "contracts").rglob("*.v1.3.0.yaml"))
    step = max(len(files) // changed, 1)
    names = []
    for path in files[::step][:changed]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema = doc["schema"]["inline"]
        if doc["schema"]["format"] == "avro":
            schema["fields"].append({"name": "added_in_pr", "type": "string"})
        else:
            schema["properties"]["added_in_pr"] = {"type": "string"}
            schema["required"].append("added_in_pr")
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        names.append(doc["name"])
    return names


def key(f: dict[str, object]) -> str:
    return json.dumps(f, sort_keys=True)


def text_cost(repo: Path, findings: int) -> tuple[float, float, int]:
    """(full check s, rendering ``findings`` findings as text s, findings) in this process."""
    from contractctl.app.check import CheckRequest, check
    from contractctl.cli.text_report import render_text
    from contractctl.core.contract.config import load_config

    cwd = Path.cwd()
    os.chdir(repo)
    try:
        start = time.process_time()
        report = check(CheckRequest(config=load_config(root=repo), all=True)).report
        checked = time.process_time() - start
    finally:
        os.chdir(cwd)
    base = report.findings or []
    many = [base[i % len(base)] for i in range(findings)] if base else []
    big = replace(report, findings=many)
    sink = io.StringIO()  # not a terminal: the plain writer, as in CI logs
    start = time.process_time()
    render_text(big, stream=sink)
    return checked, time.process_time() - start, len(many)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20000)
    parser.add_argument("--changed", type=int, default=3)
    parser.add_argument("--findings", type=int, default=40000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        generate(repo / "contracts", args.contracts)
        (repo / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "history")
        names = edit(repo, args.changed)
        exe = str(BIN / "contractctl")
        base = [exe, "check", "--against", "git:main", "--format", "json", "--fail-on", "never"]
        inc_wall, inc_cpu, inc_code, inc_out = run(base, repo)
        full_wall, full_cpu, full_code, full_out = run([*base, "--all"], repo)
        val = [exe, "validate", "--changed-since", "main", "--format", "json", "--fail-on", "never"]
        val_wall, val_cpu, _, _ = run(val, repo)
        inc, full = json.loads(inc_out), json.loads(full_out)
        judged = set(inc["summary"].get("judged_events", []))
        expected = sorted(key(f) for f in full["findings"] if f.get("event") in judged)
        exact = sorted(map(key, inc["findings"])) == expected and set(names) <= judged
        checked_s, render_s, rendered = text_cost(repo, args.findings)
    result = {
        "contracts": args.contracts,
        "changed_events": names,
        "incremental_check": {"wall_s": round(inc_wall, 2), "cpu_s": round(inc_cpu, 2)},
        "full_check": {"wall_s": round(full_wall, 2), "cpu_s": round(full_cpu, 2)},
        "validate_changed_since": {"wall_s": round(val_wall, 2), "cpu_s": round(val_cpu, 2)},
        "full_over_incremental_cpu": round(full_cpu / inc_cpu, 1),
        "findings_full": len(full["findings"]),
        "findings_incremental": len(inc["findings"]),
        "incremental_equals_full_for_judged_events": exact,
        "exit_codes": [inc_code, full_code],
        "text_report": {
            "findings": rendered,
            "render_cpu_s": round(render_s, 3),
            "full_check_cpu_s_in_process": round(checked_s, 2),
            "share_of_check": f"{100 * render_s / checked_s:.1f}%",
        },
    }
    print(json.dumps(result, indent=2))
    return 0 if exact and inc_wall < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
