"""Apache Avro's own SchemaCompatibility test pairs, replayed through the public engine.

The cases live in ``<shared>/conformance/avro-apache.json`` (shared = ``$CONTRACTCTL_SHARED``
or ``<repo>/../shared``). Each is checked for its verdict and, where Avro's tests assert
them, for the incompatibility kinds, JSON-pointer locations and messages, in Java's order.

The five anonymous-record cases (Java builds nameless records in memory) are *normalised*,
not skipped: the compatibility model reads a record without ``name`` as Java's anonymous
record, whose null name equals another null name, exactly what the Java test compared.
``validate_avro`` still reports such a schema as invalid.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.model import Change
from contractctl.core.vocab.levels import Direction

_REPO = Path(__file__).resolve().parents[2]
_SHARED = Path(os.environ.get("CONTRACTCTL_SHARED", _REPO.parent / "shared"))
_SUITE = _SHARED / "conformance" / "avro-apache.json"


def _cases() -> list[Any]:
    if not _SUITE.is_file():
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(reason=f"Avro conformance suite not found at {_SUITE}"),
                id="suite-missing",
            )
        ]
    cases = json.loads(_SUITE.read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["id"]) for case in cases]


def _java_message(change: Change) -> str:
    """Java's ``Incompatibility.getMessage()``, rebuilt from the change's writer/reader values."""
    kind, old, new = change.rule_id, change.old, change.new
    if kind == "TYPE_MISMATCH":
        return f"reader type: {_kind(new)} not compatible with writer type: {_kind(old)}"
    if kind == "MISSING_UNION_BRANCH":
        return f"reader union lacking writer type: {_kind(old)}"
    if kind == "NAME_MISMATCH":
        return f"expected: {old}"
    if kind == "FIXED_SIZE_MISMATCH":
        return f"expected: {old}, found: {new}"
    if kind == "MISSING_ENUM_SYMBOLS":
        assert isinstance(old, list)
        assert isinstance(new, list)
        return "[" + ", ".join(sorted(set(old) - set(new))) + "]"
    assert kind == "READER_FIELD_MISSING_DEFAULT_VALUE"
    return str(new)


def _kind(described: object) -> str:
    # "record `ns.Name`" → RECORD, "int" → INT
    return str(described).split(" ", 1)[0].upper()


@pytest.mark.parametrize("case", _cases())
def test_avro_apache_case(case: dict[str, Any]) -> None:
    # JSON text, so a bare primitive ("int") reaches the engine as the schema it is.
    result = check_compatibility(
        json.dumps(case["old"]),
        json.dumps(case["new"]),
        schema_type="AVRO",
        level=case["level"],
        history=[json.dumps(h) for h in case.get("history") or []] or None,
    )
    # Java's own report is the BACKWARD reading, in Java's order and terms; ``changes`` is
    # the presentation built from it, which must account for every failure (one failure may
    # judge several changes: one MISSING_ENUM_SYMBOLS covers each symbol removed).
    reported = result.readings.get(Direction.BACKWARD, [])
    assert result.is_compatible is case["expected_compatible"], [
        (c.rule_id, c.path) for c in reported
    ]
    details = case.get("expected_details") or {}
    if "incompatibilities" in details:
        assert [c.rule_id for c in reported] == details["incompatibilities"]
    if "locations" in details:
        assert [c.path for c in reported] == details["locations"]
    if "messages" in details:
        assert [_java_message(c) for c in reported] == details["messages"]
    assert all(c.message and c.hint for c in reported)
    judged = [kind for c in result.changes for d, kind in c.judged_by if d is Direction.BACKWARD]
    assert set(judged) == {c.rule_id for c in reported}
    assert any(c.breaking for c in result.changes) is not result.is_compatible
