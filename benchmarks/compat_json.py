"""Benchmark: the JSON Schema compatibility engine over every consecutive version pair.

Walks ``<shared>/corpus/json/<source>.<event>/<n>.json``, checks version n+1 against n at
BACKWARD/STRICT through the public engine, and reports pairs/s and the share compatible.
Schemas are parsed from disk before timing starts; the timed part is the engine alone.

    .venv/bin/python benchmarks/compat_json.py [--shared ../shared] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import SchemaParseError


def default_shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def _version_key(path: Path) -> tuple[int, str]:
    stem = path.name.removesuffix(".json")
    return (int(stem), stem) if stem.isdigit() else (1 << 30, stem)


def load_pairs(shared: Path) -> list[tuple[str, Any, Any]]:
    """(label, old, new) for every consecutive version pair, schemas already parsed."""
    pairs: list[tuple[str, Any, Any]] = []
    root = shared / "corpus" / "json"
    for subject in sorted(p for p in root.iterdir() if p.is_dir()):
        versions = sorted(subject.glob("*.json"), key=_version_key)
        schemas = [json.loads(v.read_text(encoding="utf-8")) for v in versions]
        for i in range(1, len(schemas)):
            pairs.append((f"{subject.name}/{versions[i].name}", schemas[i - 1], schemas[i]))
    return pairs


def run_json(shared: Path, repeat: int = 1) -> dict[str, Any]:
    """Time the engine over the corpus; returns pairs, seconds, pairs/s, share compatible."""
    pairs = load_pairs(shared)
    best = float("inf")
    compatible = errors = 0
    rules: Counter[str] = Counter()
    for _ in range(max(1, repeat)):
        compatible = errors = 0
        rules.clear()
        start = time.perf_counter()
        for _label, old, new in pairs:
            try:
                result = check_compatibility(
                    old, new, schema_type="JSON", level="BACKWARD", policy="STRICT"
                )
            except SchemaParseError:
                errors += 1
                continue
            compatible += result.is_compatible
            rules.update(c.rule_id for c in result.breaking_changes)
        best = min(best, time.perf_counter() - start)
    count = len(pairs)
    return {
        "pairs": count,
        "seconds": round(best, 3),
        "pairs_per_second": round(count / best, 1) if best else 0.0,
        "share_compatible": round(compatible / count, 4) if count else 0.0,
        "parse_errors": errors,
        "top_breaking_rules": rules.most_common(8),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run_json(args.shared, args.repeat), indent=2))


if __name__ == "__main__":
    main()
