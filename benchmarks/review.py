"""Benchmark: the cost of field-level consumer impact. ``contractctl check`` on a tree of
2,000 contracts (1,000 events × 2 versions, consecutive schema versions from
../shared/corpus) whose consumers all declare ``reads``, beside the same tree without
``reads``, in one run, interleaved; the target is a ratio of at most 1.2.

Run: python benchmarks/review.py [--events 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "corpus" / "json").is_dir():
        sys.exit(f"skipped: no corpus at {path}/corpus (set CONTRACTCTL_SHARED)")
    return path


def pairs(corpus: Path, count: int) -> list[tuple[Path, Path]]:
    """``count`` consecutive version pairs, round-robin over the schema families."""
    families = sorted(p for p in (corpus / "json").iterdir() if p.is_dir())
    lines = [sorted(f.glob("*.json"), key=lambda p: int(p.stem)) for f in families]
    picked: list[tuple[Path, Path]] = []
    depth = 1
    while len(picked) < count and any(len(v) > depth for v in lines):
        for v in lines:
            if len(v) > depth and len(picked) < count:
                picked.append((v[-depth - 1], v[-depth]))
        depth += 1
    return picked


def fields(path: Path) -> list[str]:
    from contractctl.core.schema.table import field_rows

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return []
    return [r.name for r in field_rows("jsonschema", document)]


def reads_for(old: Path, new: Path) -> list[list[str]]:
    """Three consumers' reads: fields both versions have, spread over the schema."""
    before = set(fields(old))
    after = fields(new)
    common = [f for f in after if f in before] or after[:1]
    return [common[i::3][:3] for i in range(3)]


def build(root: Path, picked: list[tuple[Path, Path]], with_reads: bool) -> None:
    import yaml

    contracts, schemas = root / "contracts", root / "schemas"
    contracts.mkdir(parents=True)
    schemas.mkdir()
    for i, (old, new) in enumerate(picked):
        reads = reads_for(old, new) if with_reads else None
        for version, src in (("1.0.0", old), ("1.1.0", new)):
            copy = schemas / f"s{i:04d}-{version}.json"
            shutil.copyfile(src, copy)
            consumers: list[dict[str, Any]] = []
            for n in range(3):
                consumer: dict[str, Any] = {
                    "service": f"svc-{(i + n) % 50}",
                    "purpose": "Benchmark consumer.",
                    "versions": "1.x",
                }
                if reads is not None:
                    consumer["reads"] = reads[n]
                consumers.append(consumer)
            body = {
                "name": f"bench.Thing{i:04d}Happened",
                "version": version,
                "owner": "team-bench",
                "summary": f"Benchmark event {i}.",
                "description": f"Built from {src.parent.name}/{src.name}.",
                "producer": f"svc-{i % 50}",
                "channel": f"bench.thing-{i:04d}",
                "schema": {"format": "jsonschema", "file": f"../schemas/{copy.name}"},
                "consumers": consumers,
            }
            (contracts / f"event{i:04d}.v{version}.yaml").write_text(
                yaml.safe_dump(body, sort_keys=False), encoding="utf-8"
            )


def timed(cwd: Path) -> tuple[float, dict[str, Any]]:
    exe = Path(sys.executable).parent / "contractctl"
    cmd = [str(exe), "check", "contracts", "--format", "json", "--fail-on", "never"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"check failed ({proc.returncode}): {proc.stderr[:500]}")
    return elapsed, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    picked = pairs(shared() / "corpus", args.events)
    with tempfile.TemporaryDirectory() as tmpdir:
        plain, declared = Path(tmpdir) / "plain", Path(tmpdir) / "reads"
        build(plain, picked, with_reads=False)
        build(declared, picked, with_reads=True)
        times: dict[str, list[float]] = {"plain": [], "reads": []}
        reports: dict[str, dict[str, Any]] = {}
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            for name, root in (("plain", plain), ("reads", declared)):
                elapsed, reports[name] = timed(root)
                times[name].append(elapsed)
    plain_s, reads_s = statistics.median(times["plain"]), statistics.median(times["reads"])
    # The fastest run is the one least disturbed by other work on a shared machine.
    plain_min, reads_min = min(times["plain"]), min(times["reads"])

    def breaking(report: dict[str, Any]) -> int:
        return sum(
            1
            for f in report["findings"]
            if f["severity"] == "error" and "directions" in f.get("details", {})
        )

    result = {
        "contracts": 2 * len(picked),
        "runs": args.runs,
        "check_without_reads_s": round(plain_s, 2),
        "check_with_reads_s": round(reads_s, 2),
        "ratio": round(reads_s / plain_s, 3),
        "fastest_without_reads_s": round(plain_min, 2),
        "fastest_with_reads_s": round(reads_min, 2),
        "ratio_of_fastest": round(reads_min / plain_min, 3),
        "all_runs_s": {k: [round(t, 2) for t in v] for k, v in times.items()},
        "breaking_without_reads": breaking(reports["plain"]),
        "breaking_with_reads": breaking(reports["reads"]),
        "unread_with_reads": reports["reads"]["summary"].get("unread"),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
