"""Print the JSON Schema engine's conformance rates against Confluent's own diff cases.

    .venv/bin/python benchmarks/conformance_report.py [--shared ../shared] [--show-misses]

Rates: STRICT verdict match, LENIENT verdict match, and exact match of the multiset of
``"<Difference.Type> <#/path>"`` Confluent reports.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import SchemaParseError


def default_shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def report(shared: Path) -> dict[str, Any]:
    cases = json.loads((shared / "conformance" / "jsonschema-confluent.json").read_text())
    strict_ok = lenient_ok = exact = 0
    misses: list[str] = []
    for case in cases:
        try:
            strict = check_compatibility(
                case["old"], case["new"], schema_type="JSON", level=case["level"], policy="STRICT"
            )
            lenient = check_compatibility(
                case["old"], case["new"], schema_type="JSON", level=case["level"], policy="LENIENT"
            )
        except SchemaParseError as exc:
            misses.append(f"{case['id']}: error {exc}")
            continue
        strict_ok += strict.is_compatible is case["expected_compatible"]
        lenient_ok += lenient.is_compatible is case["expected_compatible_lenient"]
        got = Counter(f"{c.rule_id} {c.path}" for c in strict.changes)
        if got == Counter(case["expected_changes"]):
            exact += 1
        else:
            misses.append(f"{case['id']}: got {sorted(got)} want {case['expected_changes']}")
    total = len(cases)
    return {
        "cases": total,
        "verdict_strict": f"{strict_ok}/{total} ({strict_ok / total:.1%})",
        "verdict_lenient": f"{lenient_ok}/{total} ({lenient_ok / total:.1%})",
        "exact_changes": f"{exact}/{total} ({exact / total:.1%})",
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    result = report(args.shared)
    if not args.show_misses:
        result["misses"] = len(result["misses"])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
