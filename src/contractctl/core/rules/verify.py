"""The rule table of ``contractctl verify``: real events held to their contracts, and sagas."""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

UNREADABLE = "VERIFY_EVENT_UNREADABLE"
UNKNOWN_CHANNEL = "VERIFY_UNKNOWN_CHANNEL"
NO_CONTRACT = "VERIFY_NO_MATCHING_CONTRACT"
UNKNOWN_SCHEMA_ID = "VERIFY_UNKNOWN_SCHEMA_ID"
UNKNOWN_VERSION = "VERIFY_UNKNOWN_VERSION"
PAYLOAD_INVALID = "VERIFY_PAYLOAD_INVALID"
KEY_MISMATCH = "VERIFY_KEY_MISMATCH"
CORRELATION_MISSING = "VERIFY_CORRELATION_MISSING"
IDEMPOTENCY_MISSING = "VERIFY_IDEMPOTENCY_KEY_MISSING"
SUNSET_PASSED = "VERIFY_SUNSET_PASSED"
DUPLICATE = "VERIFY_DUPLICATE"
SAGA_STUCK = "VERIFY_SAGA_STUCK"
SAGA_UNCOMPENSATED = "VERIFY_SAGA_UNCOMPENSATED"
SAGA_ORPHAN = "VERIFY_SAGA_ORPHAN"
DLQ_PRODUCER_BUG = "VERIFY_DLQ_BREAKS_CONTRACT"
DLQ_CONSUMER_BUG = "VERIFY_DLQ_VALID_EVENT"

VERIFY_RULES: tuple[Rule, ...] = (
    Rule(
        id=UNREADABLE,
        summary="A record that is no event: truncated or non-JSON text, a wrong magic byte, "
        "undecodable Avro, or over the size limit.",
        category=Category.VERIFY,
        hint="Fix the producer's serializer, or the capture that wrote the file.",
    ),
    Rule(
        id=UNKNOWN_CHANNEL,
        summary="An event on a topic no contract declares as its channel.",
        category=Category.VERIFY,
        hint="Add a contract for the topic, or stop producing to it.",
    ),
    Rule(
        id=NO_CONTRACT,
        summary="An event that matches no contract of its channel (type header or schema).",
        category=Category.VERIFY,
        hint="The producer emits an event type its channel's contracts do not declare.",
    ),
    Rule(
        id=UNKNOWN_SCHEMA_ID,
        summary="A Confluent wire-format event whose schema id the registry does not know.",
        category=Category.VERIFY,
        hint="Was the schema registered in another registry? Check the producer's registry URL.",
    ),
    Rule(
        id=UNKNOWN_VERSION,
        summary="An event written with a schema version the contract history does not know.",
        category=Category.VERIFY,
        hint="Add the version's contract (and review it) before producing with it.",
    ),
    Rule(
        id=PAYLOAD_INVALID,
        summary="An event's payload breaks its contract's schema.",
        category=Category.VERIFY,
        hint="A producer bug: the payload must validate before it is sent.",
    ),
    Rule(
        id=KEY_MISMATCH,
        summary="The partition key differs from the contract's declared `key` field.",
        category=Category.VERIFY,
        hint="Per-key ordering only holds when the message key is the declared field's value.",
    ),
    Rule(
        id=CORRELATION_MISSING,
        summary="The correlation field is absent or empty: the event belongs to no workflow.",
        category=Category.VERIFY,
    ),
    Rule(
        id=IDEMPOTENCY_MISSING,
        summary="The idempotency key field is absent or empty: consumers cannot deduplicate.",
        category=Category.VERIFY,
    ),
    Rule(
        id=SUNSET_PASSED,
        summary="An event of a deprecated version produced after its sunset date.",
        category=Category.VERIFY,
        severity=Severity.WARNING,
        hint="Move the producer to the replacement version.",
    ),
    Rule(
        id=DUPLICATE,
        summary="A duplicate idempotency key on an exactly-once or at-most-once event.",
        category=Category.VERIFY,
        hint="At-least-once duplicates are only counted (a rate in the summary).",
    ),
    Rule(
        id=SAGA_STUCK,
        summary="A workflow instance stopped at an event its consumers should react to, "
        "past their error-policy budget.",
        category=Category.VERIFY,
        hint="Look at the awaited consumer's lag, errors and dead-letter channel.",
    ),
    Rule(
        id=SAGA_UNCOMPENSATED,
        summary="A workflow instance failed and a compensation its done steps declare never "
        "appeared.",
        category=Category.VERIFY,
        hint="The service owning the missing compensation did not undo its step.",
    ),
    Rule(
        id=SAGA_ORPHAN,
        summary="An event whose causation id points at an event never seen in its workflow.",
        category=Category.VERIFY,
        severity=Severity.WARNING,
        hint="The cause was lost, is in another capture, or the causation id is wrong.",
    ),
    Rule(
        id=DLQ_PRODUCER_BUG,
        summary="Dead-lettered events whose payload breaks their contract: a producer bug.",
        category=Category.VERIFY,
        hint="Fix the producer; replaying these events will fail again.",
    ),
    Rule(
        id=DLQ_CONSUMER_BUG,
        summary="Dead-lettered events that validate against their contract: a consumer bug.",
        category=Category.VERIFY,
        severity=Severity.WARNING,
        hint="The consumer failed on a valid event; fix it, then replay the dead letters.",
    ),
)
