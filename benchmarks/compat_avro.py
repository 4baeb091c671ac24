"""Benchmark: contractctl's Avro compatibility engine vs the ``avro`` package's checker.

Every consecutive version pair (n, n+1) of every schema in ``<shared>/corpus/avro`` is
checked BACKWARD (reader = n+1, writer = n) by both engines in the same run. Both start
from the same loaded JSON and both time their own schema parsing plus the check. The run
fails (exit 1) unless every verdict agrees.

Corpus quirks handled as ../shared/corpus/README.md describes: ``//`` comment lines (loaded
with ``load_avro_text`` for both engines), gobblin's dependency-only named types
pre-registered for the schemas that reference them, the ``namesapce`` typo left alone.

    .venv/bin/python benchmarks/compat_avro.py [--shared ../shared] [--rounds 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contractctl.core.compat.avro import backward_changes
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.schema.avro_schema import load_avro_text

# Schemas that use named types defined only in another file (corpus README, gobblin).
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "gobblin.DagActionStoreChangeEvent": ("gobblin.GenericStoreChangeEvent/1.avsc",),
    "gobblin.GobblinMetadataChangeEvent": ("gobblin.DatasetIdentifier/1.avsc",),
}

Pair = tuple[str, Any, Any, list[Any]]  # (label, old, new, dependency schemas)


def load_pairs(shared: Path) -> list[Pair]:
    root = shared / "corpus" / "avro"
    pairs: list[Pair] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.avsc"), key=lambda p: int(p.stem))
        schemas = [load_avro_text(f.read_text(encoding="utf-8")) for f in files]
        deps = [
            load_avro_text((root / d).read_text(encoding="utf-8"))
            for d in DEPENDENCIES.get(folder.name, ())
        ]
        versions = list(zip(files, schemas, strict=True))
        for (f_old, old), (f_new, new) in itertools.pairwise(versions):
            pairs.append((f"{folder.name} {f_old.stem}->{f_new.stem}", old, new, deps))
    return pairs


def _named(deps: list[Any]) -> dict[str, object]:
    return {f"dependency{i}": d for i, d in enumerate(deps)}


def contractctl_verdict(old: Any, new: Any, deps: list[Any]) -> bool:
    if deps:  # the engine's entry point has no references parameter; use the Avro core
        return not backward_changes(old, new, named=_named(deps))
    return check_compatibility(old, new, schema_type="AVRO", level="BACKWARD").is_compatible


def avro_verdict(old: Any, new: Any, deps: list[Any]) -> bool:
    from avro.compatibility import (
        ReaderWriterCompatibilityChecker,
        SchemaCompatibilityType,
    )
    from avro.name import Names
    from avro.schema import make_avsc_object

    def parse(schema: Any) -> Any:
        names = Names()
        for dep in deps:
            make_avsc_object(dep, names)
        return make_avsc_object(schema, names)

    result = ReaderWriterCompatibilityChecker().get_compatibility(parse(new), parse(old))
    return bool(result.compatibility is SchemaCompatibilityType.compatible)


def _time(
    check: Callable[[Any, Any, list[Any]], bool], pairs: list[Pair], rounds: int
) -> tuple[float, list[bool]]:
    best = float("inf")
    verdicts: list[bool] = []
    for _ in range(rounds):
        start = time.perf_counter()
        verdicts = [check(old, new, deps) for _, old, new, deps in pairs]
        best = min(best, time.perf_counter() - start)
    return best, verdicts


def run_avro(shared: Path, rounds: int = 3) -> dict[str, Any]:
    """Time both engines over every consecutive Avro pair; verdicts must agree."""
    pairs = load_pairs(shared)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # avro warns about logical types it ignores
        ours_s, ours = _time(contractctl_verdict, pairs, rounds)
        theirs_s, theirs = _time(avro_verdict, pairs, rounds)
    disagreements = [pair[0] for pair, a, b in zip(pairs, ours, theirs, strict=True) if a != b]
    n = len(pairs)
    return {
        "suite": "avro",
        "pairs": n,
        "baseline": "avro.compatibility",
        "contractctl_pairs_per_s": n / ours_s,
        "baseline_pairs_per_s": n / theirs_s,
        "ratio": theirs_s / ours_s,
        "agree": n - len(disagreements),
        "disagreements": disagreements,
        "compatible_share": sum(ours) / n if n else 0.0,
    }


def print_report(result: dict[str, Any]) -> None:
    print(f"Avro: {result['pairs']} consecutive version pairs, BACKWARD")
    print(f"  contractctl        {result['contractctl_pairs_per_s']:9.1f} pairs/s")
    print(f"  avro.compatibility {result['baseline_pairs_per_s']:9.1f} pairs/s")
    print(f"  ratio              {result['ratio']:9.1f}x")
    print(f"  verdicts agree     {result['agree']}/{result['pairs']}")
    print(f"  compatible         {result['compatible_share']:.1%}")
    for label in result["disagreements"]:
        print(f"  DISAGREE {label}")


def default_shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    result = run_avro(args.shared, rounds=args.rounds)
    print_report(result)
    return 0 if not result["disagreements"] else 1


if __name__ == "__main__":
    sys.exit(main())
