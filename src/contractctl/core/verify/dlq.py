"""Dead-letter triage (``verify --dlq``): whose bug put each group of events there.

A dead-lettered event is matched to a contract by the original topic its DLQ header names,
else by the contracts whose error policy names this dead-letter channel, else by trying every
contract. Events are grouped by event type, error header and contract; a group whose payloads
break the contract is a producer bug, one whose payloads validate is a consumer bug (the
consumer failed on an event it had promised to accept). Reading and decoding are the
verifier's; only the judgement differs, and no saga is tracked (dead letters are no flow).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractctl.core.contract.model import Contract
from contractctl.core.rules import verify as rv
from contractctl.core.verify.index import Target
from contractctl.core.verify.tally import Where
from contractctl.core.verify.verifier import SchemaLookup, Verifier, VerifyOptions

# Headers naming the consumer's error and the event's original topic, as Kafka Connect,
# Spring Kafka and hand-written consumers set them; the first one present is used.
ERROR_HEADERS = (
    "__connect.errors.exception.message",
    "kafka_dlt-exception-message",
    "x-exception-message",
    "error",
    "x-error",
)
TOPIC_HEADERS = ("__connect.errors.topic", "kafka_dlt-original-topic", "x-original-topic")
_MAX_ERROR = 120


@dataclass(frozen=True, slots=True)
class DlqHeaders:
    error: tuple[str, ...] = ERROR_HEADERS
    topic: tuple[str, ...] = TOPIC_HEADERS

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.error, *self.topic)


class DlqTriage(Verifier):
    def __init__(
        self,
        contracts: Sequence[Contract],
        options: VerifyOptions | None = None,
        *,
        lookup: SchemaLookup | None = None,
        headers: DlqHeaders | None = None,
    ) -> None:
        super().__init__(contracts, options, lookup=lookup)
        self.headers = headers or DlqHeaders()
        self.by_dead_letter: dict[str, list[Target]] = {}
        for t in self.index.targets:
            policy = t.contract.error_policy
            if policy is not None and policy.dead_letter:
                self.by_dead_letter.setdefault(policy.dead_letter, []).append(t)

    def feed_message(self, topic: str, value: bytes | None, where: Where, **kw: Any) -> None:
        # A DLQ topic is no contract's channel: decode as if on the original topic.
        headers = kw.get("headers") or {}
        original = _first(headers, self.headers.topic)
        super().feed_message(original or topic, value, where, **kw)

    def _check(
        self,
        value: Any,
        topic: str | None,
        key: str | None,
        headers: Mapping[str, str] | None,
        ts: int | None,
        where: Where,
        *,
        target: Target | None = None,
        trusted: bool = False,
    ) -> None:
        headers = headers or {}
        error = (_first(headers, self.headers.error) or "no error header")[:_MAX_ERROR]
        if target is not None:
            candidates = [target]
        else:
            original = _first(headers, self.headers.topic) or topic
            candidates = (
                self.index.by_channel.get(original or "")
                or self.by_dead_letter.get(topic or "")
                or self.index.targets
            )
            named = headers.get(self._type_header) if self._type_header else None
            if named:
                name = str(named).partition("@")[0]
                candidates = [t for t in candidates if t.name == name] or candidates
        matched = target if trusted else next((t for t in candidates if t.valid(value)), None)
        if matched is not None:
            matched.seen += 1
            self.tally.add(
                rv.DLQ_CONSUMER_BUG,
                f"{matched.name}, error {error!r}: validates against {matched.id}",
                where,
                event=matched.id,
                payload=value,
            )
            return
        best = min(candidates, key=lambda t: sum(1 for _ in t.errors(value)))
        self.tally.add(
            rv.DLQ_PRODUCER_BUG,
            f"{best.name}, error {error!r}: breaks {best.id}",
            where,
            event=best.id,
            payload=value,
        )


def _first(headers: Mapping[str, str], names: Sequence[str]) -> str | None:
    for name in names:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def dlq_summary(findings: Sequence[Any]) -> list[dict[str, Any]]:
    """The triage table: one row per (event type, error, contract) group, biggest first."""
    verdicts = {rv.DLQ_PRODUCER_BUG: "producer bug", rv.DLQ_CONSUMER_BUG: "consumer bug"}
    rows = [
        {
            "group": f.extra.get("group"),
            "contract": f.event,
            "events": f.extra.get("count"),
            "verdict": verdicts[f.rule_id],
            "samples": f.extra.get("samples"),
        }
        for f in findings
        if f.rule_id in verdicts
    ]
    return sorted(rows, key=lambda r: (-int(r["events"] or 0), str(r["group"])))
