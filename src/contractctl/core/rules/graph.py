"""The rule table of the flow analysis (``contractctl graph``): one record per finding kind."""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

UNCONSUMED = "CONTRACT_GRAPH_UNCONSUMED_EVENT"
NO_PRODUCER = "CONTRACT_GRAPH_CONSUMED_WITHOUT_PRODUCER"
CYCLE = "CONTRACT_GRAPH_CYCLE"
COMPENSATION_NOT_EMITTED = "CONTRACT_GRAPH_COMPENSATION_NOT_EMITTED"
DEPRECATED_CONSUMED = "CONTRACT_GRAPH_DEPRECATED_CONSUMED"

GRAPH_RULES: tuple[Rule, ...] = (
    Rule(
        id=UNCONSUMED,
        summary="An event that no service consumes.",
        category=Category.REFERENCE,
        severity=Severity.WARNING,
        hint="Add the consuming services under `consumers`, or retire the event.",
    ),
    Rule(
        id=NO_PRODUCER,
        summary="Services consume an event that no service produces.",
        category=Category.REFERENCE,
        severity=Severity.ERROR,
        hint="Name the emitting service under `producer`.",
    ),
    Rule(
        id=CYCLE,
        summary="Services form a cycle of events (A emits what B consumes, and back).",
        category=Category.REFERENCE,
        severity=Severity.INFO,
        hint="Sagas reply legitimately; make sure the loop terminates.",
    ),
    Rule(
        id=COMPENSATION_NOT_EMITTED,
        summary="An error policy names a compensation event that no service emits.",
        category=Category.REFERENCE,
        severity=Severity.ERROR,
        hint="Add a contract for the compensation event with its `producer`.",
    ),
    Rule(
        id=DEPRECATED_CONSUMED,
        summary="A service still consumes a deprecated event.",
        category=Category.REFERENCE,
        severity=Severity.WARNING,
        hint="Move the consumer to the replacement before the sunset date.",
    ),
)
