"""Check 1,000 subjects against a registry emulator on 127.0.0.1 with 5 ms latency per request.

Usage: python benchmarks/registry.py [--subjects 1000] [--latency 0.005] [--versions 1]
The emulator runs in a child process (so it does not share the GIL with the client) and is
seeded with N subjects; the client then does what ``check --against registry`` does: fetch
each subject's versions and level concurrently, and judge every contract locally.
Target: under 5 s for 1,000 subjects at 5 ms.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.baseline import make_registry_baseline
from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.adapters.registry.store import LocalStore
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.registry.config import RegistrySettings


def schema(i: int, version: int) -> dict[str, object]:
    props: dict[str, object] = {"id": {"type": "string"}, "amount": {"type": "number"}}
    for extra in range(1, version):
        props[f"field_{extra}"] = {"type": "string"}
    return {
        "type": "object",
        "title": f"Event{i}",
        "properties": props,
        "required": ["id"],
        "additionalProperties": False,
    }


def serve(subjects: int, versions: int, latency: float) -> None:
    store = LocalStore()
    for i in range(subjects):
        for v in range(1, versions + 1):
            store.register(f"topic-{i}-value", SchemaSubmission.of(schema(i, v), "JSON"))
    with RegistryEmulator(store, latency=latency) as emulator:
        print(emulator.url, flush=True)
        sys.stdin.read()  # serve until the parent closes stdin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.005)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.subjects, args.versions, args.latency)
        return 0

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", f"--subjects={args.subjects}",
         f"--versions={args.versions}", f"--latency={args.latency}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        contracts = [
            Contract(
                name=f"bench.Event{i}",
                version="2.0.0",
                schema=SchemaSpec("jsonschema", schema(i, args.versions + 1)),
                path=Path(f"contracts/event{i}.yaml"),
                channel=f"topic-{i}",
            )
            for i in range(args.subjects)
        ]
        settings = RegistrySettings(urls=(url,), concurrency=args.concurrency)
        started = time.perf_counter()
        baseline = make_registry_baseline(settings)
        baseline.prefetch(contracts)
        fetched = time.perf_counter()
        broken = 0
        for contract in contracts:
            history = baseline.history(contract)
            level = baseline.level(contract) or "BACKWARD"
            if history:
                result = check_compatibility(
                    history[-1].schema,
                    contract.schema.document,
                    schema_type="JSON",
                    level=level,
                    history=[h.schema for h in history],
                )
                broken += not result.is_compatible
        elapsed = time.perf_counter() - started
    finally:
        if child.stdin:
            child.stdin.close()
        child.wait(timeout=10)
    print(
        json.dumps(
            {
                "subjects": args.subjects,
                "versions_per_subject": args.versions,
                "latency_ms": args.latency * 1000,
                "concurrency": args.concurrency,
                "fetch_seconds": round(fetched - started, 3),
                "total_seconds": round(elapsed, 3),
                "incompatible": broken,
                "target_seconds": 5,
                "ok": elapsed < 5,
            },
            indent=2,
        )
    )
    return 0 if elapsed < 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
