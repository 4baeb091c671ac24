"""Benchmark: ``docs build`` for 1,000 generated contracts (250 events × 4 versions, 50 services).

Generates the contracts as YAML files in a temporary directory (half JSON Schema, half Avro,
with consumers, compensation events and deprecations), then times the whole use case — load,
flow analysis, change lists between versions, layout, rendering, writing — as the CLI runs it.
Target: under 10 s at 1,000. Prints the median of ``--rounds`` runs (wall and CPU), the site
size, the largest HTML page, the largest file (a big flow's own SVG counts there) and the
process's peak RSS (and that of the second process a big site is rendered with; CPU time
includes it). ``--sizes 1000,5000,20000`` runs each size in its own
process (so each peak RSS is its own), adds the peak PSS of that process and its rendering
child together (sampled), and prints the growth exponent between sizes.

Each run also reports ``create_ms``: what creating one empty file cost in its work folder just
before the build (500 files), and ``median_system_s`` the kernel's share of the CPU time. On a
file system without a journal (this machine's ext4) the kernel skips inodes freed in the last
30 seconds and scans past them on every create, so right after anything in the same block group
deleted many files, a create costs 0.3-0.9 ms instead of 0.02 ms: 40,000 pages then pay 10-30 s
of kernel time. ``--sizes`` therefore keeps every size's files until all sizes ran (a size's
cleanup would slow the next one), and ``TMPDIR`` chooses where the work folders go.

    .venv/bin/python benchmarks/docs.py [--contracts 1000] [--rounds 3] [--keep DIR]
    .venv/bin/python benchmarks/docs.py --sizes 1000,5000,20000 --rounds 1
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from contractctl.app.docs import DocsRequest, build_docs

SERVICES = 50
VERSIONS = 4
DOMAINS = (
    "orders",
    "payments",
    "inventory",
    "shipping",
    "billing",
    "customers",
    "catalog",
    "pricing",
    "returns",
    "loyalty",
)


def json_schema(version: int, rnd: random.Random) -> dict[str, object]:
    props: dict[str, object] = {
        "event_id": {"type": "string", "format": "uuid", "description": "Unique per emission."},
        "correlation_id": {"type": "string", "format": "uuid"},
        "amount": {"type": "integer", "minimum": 0},
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string", "minLength": 1},
                    "qty": {"type": "integer"},
                },
            },
        },
    }
    for i in range(version + rnd.randint(0, 4)):
        props[f"extra_{i}"] = {"type": "string", "maxLength": 64, "description": f"Field {i}."}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["event_id", "correlation_id"],
        "properties": props,
    }


def avro_schema(name: str, version: int, rnd: random.Random) -> dict[str, object]:
    fields: list[dict[str, object]] = [
        {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "correlation_id", "type": "string"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["A", "B", "C"]}},
    ]
    for i in range(version + rnd.randint(0, 4)):
        fields.append({"name": f"extra_{i}", "type": ["null", "string"], "default": None})
    return {
        "type": "record",
        "name": name.rpartition(".")[2],
        "namespace": "bench",
        "fields": fields,
    }


def generate(root: Path, count: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    services = [f"svc-{i:02d}" for i in range(SERVICES)]
    events = [f"{DOMAINS[i % len(DOMAINS)]}.Event{i:03d}Happened" for i in range(count // VERSIONS)]
    for e_index, name in enumerate(events):
        producer = services[e_index % SERVICES]
        consumers = rnd.sample([s for s in services if s != producer], rnd.randint(0, 4))
        avro = e_index % 2 == 1
        for v in range(VERSIONS):
            version = f"1.{v}.0"
            doc = {
                "name": name,
                "version": version,
                "summary": f"Something happened in {name} (v{version}).",
                "description": "Generated for the docs benchmark.\n\nSecond paragraph.",
                "schema": {
                    "format": "avro" if avro else "jsonschema",
                    "inline": avro_schema(name, v, rnd) if avro else json_schema(v, rnd),
                },
                "owner": f"team-{name.split('.')[0]}",
                "producer": producer,
                "channel": name.lower(),
                "key": "event_id",
                "delivery": {"guarantee": "at-least-once"},
                "consumers": [{"service": s, "purpose": f"{s} reacts."} for s in consumers],
                "error_policy": {
                    "retries": {"max_attempts": 3, "backoff": "exponential"},
                    "dead_letter": f"{name.lower()}.dlq",
                    "compensation": [rnd.choice(events)] if rnd.random() < 0.2 else [],
                },
                "tags": [name.split(".")[0], f"tier-{e_index % 3}"],
            }
            if v == 0 and e_index % 7 == 0:
                doc["deprecated"] = {
                    "since": "2026-01-01",
                    "replaced_by": events[(e_index + 1) % len(events)],
                }
            path = root / name.split(".")[0] / f"{name.rpartition('.')[2]}.v{version}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _system_cpu() -> float:
    """Kernel time of this process and its children: mostly creating and renaming files."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_stime + kids.ru_stime


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _watch(proc: subprocess.Popen[str]) -> float | None:
    """Wait for ``proc``; the peak PSS of it and its children together, sampled every
    0.1 s (Linux only: None elsewhere). The rendering child shares the model's pages with
    its parent, so adding the two RSS peaks would count them twice."""
    if not Path(f"/proc/{proc.pid}/smaps_rollup").exists():
        proc.wait()
        return None
    peak = 0.0
    while proc.poll() is None:
        try:
            kids = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            kids = []
        peak = max(peak, _pss_mb(proc.pid) + sum(_pss_mb(int(k)) for k in kids))
        time.sleep(0.1)
    return peak


