"""Sagas read from the contracts: the role each event plays in a workflow, and its time budget.

The contracts say who produces and who consumes each event and which compensation events
undo it; ``saga.inference`` reads from that which events start a workflow and which report its
failure, and two tags (configurable) overrule it where the authors mark events. From that:

- a *compensation* event is one some error policy names under ``compensation``;
- a *failure* event carries a failure tag (default ``saga-failure``) or is listed in
  ``verify.failure_events``; when no event is so marked, the inferred failures (an outcome
  with nothing to undo beside one that has, whose readers emit compensations);
- a *start* carries a start tag; when none does, where an inferred chain begins;
- every other event is a *step*; the reactions expected to a step are the events its
  consumers produce that are neither compensations nor workflow starts. A step with no
  expected reaction ends the workflow (a ShipmentCreated that only notification and
  bookkeeping consume).

The budget of an event is what its consumers may take before the contracts say something is
wrong: ``timeout × max_attempts`` plus the backoff between attempts (exponential doubling from
``initial`` capped at ``max``, or fixed), jitter read as its upper bound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from contractctl.core.contract.model import Contract, ErrorPolicy
from contractctl.core.flow.graph import build_graph
from contractctl.core.flow.saga.inference import infer_roles

START = "start"
STEP = "step"
FAILURE = "failure"
COMPENSATION = "compensation"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_MS = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


def parse_duration_ms(text: str) -> int:
    """``200ms``, ``10s``, ``1m``, ``2h``, ``1d`` in milliseconds; ValueError otherwise."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a duration (such as 200ms, 10s, 2m, 1h)")
    return round(float(m.group(1)) * _UNIT_MS[m.group(2)])


@dataclass(frozen=True, slots=True)
class SagaSettings:
    """The conventions the contracts cannot say themselves (``verify:`` in contractctl.yaml)."""

    start_tags: tuple[str, ...] = ("saga-start",)
    failure_tags: tuple[str, ...] = ("saga-failure",)
    failure_events: tuple[str, ...] = ()
    # Consumers with no declared timeout get this one per attempt.
    default_timeout_ms: int = 30_000


@dataclass(frozen=True, slots=True)
class Role:
    """What one event (all its versions) means to a workflow."""

    name: str
    kind: str  # START, STEP, FAILURE or COMPENSATION
    reactions: frozenset[str]  # events expected in reply; empty: the workflow may end here
    compensation: tuple[str, ...]  # what undoes this event when the workflow fails
    budget_ms: int  # how long its consumers may take, retries included
    producer: str | None = None


@dataclass(frozen=True, slots=True)
class SagaModel:
    roles: dict[str, Role]
    horizon_ms: int  # the largest budget: past it, no reaction can still be on time
    settings: SagaSettings = field(default_factory=SagaSettings)

    def role(self, name: str) -> Role | None:
        return self.roles.get(name)


def budget_ms(policy: ErrorPolicy | None, default_timeout_ms: int) -> int:
    """Time a consumer may take on one event: every attempt's timeout plus the waits between."""
    timeout = default_timeout_ms
    if policy is not None and policy.timeout:
        timeout = parse_duration_ms(policy.timeout)
    retries = policy.retries if policy is not None else None
    attempts = max(1, retries.max_attempts) if retries is not None else 1
    waits = 0
    if retries is not None and attempts > 1:
        initial = parse_duration_ms(retries.initial) if retries.initial else 0
        cap = parse_duration_ms(retries.max) if retries.max else None
        for i in range(attempts - 1):
            wait = initial * (2**i) if retries.backoff == "exponential" else initial
            waits += min(wait, cap) if cap is not None else wait
    return timeout * attempts + waits


def _event_name(ref: str) -> str:
    return ref.split("@", 1)[0].strip()


def build_model(contracts: Sequence[Contract], settings: SagaSettings | None = None) -> SagaModel:
    """The role of every event the contracts declare."""
    settings = settings or SagaSettings()
    by_name: dict[str, list[Contract]] = {}
    for c in contracts:
        by_name.setdefault(c.name, []).append(c)
    compensations = {
        _event_name(ref)
        for c in contracts
        if c.error_policy
        for ref in c.error_policy.compensation
        if _event_name(ref)
    }
    inferred = infer_roles(
        build_graph(contracts).events,
        {n: tuple(t for c in cs for t in c.tags) for n, cs in by_name.items()},
        start_tags=settings.start_tags,
        failure_tags=settings.failure_tags,
        failure_events=settings.failure_events,
    )
    starts = set(inferred.starts)
    failures = set(inferred.failures) | (set(settings.failure_events) & by_name.keys())
    produced_by: dict[str, set[str]] = {}
    for n, cs in by_name.items():
        for c in cs:
            if c.producer:
                produced_by.setdefault(c.producer, set()).add(n)
    roles: dict[str, Role] = {}
    for name, versions in by_name.items():
        if name in compensations:
            kind = COMPENSATION
        elif name in failures:
            kind = FAILURE
        elif name in starts:
            kind = START
        else:
            kind = STEP
        consumers = {k.service for c in versions for k in c.consumers}
        reactions: set[str] = set()
        if kind in (START, STEP):
            for service in consumers:
                reactions.update(produced_by.get(service, ()))
            reactions -= compensations | starts | {name}
        comp = tuple(
            sorted(
                {
                    _event_name(ref)
                    for c in versions
                    if c.error_policy
                    for ref in c.error_policy.compensation
                }
            )
        )
        budget = max(budget_ms(c.error_policy, settings.default_timeout_ms) for c in versions)
        producer = next((c.producer for c in reversed(versions) if c.producer), None)
        roles[name] = Role(name, kind, frozenset(reactions), comp, budget, producer)
    horizon = max((r.budget_ms for r in roles.values()), default=settings.default_timeout_ms)
    return SagaModel(dict(sorted(roles.items())), horizon, settings)
