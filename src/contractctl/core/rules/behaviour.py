"""Behavioural rules (BEHAVIOUR_*): what a contract promises beyond its payload schema.

A channel, a partition key, an ordering or delivery guarantee, correlation fields and an
error policy are promises consumers build on; weakening one breaks them as surely as a
removed field, yet no schema registry sees it. ``core.review.behaviour`` judges each one.
"""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
_CONSUMERS = frozenset({"consumers"})
_OPERATORS = frozenset({"operators"})
_SAGA = frozenset({"saga"})


def _rule(
    rule_id: str, summary: str, severity: Severity, affects: frozenset[str], hint: str
) -> Rule:
    return Rule(
        rule_id,
        summary,
        Category.BEHAVIOUR,
        severity,
        configurable=True,
        hint=hint,
        affects=affects,
    )


BEHAVIOUR_RULES = (
    _rule(
        "BEHAVIOUR_CHANNEL_CHANGED",
        "The channel (topic) was renamed or removed: subscribed consumers receive nothing.",
        E,
        _CONSUMERS,
        "Publish to both channels until every consumer has moved, or release a new major version.",
    ),
    _rule(
        "BEHAVIOUR_KEY_CHANGED",
        "The partition key changed or was removed: per-key ordering is silently lost.",
        E,
        _CONSUMERS,
        "Keep the key; a new key is a new major version (events of one entity would spread "
        "over partitions).",
    ),
    _rule(
        "BEHAVIOUR_ORDERING_WEAKENED",
        "The ordering guarantee was weakened (total → per-key → none).",
        E,
        _CONSUMERS,
        "Consumers relying on the order must reorder or tolerate it first; release a new "
        "major version.",
    ),
    _rule(
        "BEHAVIOUR_GUARANTEE_WEAKENED",
        "The delivery guarantee was weakened (exactly-once → at-least-once → at-most-once).",
        E,
        _CONSUMERS,
        "Consumers must deduplicate (at-least-once) or tolerate loss (at-most-once) first.",
    ),
    _rule(
        "BEHAVIOUR_IDEMPOTENCY_KEY_CHANGED",
        "The idempotency key changed or was removed: consumers deduplicate on the wrong field.",
        E,
        _CONSUMERS,
        "Keep the field consumers deduplicate on; add a new one beside it if needed.",
    ),
    _rule(
        "BEHAVIOUR_CORRELATION_CHANGED",
        "The correlation or causation field changed or was removed: flows can no longer be joined.",
        E,
        _SAGA,
        "Keep the field every event of the flow shares.",
    ),
    _rule(
        "BEHAVIOUR_DEAD_LETTER_CHANGED",
        "The dead-letter channel changed or was removed.",
        W,
        _OPERATORS,
        "Move the alerting and replay tooling watching the old channel first.",
    ),
    _rule(
        "BEHAVIOUR_RETRIES_REMOVED",
        "Retries were reduced to none: one transient failure now loses or dead-letters the event.",
        W,
        _CONSUMERS,
        "Keep at least one retry with backoff unless handling is idempotent and alerting is in "
        "place.",
    ),
    _rule(
        "BEHAVIOUR_TIMEOUT_SHORTENED",
        "The handling timeout was shortened: slow consumers start to fail.",
        W,
        _CONSUMERS,
        "Check the slowest consumer's handling time before shortening the timeout.",
    ),
    _rule(
        "BEHAVIOUR_COMPENSATION_REMOVED",
        "A compensation event was removed: the saga can no longer undo this step.",
        E,
        _SAGA,
        "Keep the compensation until the flow no longer needs to undo this event.",
    ),
    _rule(
        "BEHAVIOUR_PRODUCER_CHANGED",
        "The producing service changed.",
        W,
        _CONSUMERS,
        "Make sure the new producer keeps every promise of the contract (key, ordering, delivery).",
    ),
    _rule(
        "BEHAVIOUR_CONSUMER_REMOVED",
        "A consumer is no longer declared.",
        I,
        _CONSUMERS,
        "Informational: confirm the service has stopped consuming the event.",
    ),
    _rule(
        "BEHAVIOUR_DEPRECATED",
        "The event was deprecated.",
        I,
        _CONSUMERS,
        "Consumers should plan their move to the replacement before the sunset date.",
    ),
    _rule(
        "BEHAVIOUR_SUNSET_EARLIER",
        "The sunset date was moved earlier.",
        W,
        _CONSUMERS,
        "Tell the consumers still reading the event; they have less time to move.",
    ),
    _rule(
        "BEHAVIOUR_STRENGTHENED",
        "A promise was strengthened (ordering, delivery, retries, timeout): compatible.",
        I,
        frozenset(),
        "Nothing to do: consumers may rely on more than before.",
    ),
)
