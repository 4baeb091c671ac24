"""The contract rules (CONTRACT_*): structure, schema, examples, references, governance."""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

CONTRACT_RULES = (
    # Structure: the document itself. Not configurable: nothing else can run without them.
    Rule(
        "CONTRACT_UNREADABLE",
        "The file cannot be read or parsed as a contract.",
        Category.STRUCTURE,
        E,
    ),
    Rule(
        "CONTRACT_PATH_SKIPPED",
        "An entry below a contracts folder the search did not follow (a symlinked folder, "
        "a symlink loop) or a folder named like a contract file.",
        Category.STRUCTURE,
        W,
    ),
    Rule(
        "CONTRACT_UNKNOWN_FIELD",
        "A field the contract format does not define.",
        Category.STRUCTURE,
        E,
    ),
    Rule("CONTRACT_MISSING_FIELD", "A required field is missing.", Category.STRUCTURE, E),
    Rule("CONTRACT_FIELD_TYPE", "A field has the wrong type.", Category.STRUCTURE, E),
    Rule(
        "CONTRACT_INVALID_VALUE",
        "A field's value is not one the format allows.",
        Category.STRUCTURE,
        E,
    ),
    # The payload schema.
    Rule(
        "CONTRACT_SCHEMA_INVALID",
        "The payload schema is not a valid JSON Schema / Avro schema.",
        Category.SCHEMA,
        E,
    ),
    Rule(
        "CONTRACT_SCHEMA_DIALECT",
        "The JSON Schema declares an unknown $schema dialect.",
        Category.SCHEMA,
        E,
    ),
    Rule("CONTRACT_SCHEMA_REF", "A $ref in the schema does not resolve.", Category.SCHEMA, E),
    Rule(
        "CONTRACT_SCHEMA_REMOTE_REF",
        "A remote $ref that is not fetched (allow_remote_refs is off).",
        Category.SCHEMA,
        E,
        configurable=True,
    ),
    # Examples.
    Rule(
        "CONTRACT_EXAMPLE_INVALID",
        "An example payload does not validate against the schema.",
        Category.EXAMPLE,
        E,
        configurable=True,
    ),
    # References.
    Rule(
        "CONTRACT_FIELD_NOT_IN_SCHEMA",
        "key, idempotency_key or correlation names a field the schema lacks.",
        Category.REFERENCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_UNKNOWN_EVENT",
        "A compensation or replaced_by event that no contract declares.",
        Category.REFERENCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_DUPLICATE",
        "Two files declare the same event name and version.",
        Category.REFERENCE,
        E,
    ),
    Rule(
        "CONTRACT_VERSION_RANGE",
        "A consumer's version range cannot be parsed.",
        Category.REFERENCE,
        E,
        configurable=True,
    ),
    # Governance: house rules, all configurable in contractctl.yaml and ignorable per contract.
    Rule(
        "CONTRACT_OWNER_REQUIRED",
        "Every event names the team that owns it (owner).",
        Category.GOVERNANCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_DESCRIPTION_REQUIRED",
        "Every event says what happened and what consumers may rely on (description).",
        Category.GOVERNANCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_SUMMARY_REQUIRED",
        "Every event has a one-line summary.",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_PRODUCER_REQUIRED",
        "Every event names the service that emits it (producer).",
        Category.GOVERNANCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_CHANNEL_REQUIRED",
        "Every event names the channel (topic) it is sent on.",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_IDEMPOTENCY_KEY",
        "At-least-once delivery needs an idempotency key so consumers can deduplicate.",
        Category.GOVERNANCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_DEAD_LETTER",
        "Finite retries need a dead-letter channel, or failed events are lost.",
        Category.GOVERNANCE,
        E,
        configurable=True,
    ),
    Rule(
        "CONTRACT_EVENT_NAME",
        "Event names are PascalCase and in the past tense (OrderPlaced, not PlaceOrder).",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_CONSUMER_PURPOSE",
        "Every consumer states why it consumes the event (purpose).",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_DEPRECATED_REPLACEMENT",
        "A deprecated event names its replacement (replaced_by).",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_SUNSET_PASSED",
        "A deprecated event is past its sunset date.",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_EXAMPLE_REQUIRED",
        "Every event has at least one example payload.",
        Category.GOVERNANCE,
        I,
        configurable=True,
    ),
    Rule(
        "CONTRACT_SERVICE_UNDECLARED",
        "A producer or consumer is not declared under services: in contractctl.yaml "
        "(off unless its severity is set there).",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
    Rule(
        "CONTRACT_IGNORE_UNKNOWN_RULE",
        "An ignore entry names a rule that does not exist.",
        Category.GOVERNANCE,
        W,
        configurable=True,
    ),
)
