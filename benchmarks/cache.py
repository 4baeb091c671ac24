"""Benchmark: a second full run with the cache, beside the first and beside no cache.

Generates a repository (``docs.py``'s generator: events × 4 versions, half JSON Schema, half
Avro, inline schemas, consumers), then times ``check`` and ``validate`` as the CLI runs them:
``--no-cache``; a first run on an empty ``.contractctl/cache`` (it fills it); a second run
(the tree unchanged: the report is recalled once every file it rests on is found unchanged);
a run after one contract was edited (the report is made again, other parses recalled).
CPU time of the child (user + system, from ``wait4``), interleaved round by round so machine
load hits every variant alike; best of ``--rounds``. The reports of all four are compared
byte for byte.

    .venv/bin/python benchmarks/cache.py [--contracts 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docs import generate  # the sibling benchmark's generator

BIN = Path(sys.executable).parent


def cpu(cmd: list[str], cwd: Path) -> tuple[float, bytes]:
    # The cache is off by default where CI is set: measure it as a developer's machine runs.
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, object] = {"contracts": args.contracts}
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        generate(repo / "contracts", args.contracts)
        (repo / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
        cache = repo / ".contractctl" / "cache"
        edited = min((repo / "contracts").rglob("*.yaml"))
        for command in ("validate", "check"):
            base = [str(BIN / "contractctl"), command, "--format", "json", "--fail-on", "never"]
            times: dict[str, list[float]] = {
                "no_cache": [],
                "first": [],
                "second": [],
                "one_edited": [],
            }
            outputs = set()
            for _ in range(args.rounds):
                seconds, out = cpu([*base, "--no-cache"], repo)
                times["no_cache"].append(seconds)
                outputs.add(out)
                shutil.rmtree(cache, ignore_errors=True)
                for run in ("first", "second"):
                    seconds, out = cpu(base, repo)
                    times[run].append(seconds)
                    outputs.add(out)
                # One contract edited (a comment: same findings): the report cannot be reused,
                # the run is made in full with every other parse recalled.
                text = edited.read_text(encoding="utf-8")
                edited.write_text(text + "# edited\n", encoding="utf-8")
                seconds, out = cpu(base, repo)
                edited.write_text(text, encoding="utf-8")
                times["one_edited"].append(seconds)
                outputs.add(out)
            best = {k: min(v) for k, v in times.items()}
            result[command] = {
                **{f"{k}_cpu_s": round(v, 2) for k, v in best.items()},
                "first_over_second": round(best["first"] / best["second"], 2),
                "no_cache_over_second": round(best["no_cache"] / best["second"], 2),
                "reports_identical": len(outputs) == 1,
            }
        entries = list((cache / "v1").iterdir())
        result["cache_entries"] = len(entries)
        result["cache_mb"] = round(sum(e.stat().st_size for e in entries) / 1e6, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
