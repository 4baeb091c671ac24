"""Workflow instances rebuilt from an event stream and classified against the saga model.

Events sharing a correlation id form one instance. State is kept per *open* instance only:
once the newest timestamp seen is past an instance's last event by the model's horizon (the
largest error-policy budget), no reaction can still be on time, so the instance is
classified, counted and forgotten. Memory is therefore bounded by the instances active within
one horizon (workflows started per second × horizon), not by the length of the stream; an
instance also stores at most ``MAX_EVENTS`` events. An event arriving for an instance already
settled opens a new one (and is told apart as a duplicate only within the horizon).

Classes, judged at ``now`` (``--now`` or the newest timestamp seen):

- ``orphan``: an event's causation id names an event never seen in the instance;
- ``compensated``: a failure (or compensation) event, and every compensation that the
  instance's done steps declare;
- ``failed_without_compensation``: the same with a compensation missing past the budget;
- ``stuck``: a step whose expected reaction never came within its budget;
- ``completed``: every step answered, the last one needing no reaction;
- ``in_flight``: still within a budget (a workflow the stream caught mid-way).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from contractctl.core.flow.latency import Histogram
from contractctl.core.flow.roles import COMPENSATION, FAILURE, SagaModel

ORPHAN = "orphan"
COMPENSATED = "compensated"
UNCOMPENSATED = "failed_without_compensation"
STUCK = "stuck"
COMPLETED = "completed"
IN_FLIGHT = "in_flight"
CLASSES = (COMPLETED, COMPENSATED, UNCOMPENSATED, STUCK, ORPHAN, IN_FLIGHT)

MAX_EVENTS = 1_000  # per instance: a correlation id reused by every event must not grow O(n²)
_SETTLE_EVERY = 8_192  # events between sweeps for settled instances

# One observed event: (timestamp ms, arrival number, event name, event id, causation id).
Step = tuple[int, int, str, str | None, str | None]


@dataclass(slots=True)
class FlowStats:
    """What the instances of one flow (named after its start event) came to."""

    classes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    # (class, the event it stopped at or the compensation missing) → instances
    causes: Counter[tuple[str, str]] = field(default_factory=Counter)
    steps: dict[str, Histogram] = field(default_factory=dict)

    def merge(self, other: FlowStats, max_examples: int) -> None:
        self.classes.update(other.classes)
        self.causes.update(other.causes)
        for cls, ids in other.examples.items():
            mine = self.examples.setdefault(cls, [])
            mine.extend(i for i in ids if i not in mine)
            del mine[max_examples:]
        for step, hist in other.steps.items():
            self.steps.setdefault(step, Histogram()).merge(hist)

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": {c: self.classes.get(c, 0) for c in CLASSES},
            "examples": {c: list(v) for c, v in sorted(self.examples.items())},
            "causes": [
                {"class": c, "event": e, "instances": n}
                for (c, e), n in sorted(self.causes.items())
            ],
            "steps": {
                name: {
                    "reactions": h.total,
                    "p50_ms": h.percentile(0.5),
                    "p95_ms": h.percentile(0.95),
                    "histogram": h.to_json(),
                }
                for name, h in sorted(self.steps.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FlowStats:
        out = cls()
        out.classes.update({k: int(v) for k, v in data.get("classes", {}).items() if v})
        out.examples = {k: list(v) for k, v in data.get("examples", {}).items()}
        for row in data.get("causes", []):
            out.causes[(row["class"], row["event"])] += int(row["instances"])
        for name, step in data.get("steps", {}).items():
            out.steps[name] = Histogram.from_json(step.get("histogram", {}))
        return out


class SagaTracker:
    """Feed events with :meth:`observe`; :meth:`finish` classifies what is still open."""

    def __init__(self, model: SagaModel, *, now_ms: int | None = None, examples: int = 5) -> None:
        self.model = model
        self.now_ms = now_ms
        self.max_examples = examples
        self.flows: dict[str, FlowStats] = {}
        self.watermark = 0  # the newest timestamp seen
        self.peak_open = 0
        self.truncated = 0  # events beyond MAX_EVENTS of their instance, counted only
        # correlation id → its events so far; a bare list, as this is touched once per event
        self._open: dict[str, list[Step]] = {}
        self._last: dict[str, int] = {}  # correlation id → newest timestamp of its instance
        self._seen = 0

    def observe(
        self,
        correlation: str,
        name: str,
        ts_ms: int | None,
        event_id: str | None,
        causation: str | None,
    ) -> bool:
        """Record one event; True when its idempotency key repeats within the instance."""
        seen = self._seen = self._seen + 1
        if ts_ms is None:
            ts_ms = self.watermark
        elif ts_ms > self.watermark:
            self.watermark = ts_ms
        steps = self._open.get(correlation)
        if steps is None:
            steps = self._open[correlation] = []
            self.peak_open = max(self.peak_open, len(self._open))
        elif event_id is not None:
            # A scan beats a set here: instances hold a handful of events (MAX_EVENTS at most).
            for s in steps:
                if s[3] == event_id and s[2] == name:
                    return True
        if len(steps) < MAX_EVENTS:
            steps.append((ts_ms, seen, name, event_id, causation))
        else:
            self.truncated += 1
        last = self._last
        if ts_ms > last.get(correlation, -1):
            last[correlation] = ts_ms
        if not seen % _SETTLE_EVERY:
            self._settle(self.watermark - self.model.horizon_ms)
        return False

    def _settle(self, before: int) -> None:
        # No event for them within a horizon: their class cannot change any more.
        now = self.now_ms if self.now_ms is not None else self.watermark
        done = [cid for cid, last in self._last.items() if last < before]
        for cid in done:
            del self._last[cid]
            self._classify(cid, self._open.pop(cid), now)

    def finish(self) -> dict[str, FlowStats]:
        """Classify every open instance at ``now`` and return the statistics per flow."""
        now = self.now_ms if self.now_ms is not None else self.watermark
        for cid in list(self._open):
            self._classify(cid, self._open.pop(cid), now)
        self._last.clear()
        return dict(sorted(self.flows.items()))

    def _classify(self, cid: str, events: list[Step], now: int) -> None:
        steps = sorted(events)
        cls, cause, latencies = classify(self.model, steps, now)
        flow = self._flow_name(steps)
        stats = self.flows.get(flow)
        if stats is None:
            stats = self.flows[flow] = FlowStats()
        stats.classes[cls] += 1
        if cause:
            stats.causes[(cls, cause)] += 1
        examples = stats.examples.setdefault(cls, [])
        if len(examples) < self.max_examples:
            examples.append(cid)
        for step, ms in latencies:
            hist = stats.steps.get(step)
            if hist is None:
                hist = stats.steps[step] = Histogram()
            hist.add(ms)

    def _flow_name(self, steps: list[Step]) -> str:
        for s in steps:
            role = self.model.roles.get(s[2])
            if role is not None and role.kind == "start":
                return s[2]
        return steps[0][2] if steps else "(none)"


def classify(
    model: SagaModel, steps: list[Step], now: int
) -> tuple[str, str | None, list[tuple[str, int]]]:
    """(class, the event or compensation behind it, reaction latencies) of one instance.

    ``steps`` are sorted by timestamp then arrival.
    """
    roles = model.roles
    ids = {s[3] for s in steps if s[3] is not None}
    for s in steps:
        if s[4] and s[4] not in ids:
            return ORPHAN, s[2], []
    latencies: list[tuple[str, int]] = []
    unanswered: list[Step] = []
    failed: list[Step] = []
    n = len(steps)
    for i in range(n):
        s = steps[i]
        role = roles.get(s[2])
        if role is None:
            continue
        if role.kind in (FAILURE, COMPENSATION):
            failed.append(s)
            continue
        reactions = role.reactions
        if not reactions:
            continue
        sid = s[3]
        for j in range(i + 1, n):
            later = steps[j]
            if later[2] in reactions and (not later[4] or not sid or later[4] == sid):
                latencies.append((s[2], later[0] - s[0]))
                break
        else:
            unanswered.append(s)
    if failed:
        names = {s[2] for s in steps}
        required: list[str] = []
        for s in steps:
            role = roles.get(s[2])
            if role is not None and role.kind not in (FAILURE, COMPENSATION):
                required.extend(c for c in role.compensation if c not in required)
        missing = [c for c in required if c not in names]
        if not missing:
            return COMPENSATED, None, latencies
        deadline = max(s[0] + roles[s[2]].budget_ms for s in failed)
        if now > deadline:
            return UNCOMPENSATED, missing[0], latencies
        return IN_FLIGHT, None, latencies
    for s in unanswered:
        if now > s[0] + roles[s[2]].budget_ms:
            return STUCK, s[2], latencies
    if unanswered:
        return IN_FLIGHT, None, latencies
    return COMPLETED, None, latencies
