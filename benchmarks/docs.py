"""Benchmark: ``docs build`` for 1,000 generated contracts (250 events × 4 versions, 50 services).

Generates the contracts as YAML files in a temporary directory (half JSON Schema, half Avro,
with consumers, compensation events and deprecations), then times the whole use case — load,
flow analysis, change lists between versions, layout, rendering, writing — as the CLI runs it.
Target: under 10 s. Prints the median of ``--rounds`` runs and the site size.

    .venv/bin/python benchmarks/docs.py [--contracts 1000] [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the last site here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "contracts"
        generate(src, args.contracts)
        times: list[float] = []
        report = None
        for r in range(args.rounds):
            out = args.keep if args.keep and r == args.rounds - 1 else Path(tmp) / f"site{r}"
            start = time.perf_counter()
            report = build_docs(DocsRequest([src], out))
            times.append(time.perf_counter() - start)
        assert report is not None
        size = sum(p.stat().st_size for p in report.files)
        print(
            f"docs build: {report.contracts} contracts, {report.events} events, "
            f"{report.services} services -> {len(report.files)} files, {size / 1e6:.1f} MB"
        )
        print(
            f"median {statistics.median(times):.2f} s over {args.rounds} runs "
            f"(min {min(times):.2f} s, max {max(times):.2f} s); target < 10 s"
        )
        if report.contracts != args.contracts:
            print(f"only {report.contracts} of {args.contracts} contracts loaded", file=sys.stderr)
            return 1
    return 0 if statistics.median(times) < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
