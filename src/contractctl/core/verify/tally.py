"""Findings of a stream, grouped: one finding per rule and place, with a count and samples.

A million events breaking the same rule at the same pointer are one finding, not a million:
memory grows with the distinct (rule, contract, pointer, problem) groups, and each group keeps
at most ``samples`` source positions (file:line or topic/partition/offset), plus the payloads
only when the user asked for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractctl.core.rules import get_rule
from contractctl.core.vocab.findings import Finding

# Where an event came from: (file, line) or (topic, partition, offset).
Where = tuple[str, int] | tuple[str, int, int]


def where_text(where: Where) -> str:
    if len(where) == 2:
        return f"{where[0]}:{where[1]}"
    return f"{where[0]}/{where[1]}/{where[2]}"


@dataclass(slots=True)
class _Group:
    rule: str
    message: str
    event: str | None
    pointer: str | None
    count: int = 0
    samples: list[Where] = field(default_factory=list)
    payloads: list[Any] = field(default_factory=list)


class Tally:
    def __init__(self, samples: int = 5, *, show_payloads: bool = False) -> None:
        self.samples = max(0, samples)
        self.show_payloads = show_payloads
        self._groups: dict[tuple[str, str, str, str], _Group] = {}

    def add(
        self,
        rule: str,
        message: str,
        where: Where | None,
        *,
        event: str | None = None,
        pointer: str | None = None,
        payload: Any = None,
    ) -> None:
        key = (rule, event or "", pointer or "", message)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(rule, message, event, pointer)
        group.count += 1
        if where is not None and len(group.samples) < self.samples:
            group.samples.append(where)
            if self.show_payloads:
                group.payloads.append(payload)

    @property
    def events_with_findings(self) -> int:
        return sum(g.count for g in self._groups.values())

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for g in self._groups.values():
            rule = get_rule(g.rule)
            first = g.samples[0] if g.samples else None
            samples = [where_text(w) for w in g.samples]
            many = f"{g.count} events" if g.count != 1 else "1 event"
            seen = f"; e.g. {', '.join(samples[:3])}" if samples else ""
            extra: dict[str, object] = {"count": g.count, "samples": samples, "group": g.message}
            if self.show_payloads:
                extra["payloads"] = g.payloads
            out.append(
                Finding(
                    rule_id=g.rule,
                    severity=rule.severity,
                    message=f"{g.message} ({many}{seen})",
                    file=first[0] if first else None,
                    line=first[1] if first is not None and len(first) == 2 else None,
                    pointer=g.pointer,
                    hint=rule.hint,
                    event=g.event,
                    extra=extra,
                )
            )
        return out
