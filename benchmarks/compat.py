"""Compatibility benchmarks, all formats in one run: contractctl vs each format's reference.

Runs ``compat_avro.run_avro`` and, when ``benchmarks/compat_json.py`` exists, its
``run_json``; prints one table. Exit 1 if any suite reports a verdict disagreement.

    .venv/bin/python benchmarks/compat.py [--shared ../shared] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compat_avro import default_shared, run_avro

Runner = Callable[..., dict[str, Any]]


def _runners() -> list[tuple[str, Runner]]:
    runners: list[tuple[str, Runner]] = [("avro", run_avro)]
    try:
        module = importlib.import_module("compat_json")
    except ModuleNotFoundError as exc:
        if exc.name != "compat_json":
            raise
        print("(benchmarks/compat_json.py not present: JSON Schema suite skipped)")
    else:
        runners.insert(0, ("json", module.run_json))  # run_json(shared, repeat)
    return runners


def _row(name: str, r: dict[str, Any]) -> str:
    # Suites report slightly different keys; missing columns print as "-".
    ours = r.get("contractctl_pairs_per_s", r.get("pairs_per_second"))
    theirs = r.get("baseline_pairs_per_s")
    ratio = r.get("ratio")
    agree = f"{r['agree']}/{r['pairs']}" if "agree" in r else "-"
    share = r.get("compatible_share", r.get("share_compatible"))

    def num(value: object, fmt: str) -> str:
        return format(value, fmt) if isinstance(value, int | float) else "-"

    return (
        f"{name:<6} {r.get('pairs', 0):>6} {num(ours, '12.1f'):>12} "
        f"{r.get('baseline', '-'):<22} {num(theirs, '10.1f'):>10} "
        f"{num(ratio, '7.1f') + ('x' if ratio else ''):>8} {agree:>9} {num(share, '.1%'):>11}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    results = [(name, run(args.shared, args.rounds)) for name, run in _runners()]
    print(
        f"{'suite':<6} {'pairs':>6} {'ours pairs/s':>12} {'baseline':<22} "
        f"{'pairs/s':>10} {'ratio':>8} {'agree':>9} {'compatible':>11}"
    )
    for name, result in results:
        print(_row(name, result))
    failed = [name for name, r in results if r.get("disagreements")]
    for name, result in results:
        if result.get("disagreements"):
            print(f"{name}: verdicts disagree on {len(result['disagreements'])} pair(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
