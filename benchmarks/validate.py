"""Benchmark: ``contractctl validate`` on 1,000 contracts built from ../shared/corpus schemas,
beside ``check-jsonschema --check-metaschema`` on the same schema files, in one run; and
``contractctl --version`` beside bare ``python -c pass``.

Run: python benchmarks/validate.py [--contracts 1000]   (needs the `bench` extra installed)
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

REPO = Path(__file__).resolve().parents[1]


def shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "corpus" / "json").is_dir():
        sys.exit(f"skipped: no corpus at {path}/corpus (set CONTRACTCTL_SHARED)")
    return path


def schema_files(corpus: Path, count: int) -> list[Path]:
    """``count`` schema versions, round-robin over every schema family so all sources appear."""
    families = sorted(p for p in (corpus / "json").iterdir() if p.is_dir())
    versions = [sorted(f.glob("*.json"), key=lambda p: int(p.stem), reverse=True) for f in families]
    picked: list[Path] = []
    depth = 0
    while len(picked) < count and any(len(v) > depth for v in versions):
        for v in versions:
            if len(v) > depth and len(picked) < count:
                picked.append(v[depth])
        depth += 1
    return picked


def build(tmp: Path, files: list[Path]) -> list[Path]:
    contracts = tmp / "contracts"
    schemas = tmp / "schemas"
    contracts.mkdir()
    schemas.mkdir()
    copies = []
    for i, src in enumerate(files):
        copy = schemas / f"s{i:04d}.json"
        shutil.copyfile(src, copy)
        copies.append(copy)
        (contracts / f"event{i:04d}.yaml").write_text(
            f'name: bench.Thing{i:04d}Happened\nversion: "1.0.0"\nowner: team-bench\n'
            f"summary: Benchmark event {i}.\n"
            f"description: Built from {src.parent.name}/{src.name}.\n"
            f"producer: bench-service\nchannel: bench.thing-{i:04d}\n"
            f"schema:\n  format: jsonschema\n  file: ../schemas/{copy.name}\n",
            encoding="utf-8",
        )
    return copies


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def startup(runs: int) -> tuple[float, float]:
    exe = shutil.which("contractctl") or str(Path(sys.executable).parent / "contractctl")
    bare, ours = [], []
    for _ in range(runs):
        bare.append(timed([sys.executable, "-c", "pass"], REPO)[0])
        ours.append(timed([exe, "--version"], REPO)[0])
    return statistics.median(bare), statistics.median(ours)


def parse_floor(tmp: Path) -> None:
    """What any validator must do: read each contract and schema, parse the YAML (C loader)
    and the JSON, and meta-validate the schema with jsonschema-rs."""
    import jsonschema_rs
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for contract in sorted((tmp / "contracts").iterdir()):
        data = yaml.load(contract.read_text(encoding="utf-8"), Loader=loader)
        schema_path = contract.parent / data["schema"]["file"]
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        jsonschema_rs.meta.is_valid(schema)


def in_process(tmp: Path, *, cache: bool = False) -> None:
    """``validate`` as the CLI runs it, without the interpreter's start-up; without the
    parse cache unless asked (the floor parses everything, every time)."""
    from contractctl.app.validate import ValidateRequest, validate
    from contractctl.core.contract.config import Config
    from contractctl.core.contract.loader import one_shot_process

    one_shot_process()  # as the CLI declares it
    validate(ValidateRequest(paths=[tmp / "contracts"], config=Config(root=tmp), cache=cache))


def in_process_cached(tmp: Path) -> None:
    in_process(tmp, cache=True)


def floor_ratio(tmp: Path, rounds: int) -> tuple[float, float, float]:
    """(best floor, best in-process validate, the same with a warm parse cache) CPU seconds,
    interleaved so load hits all three."""
    in_process_cached(tmp)  # warm the cache
    floor: list[float] = []
    ours: list[float] = []
    cached: list[float] = []
    for _ in range(rounds):
        for fn, out in ((parse_floor, floor), (in_process, ours), (in_process_cached, cached)):
            start = time.process_time()
            fn(tmp)
            out.append(time.process_time() - start)
    return min(floor), min(ours), min(cached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("--floor-rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = shared() / "corpus"
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        copies = build(tmp, schema_files(corpus, args.contracts))
        size = sum(p.stat().st_size for p in copies)
        validate = [str(bindir / "contractctl"), "validate", "contracts", "--fail-on", "never"]
        # Without the parse cache: check-jsonschema has none, and parses every file each time.
        ours, code, out = timed([*validate, "--no-cache", "--format", "json"], tmp)
        report = json.loads(out) if code == 0 else {}
        theirs, their_code, _ = timed(
            [str(bindir / "check-jsonschema"), "--check-metaschema", *[str(p) for p in copies]], tmp
        )
        ours2, _, _ = timed([*validate, "--no-cache"], tmp)
        ours = min(ours, ours2)  # best of two, the second in turn after check-jsonschema
        cold, _, _ = timed(validate, tmp)  # fills .contractctl/cache
        warm, _, _ = timed(validate, tmp)
        floor_s, inproc_s, cached_s = floor_ratio(tmp, args.floor_rounds)
    bare, version = startup(args.startup_runs)
    result = {
        "contracts": len(copies),
        "schema_bytes": size,
        "contractctl_validate_s": round(ours, 3),
        "contractctl_exit": code,
        "contractctl_errors": report.get("summary", {}).get("errors"),
        "check_jsonschema_s": round(theirs, 3),
        "check_jsonschema_exit": their_code,
        "speedup": round(theirs / ours, 1),
        "contractctl_validate_cache_cold_s": round(cold, 3),
        "contractctl_validate_cache_warm_s": round(warm, 3),
        "parse_floor_cpu_s": round(floor_s, 3),
        "validate_in_process_cpu_s": round(inproc_s, 3),
        "validate_over_floor": round(inproc_s / floor_s, 2),
        "validate_in_process_warm_cache_cpu_s": round(cached_s, 3),
        "warm_cache_over_floor": round(cached_s / floor_s, 2),
        "python_c_pass_ms": round(bare * 1000, 1),
        "contractctl_version_ms": round(version * 1000, 1),
        "version_overhead_ms": round((version - bare) * 1000, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
