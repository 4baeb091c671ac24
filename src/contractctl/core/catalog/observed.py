"""What `contractctl verify` saw in the running system, shown on the catalog's flow pages.

A verify JSON report's ``summary.flows_table`` has one row per flow (named by the event
that starts it): workflow instances per class and the slowest step. The catalog shows
each row on the flow pages that hold its starting event. Reports are read defensively:
anything not shaped like a verify report is refused with one line, never half-shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contractctl.core.errors import InputError
from contractctl.core.flow.instances import CLASSES


@dataclass(frozen=True, slots=True)
class ObservedFlow:
    flow: str  # the event that starts the workflow
    instances: int
    classes: tuple[tuple[str, int], ...]  # (class, count) in CLASSES order
    slowest_event: str | None = None
    slowest_p50_ms: float | None = None
    slowest_p95_ms: float | None = None


def observed_flows(report: Any, source: str) -> list[ObservedFlow]:
    """The flow rows of a verify JSON report (``contractctl verify -f json``)."""
    summary = report.get("summary") if isinstance(report, Mapping) else None
    rows = summary.get("flows_table") if isinstance(summary, Mapping) else None
    if (
        not isinstance(report, Mapping)
        or report.get("command") != "verify"
        or not isinstance(rows, list)
    ):
        raise InputError(f"{source}: not a `contractctl verify --format json` report")
    flows: list[ObservedFlow] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping) or not isinstance(row.get("flow"), str):
            raise InputError(f"{source}: summary.flows_table[{index}] has no flow name")
        counts = [(c, row.get(c, 0)) for c in CLASSES]
        if not all(isinstance(n, int) and not isinstance(n, bool) for _, n in counts):
            raise InputError(f"{source}: summary.flows_table[{index}] has a non-integer count")
        slowest = row.get("slowest_step")
        step = slowest if isinstance(slowest, Mapping) else {}
        flows.append(
            ObservedFlow(
                flow=row["flow"],
                instances=sum(n for _, n in counts),
                classes=tuple(counts),
                slowest_event=step.get("event") if isinstance(step.get("event"), str) else None,
                slowest_p50_ms=_number(step.get("p50_ms")),
                slowest_p95_ms=_number(step.get("p95_ms")),
            )
        )
    return sorted(flows, key=lambda f: f.flow)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
