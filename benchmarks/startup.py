"""Benchmark: what a small-repo CI gate costs beyond starting Python.

Times ``contractctl check``, ``validate`` and ``diff`` on the bundled contracts beside ``python
-c pass``, ``python -c "import yaml, json"`` (the floor a YAML tool cannot go below) and the
product's fixed stack imported alone (PyYAML, jsonschema-rs and fastavro, which the bundled
JSON Schema and Avro contracts need, then typer), interleaved round by round so machine load
hits every command alike. It reports the children's CPU time (user + system, from ``wait4``),
which load on a shared machine disturbs far less than wall time: best and median of
``--rounds``. Then it lists ``-X importtime``'s top entries for ``check`` and the heavy
packages a clean check must not import. The package is compiled to bytecode first, as an
installed wheel is; each command runs once before the rounds (filling the parse cache, as an
earlier run would have) and ``check --no-cache`` is timed beside ``check``.

    .venv/bin/python benchmarks/startup.py [--rounds 15] [--top 15]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import contractctl

REPO = Path(__file__).resolve().parents[1]
# Kept off the path of a clean check/validate: each costs tens of ms to import.
HEAVY = ("pydantic", "rich", "httpx", "jinja2", "jsonschema", "typer._adapters")
STACK = "python -c 'import yaml, jsonschema_rs, fastavro'"
STACK_CLI = "python -c 'import yaml, jsonschema_rs, fastavro, typer'"
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def commands() -> dict[str, list[str]]:
    exe = shutil.which("contractctl") or str(Path(sys.executable).parent / "contractctl")
    py = sys.executable
    old = "contracts/orders/schemas/order-placed.v1.json"
    new = "contracts/orders/schemas/order-placed.v1.1.json"
    return {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import yaml, json'": [py, "-c", "import yaml, json"],
        # What a check of the bundled tree cannot avoid importing on the product's fixed
        # stack: the YAML parser and both schema libraries (the tree holds JSON Schema and
        # Avro contracts), then the CLI framework. Nothing contractctl does can cost less.
        STACK: [py, "-c", "import yaml, jsonschema_rs, fastavro"],
        STACK_CLI: [py, "-c", "import yaml, jsonschema_rs, fastavro, typer"],
        "contractctl check": [exe, "check"],
        "contractctl check --no-cache": [exe, "check", "--no-cache"],
        "contractctl validate": [exe, "validate"],
        "contractctl diff": [exe, "diff", old, new],
        "contractctl --version": [exe, "--version"],
    }


def cpu_time(cmd: list[str]) -> tuple[float, int]:
    """(user + system CPU seconds of the child, exit code)."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, proc.returncode


def import_profile(cmd: list[str], top: int) -> tuple[list[tuple[int, str]], set[str]]:
    """``-X importtime`` of ``cmd``: the ``top`` costliest top-level imports, every module."""
    # The console script is a Python file: run it under this interpreter with the flag.
    argv = [sys.executable, "-X", "importtime", *cmd]
    proc = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    rows = []
    modules = set()
    for line in proc.stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            modules.add(m[4])
            if len(m[3]) == 1:
                rows.append((int(m[2]), m[4]))
    rows.sort(reverse=True)
    return rows[:top], modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    # An installed wheel carries bytecode; an editable checkout under PYTHONDONTWRITEBYTECODE
    # (as on the project's machine) would compile every module on every run, a third more.
    compileall.compile_dir(str(Path(contractctl.__file__).parent), quiet=1)
    cmds = commands()
    # A first run of each fills the parse cache (.contractctl/cache), as an earlier CI run
    # or the developer's last run would have; --no-cache is timed beside it.
    for cmd in cmds.values():
        cpu_time(cmd)
    samples: dict[str, list[float]] = {name: [] for name in cmds}
    codes: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, cmd in cmds.items():  # interleaved: load drifts hit every command alike
            seconds, code = cpu_time(cmd)
            samples[name].append(seconds)
            codes[name] = code
    best = {name: min(s) * 1000 for name, s in samples.items()}
    median = {name: statistics.median(s) * 1000 for name, s in samples.items()}
    bare = best["python -c pass"]
    result: dict[str, object] = {
        "rounds": args.rounds,
        "cpu_ms_best": {k: round(v, 1) for k, v in best.items()},
        "cpu_ms_median": {k: round(v, 1) for k, v in median.items()},
        "exit_codes": codes,
        "over_python_ms_best": {
            k: round(v - bare, 1) for k, v in best.items() if k.startswith("contractctl")
        },
        "stack_floor_over_python_ms_best": {
            k: round(best[k] - bare, 1) for k in (STACK, STACK_CLI)
        },
        "ratio_to_python_best": {
            k: round(v / bare, 2) for k, v in best.items() if k.startswith("contractctl")
        },
    }
    for name in ("contractctl check", "contractctl validate"):
        top, modules = import_profile(cmds[name], args.top)
        heavy = {h for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}
        result[f"{name}: heavy imports"] = sorted(heavy)
        if name == "contractctl check":
            result["check: -X importtime top (cumulative us)"] = [f"{us:>8} {m}" for us, m in top]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
