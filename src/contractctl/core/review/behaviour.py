"""Behavioural changes between two versions of one contract: each promise beyond the payload
(channel, key, ordering, delivery, correlation, error policy, producer, consumers,
deprecation) judged as a (before, after) pair by a small function.

A judge yields ``BehaviourChange`` facts; whether one fails the gate is the rule's severity,
configured like every other rule. Strengthening a promise is reported as compatible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from contractctl.core.contract.model import Contract

# Weakest first: an absent declaration promises nothing, so it ranks as the weakest.
_ORDERING = ("none", "per-key", "total")
_GUARANTEE = ("at-most-once", "at-least-once", "exactly-once")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)$")
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True, slots=True)
class BehaviourChange:
    """One changed promise: the rule it falls under, where in the contract, before/after."""

    rule_id: str
    pointer: str
    message: str
    old: object = None
    new: object = None


def _seconds(duration: str | None) -> float | None:
    m = _DURATION.match(duration or "")
    return float(m.group(1)) * _SECONDS[m.group(2)] if m else None


def _shown(value: object) -> str:
    return "(none)" if value is None else f"`{value}`"


def _moved(
    rule_id: str, pointer: str, what: str, old: str | None, new: str | None
) -> Iterator[BehaviourChange]:
    """A declared value that was changed or removed (adding one where none was is no break)."""
    if old is not None and old != new:
        verb = "removed" if new is None else f"changed to {_shown(new)}"
        yield BehaviourChange(rule_id, pointer, f"{what} {_shown(old)} was {verb}", old, new)


def _ranked(
    rule_id: str, pointer: str, what: str, scale: tuple[str, ...], old: str | None, new: str | None
) -> Iterator[BehaviourChange]:
    before = scale.index(old) if old in scale else 0
    after = scale.index(new) if new in scale else 0
    shown_old, shown_new = old or scale[0], new or scale[0]
    if after < before:
        message = f"{what} weakened from `{shown_old}` to `{shown_new}`"
        yield BehaviourChange(rule_id, pointer, message, old, new)
    elif after > before:
        message = f"{what} strengthened from `{shown_old}` to `{shown_new}`"
        yield BehaviourChange("BEHAVIOUR_STRENGTHENED", pointer, message, old, new)


def _transport(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    yield from _moved("BEHAVIOUR_CHANNEL_CHANGED", "/channel", "channel", old.channel, new.channel)
    yield from _moved("BEHAVIOUR_KEY_CHANGED", "/key", "partition key", old.key, new.key)
    yield from _ranked(
        "BEHAVIOUR_ORDERING_WEAKENED",
        "/ordering",
        "ordering",
        _ORDERING,
        old.ordering,
        new.ordering,
    )


def _delivery(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    before, after = old.delivery, new.delivery
    yield from _ranked(
        "BEHAVIOUR_GUARANTEE_WEAKENED",
        "/delivery/guarantee" if after is not None else "/delivery",
        "delivery guarantee",
        _GUARANTEE,
        before.guarantee if before else None,
        after.guarantee if after else None,
    )
    yield from _moved(
        "BEHAVIOUR_IDEMPOTENCY_KEY_CHANGED",
        "/delivery/idempotency_key" if after is not None else "/delivery",
        "idempotency key",
        before.idempotency_key if before else None,
        after.idempotency_key if after else None,
    )


def _correlation(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    before, after = old.correlation, new.correlation
    for name in ("correlation_id", "causation_id"):
        yield from _moved(
            "BEHAVIOUR_CORRELATION_CHANGED",
            f"/correlation/{name}" if after is not None else "/correlation",
            name.replace("_", " ").replace(" id", " field"),
            getattr(before, name) if before else None,
            getattr(after, name) if after else None,
        )


def _error_policy(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    before, after = old.error_policy, new.error_policy
    at = "/error_policy" if after is not None else ""
    yield from _moved(
        "BEHAVIOUR_DEAD_LETTER_CHANGED",
        f"{at}/dead_letter" if after and after.dead_letter else at,
        "dead-letter channel",
        before.dead_letter if before else None,
        after.dead_letter if after else None,
    )
    tries_old = before.retries.max_attempts if before and before.retries else 0
    tries_new = after.retries.max_attempts if after and after.retries else 0
    if tries_old > 0 and tries_new == 0:
        yield BehaviourChange(
            "BEHAVIOUR_RETRIES_REMOVED",
            f"{at}/retries" if after and after.retries else at,
            f"retries reduced from {tries_old} attempts to none",
            tries_old,
            tries_new,
        )
    elif tries_old == 0 and tries_new > 0:
        yield BehaviourChange(
            "BEHAVIOUR_STRENGTHENED",
            f"{at}/retries",
            f"retries added ({tries_new} attempts)",
            tries_old,
            tries_new,
        )
    t_old, t_new = before.timeout if before else None, after.timeout if after else None
    s_old, s_new = _seconds(t_old), _seconds(t_new)
    if s_old is not None and s_new is not None and s_new != s_old:
        rule = "BEHAVIOUR_TIMEOUT_SHORTENED" if s_new < s_old else "BEHAVIOUR_STRENGTHENED"
        verb = "shortened" if s_new < s_old else "lengthened"
        yield BehaviourChange(rule, f"{at}/timeout", f"timeout {verb} from {t_old} to {t_new}")
    kept = set(after.compensation) if after else set()
    for event in before.compensation if before else ():
        if event not in kept:
            yield BehaviourChange(
                "BEHAVIOUR_COMPENSATION_REMOVED",
                f"{at}/compensation" if after and after.compensation else at,
                f"compensation event {event} was removed",
                event,
                None,
            )


def _parties(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    yield from _moved(
        "BEHAVIOUR_PRODUCER_CHANGED", "/producer", "producer", old.producer, new.producer
    )
    kept = {c.service for c in new.consumers}
    for consumer in old.consumers:
        if consumer.service not in kept:
            yield BehaviourChange(
                "BEHAVIOUR_CONSUMER_REMOVED",
                "/consumers" if new.consumers else "",
                f"consumer {consumer.service} is no longer declared",
                consumer.service,
                None,
            )


def _deprecation(old: Contract, new: Contract) -> Iterator[BehaviourChange]:
    if new.deprecated is None:
        return
    if old.deprecated is None:
        to = f" (replaced by {new.deprecated.replaced_by})" if new.deprecated.replaced_by else ""
        yield BehaviourChange("BEHAVIOUR_DEPRECATED", "/deprecated", f"deprecated{to}")
        return
    before, after = old.deprecated.sunset, new.deprecated.sunset
    # ISO dates compare as text; a malformed one is the format check's finding.
    if before and after and after < before:
        yield BehaviourChange(
            "BEHAVIOUR_SUNSET_EARLIER",
            "/deprecated/sunset",
            f"sunset moved earlier from {before} to {after}",
            before,
            after,
        )


JUDGES: tuple[Callable[[Contract, Contract], Iterator[BehaviourChange]], ...] = (
    _transport,
    _delivery,
    _correlation,
    _error_policy,
    _parties,
    _deprecation,
)


def behaviour_changes(old: Contract, new: Contract) -> list[BehaviourChange]:
    """Every behavioural change from ``old`` to ``new`` (two versions of one event)."""
    return [change for judge in JUDGES for change in judge(old, new)]