def create_ms(folder: Path, count: int = 500) -> float:
    """Milliseconds to create one empty file in a new folder below ``folder`` (the files
    stay: removing them would slow the next creates, see the module docstring)."""
    probe = Path(tempfile.mkdtemp(prefix="create-probe-", dir=folder))
    start = time.perf_counter()
    for i in range(count):
        os.close(os.open(probe / f"f{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    return (time.perf_counter() - start) / count * 1000


def sizes(spec: str, rounds: int) -> int:
    """Each size in a child process; one JSON line each, then the growth exponents."""
    work = Path(tempfile.mkdtemp(prefix="docs-bench-"))
    try:
        return _sizes(spec, rounds, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sizes(spec: str, rounds: int, work: Path) -> int:
    rows = []
    for n in (int(x) for x in spec.split(",")):
        cmd = [sys.executable, __file__, "--contracts", str(n), "--rounds", str(rounds), "--json"]
        cmd += ["--workdir", str(work / str(n))]
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
            tree_mb = _watch(proc)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if not stdout.strip():
            print(f"{n}: failed: {stderr.strip()[-300:]}", file=sys.stderr)
            return 1
        rows.append(json.loads(stdout.strip().splitlines()[-1]))
        if tree_mb is not None:
            rows[-1]["peak_pss_tree_mb"] = round(tree_mb)
        print(json.dumps(rows[-1]))
    for a, b in itertools.pairwise(rows):
        n = math.log(b["contracts"] / a["contracts"])
        k = math.log(b["median_s"] / a["median_s"]) / n
        c = math.log(b["median_cpu_s"] / a["median_cpu_s"]) / n
        print(
            f"{a['contracts']} -> {b['contracts']}: wall time grows as n^{k:.2f}, CPU as n^{c:.2f}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the last site here")
    parser.add_argument("--sizes", help="comma-separated sizes, each in its own process")
    parser.add_argument("--json", action="store_true", help="one JSON line (for --sizes)")
    parser.add_argument("--workdir", type=Path, help="work here and leave the files (--sizes)")
    args = parser.parse_args(argv)
    if args.sizes:
        return sizes(args.sizes, args.rounds)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True)
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory() as tmp:
        return run(args, Path(tmp))


def run(args: argparse.Namespace, tmp: Path) -> int:
    """Generate the contracts under ``tmp``, build the site there ``args.rounds`` times."""
    src = tmp / "contracts"
    generate(src, args.contracts)
    probe_ms = create_ms(tmp)
    times: list[float] = []
    cpu: list[float] = []
    system: list[float] = []
    report = None
    for r in range(args.rounds):
        out = args.keep if args.keep and r == args.rounds - 1 else tmp / f"site{r}"
        start, start_cpu = time.perf_counter(), time.process_time() + _children_cpu()
        start_sys = _system_cpu()
        report = build_docs(DocsRequest([src], out))
        times.append(time.perf_counter() - start)
        # A big site's second rendering process is a child: its CPU time counts too.
        cpu.append(time.process_time() + _children_cpu() - start_cpu)
        system.append(_system_cpu() - start_sys)
    assert report is not None
    size = sum(p.stat().st_size for p in report.files)
    # A page is what a browser opens; a big flow's own .svg / .mmd file is listed apart.
    largest = max((p for p in report.files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    biggest_file = max(report.files, key=lambda p: p.stat().st_size)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The rendering child's peak: it shares the model's pages with this process, so
    # the two peaks overlap and their sum overstates what both held at once.
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if args.json:
        print(
            json.dumps(
                {
                    "contracts": report.contracts,
                    "median_s": round(statistics.median(times), 2),
                    "median_cpu_s": round(statistics.median(cpu), 2),
                    "median_system_s": round(statistics.median(system), 2),
                    "files": len(report.files),
                    "site_mb": round(size / 1e6, 1),
                    "largest_page": largest.relative_to(out).as_posix(),
                    "largest_page_mb": round(largest.stat().st_size / 1e6, 2),
                    "largest_file": biggest_file.relative_to(out).as_posix(),
                    "largest_file_mb": round(biggest_file.stat().st_size / 1e6, 2),
                    "peak_rss_mb": round(peak_mb),
                    "peak_rss_child_mb": round(child_mb),
                    "create_ms": round(probe_ms, 3),
                }
            )
        )
        return 0
    print(
        f"docs build: {report.contracts} contracts, {report.events} events, "
        f"{report.services} services -> {len(report.files)} files, {size / 1e6:.1f} MB"
    )
    print(
        f"median {statistics.median(times):.2f} s over {args.rounds} runs "
        f"(min {min(times):.2f} s, max {max(times):.2f} s), "
        f"CPU {statistics.median(cpu):.2f} s; target < 10 s"
    )
    print(
        f"largest page {largest.relative_to(out).as_posix()} "
        f"{largest.stat().st_size / 1e6:.2f} MB; largest file "
        f"{biggest_file.relative_to(out).as_posix()} "
        f"{biggest_file.stat().st_size / 1e6:.2f} MB; "
        f"peak RSS {peak_mb:.0f} MB (rendering child {child_mb:.0f} MB); "
        f"creating a file in the work folder cost {probe_ms:.3f} ms before the build"
    )
    if report.contracts != args.contracts:
        print(f"only {report.contracts} of {args.contracts} contracts loaded", file=sys.stderr)
        return 1
    return 0 if statistics.median(times) < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
