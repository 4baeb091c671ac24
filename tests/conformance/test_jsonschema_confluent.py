"""Confluent Schema Registry's own JSON Schema diff cases, replayed through the public engine.

Each case asserts the STRICT and LENIENT verdicts and the exact multiset of
``"<Difference.Type> <#/path>"`` Confluent reports. Known gaps are named skip predicates
below, never edits to the data.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.jsonschema.unjudged import RULE_ID as UNJUDGED
from contractctl.core.vocab.levels import Direction


def _shared() -> Path:
    env = os.environ.get("CONTRACTCTL_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


_DATA = _shared() / "conformance" / "jsonschema-confluent.json"


def _cases() -> list[dict[str, Any]]:
    if not _DATA.is_file():
        return []
    cases: list[dict[str, Any]] = json.loads(_DATA.read_text(encoding="utf-8"))
    return cases


# Named skip predicates: (predicate, reason). Empty while every case passes.
SKIPS: list[tuple[Callable[[dict[str, Any]], bool], str]] = []

_CASES = _cases()
if not _CASES:
    _PARAMS = [
        pytest.param(
            None,
            marks=pytest.mark.skip(reason=f"conformance data not found at {_DATA}"),
            id="no-data",
        )
    ]
else:
    _PARAMS = [pytest.param(case, id=case["id"]) for case in _CASES]


def _skip_reason(case: dict[str, Any]) -> str | None:
    for predicate, reason in SKIPS:
        if predicate(case):
            return reason
    return None


@pytest.mark.parametrize("case", _PARAMS)
def test_case(case: dict[str, Any]) -> None:
    reason = _skip_reason(case)
    if reason:
        pytest.skip(reason=reason)
    strict = check_compatibility(
        case["old"], case["new"], schema_type="JSON", level=case["level"], policy="STRICT"
    )
    lenient = check_compatibility(
        case["old"], case["new"], schema_type="JSON", level=case["level"], policy="LENIENT"
    )
    # Confluent's own report is the BACKWARD reading; the presentation must tell exactly the
    # same changes (a BACKWARD-only level has no second reading to pair), plus the changes
    # Confluent does not judge, which are reported under a rule of their own.
    expected = Counter(case["expected_changes"])
    reading = Counter(f"{c.rule_id} {c.path}" for c in strict.readings[Direction.BACKWARD])
    assert reading == expected, case.get("description")
    told = Counter(f"{c.rule_id} {c.path}" for c in strict.changes if c.rule_id != UNJUDGED)
    assert told == expected, case.get("description")
    assert strict.is_compatible is case["expected_compatible"]
    assert lenient.is_compatible is case["expected_compatible_lenient"]
