"""Checks over loaded contracts: examples, references and governance rules.

Each check yields ``Finding``s at the rule's default severity; ``apply_settings`` then
applies contractctl.yaml severities and per-contract ``ignore`` entries in one place.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Contract
from contractctl.core.rules import get_rule
from contractctl.core.vocab.findings import Finding, Severity

_PASCAL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*$")
_WORDS = re.compile(r"[A-Z][a-z0-9]*")
# Past participles that do not end in -ed.
_IRREGULAR = frozenset(
    [
        "Built",
        "Bought",
        "Brought",
        "Caught",
        "Chosen",
        "Done",
        "Drawn",
        "Driven",
        "Eaten",
        "Fallen",
        "Found",
        "Forgotten",
        "Frozen",
        "Given",
        "Gone",
        "Grown",
        "Held",
        "Hidden",
        "Kept",
        "Known",
        "Laid",
        "Left",
        "Lent",
        "Lost",
        "Made",
        "Met",
        "Paid",
        "Put",
        "Read",
        "Run",
        "Said",
        "Seen",
        "Sent",
        "Set",
        "Shown",
        "Shut",
        "Sold",
        "Spent",
        "Split",
        "Spun",
        "Stolen",
        "Struck",
        "Taken",
        "Thrown",
        "Told",
        "Understood",
        "Upset",
        "Withdrawn",
        "Won",
        "Written",
        "Begun",
        "Become",
        "Cut",
        "Dealt",
        "Fed",
        "Felt",
        "Fought",
        "Hit",
        "Hung",
        "Hurt",
        "Led",
        "Let",
        "Lit",
        "Quit",
        "Rung",
        "Shot",
        "Sped",
        "Stood",
        "Stuck",
        "Swept",
        "Torn",
        "Undone",
        "Woken",
        "Worn",
        "Reset",
        "Rebuilt",
        "Resent",
        "Resold",
        "Overridden",
        "Overwritten",
    ]
)


def _file(c: Contract) -> str:
    return display_path(c.path)


def _at(
    c: Contract,
    rule: str,
    message: str,
    pointer: str,
    *,
    key: bool = False,
    hint: str | None = None,
) -> Finding:
    return Finding(
        rule,
        get_rule(rule).severity,
        message,
        file=_file(c),
        line=c.positions.line(pointer, key=key),
        column=c.positions.column(pointer, key=key),
        pointer=pointer,
        hint=hint,
        event=c.name,
    )


# ---------------------------------------------------------------------------------------------
# Examples


@cache
def _rs_validator(key: int) -> Any:
    from contractctl.core.schema.offline import compile_validator

    # The schema is bundled: a ref left outside it (remote, unresolved) is not fetched.
    return compile_validator(_PINNED[key], validate_formats=True)


_PINNED: dict[int, Any] = {}


def check_examples(c: Contract, resolved_schema: Any) -> Iterator[Finding]:
    if not c.examples:
        return
    if c.schema.format == "avro":
        yield from _avro_examples(c)
        return
    from contractctl.core.schema import dialects

    schema = dialects.normalised(resolved_schema)
    _PINNED[id(schema)] = schema
    try:
        validator = _rs_validator(id(schema))
    except Exception:
        return
    for ex in c.examples:
        errors = sorted(validator.iter_errors(ex.payload), key=lambda e: list(e.instance_path))
        for error in errors[:10]:
            path = "".join(f"/{t}" for t in error.instance_path)
            yield _at(
                c,
                "CONTRACT_EXAMPLE_INVALID",
                f"example {ex.name!r} at {path or '/'}: {error.message}",
                ex.pointer + ("/payload" + path if ex.file is None else ""),
                hint=f"in {ex.file.name}" if ex.file is not None else None,
            )


def _avro_examples(c: Contract) -> Iterator[Finding]:
    from fastavro import parse_schema
    from fastavro.validation import ValidationError, validate

    from contractctl.core.schema.avro_errors import describe_all

    try:
        named: dict[str, Any] = {}
        for ref in c.schema.references:
            parse_schema(ref.document, named_schemas=named)
        parsed = parse_schema(c.schema.document, named_schemas=named)
    except Exception:
        return
    for ex in c.examples:
        try:
            validate(ex.payload, parsed, raise_errors=True)
        except ValidationError as exc:
            for problem in describe_all(exc.errors)[:10]:
                yield _at(
                    c,
                    "CONTRACT_EXAMPLE_INVALID",
                    f"example {ex.name!r} does not match the Avro schema: {problem}",
                    ex.pointer,
                )
        except (TypeError, ValueError, AttributeError) as exc:
            yield _at(
                c,
                "CONTRACT_EXAMPLE_INVALID",
                f"example {ex.name!r} does not match the Avro schema: {exc}",
                ex.pointer,
            )


# ---------------------------------------------------------------------------------------------
# References


def check_fields(c: Contract, resolved_schema: Any) -> Iterator[Finding]:
    from contractctl.core.schema.fields import avro_has_field, json_has_field

    wanted = []
    if c.key:
        wanted.append(("key", c.key, "/key"))
    if c.delivery and c.delivery.idempotency_key:
        wanted.append(
            ("delivery.idempotency_key", c.delivery.idempotency_key, "/delivery/idempotency_key")
        )
    if c.correlation:
        wanted.append(
            (
                "correlation.correlation_id",
                c.correlation.correlation_id,
                "/correlation/correlation_id",
            )
        )
        if c.correlation.causation_id:
            wanted.append(
                (
                    "correlation.causation_id",
                    c.correlation.causation_id,
                    "/correlation/causation_id",
                )
            )
    for label, path, pointer in wanted:
        if c.schema.format == "avro":
            ok = avro_has_field(c.schema.document, path, c.schema.named_types)
        else:
            ok = json_has_field(resolved_schema, path)
        if not ok:
            yield _at(
                c,
                "CONTRACT_FIELD_NOT_IN_SCHEMA",
                f"{label} names field {path!r}, which the payload schema does not declare",
                pointer,
                hint="declare the field in the schema or fix the name",
            )


def check_references(contracts: Iterable[Contract]) -> Iterator[Finding]:
    """Cross-contract: compensation/replaced_by events exist, no duplicate name+version."""
    all_contracts = list(contracts)
    names = {c.name for c in all_contracts}
    seen: dict[tuple[str, str], Contract] = {}
    from contractctl.core.contract.versions import parse_range

    for c in all_contracts:
        key = (c.name, c.version)
        if key in seen:
            yield _at(
                c,
                "CONTRACT_DUPLICATE",
                f"{c.name} {c.version} is also declared in {_file(seen[key])}",
                "/version",
            )
        else:
            seen[key] = c
        if c.error_policy:
            for i, event in enumerate(c.error_policy.compensation):
                if event not in names:
                    yield _at(
                        c,
                        "CONTRACT_UNKNOWN_EVENT",
                        f"compensation event {event!r} is not declared by any contract",
                        f"/error_policy/compensation/{i}",
                        hint=_close(event, names),
                    )
        if c.deprecated and c.deprecated.replaced_by and c.deprecated.replaced_by not in names:
            yield _at(
                c,
                "CONTRACT_UNKNOWN_EVENT",
                f"replaced_by event {c.deprecated.replaced_by!r} is not declared by any contract",
                "/deprecated/replaced_by",
                hint=_close(c.deprecated.replaced_by, names),
            )
        for i, consumer in enumerate(c.consumers):
            if consumer.versions:
                try:
                    parse_range(consumer.versions)
                except ValueError as exc:
                    yield _at(c, "CONTRACT_VERSION_RANGE", str(exc), f"/consumers/{i}/versions")


def _close(name: str, names: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, sorted(names), n=1)
    return f"did you mean {match[0]!r}?" if match else None


# ---------------------------------------------------------------------------------------------
# Governance


def is_past_tense_pascal(event: str) -> bool:
    if not _PASCAL.match(event):
        return False
    last = _WORDS.findall(event)[-1]
    return last.endswith("ed") or last in _IRREGULAR


def check_governance(c: Contract, today: _dt.date | None = None) -> Iterator[Finding]:
    if not c.owner:
        yield _at(
            c,
            "CONTRACT_OWNER_REQUIRED",
            "no owner: name the team that owns this event",
            "",
            hint="add `owner: team-…`",
        )
    if not c.description:
        yield _at(
            c,
            "CONTRACT_DESCRIPTION_REQUIRED",
            "no description: say what happened, when it is emitted and what consumers may rely on",
            "",
        )
    if not c.summary:
        yield _at(c, "CONTRACT_SUMMARY_REQUIRED", "no summary line", "")
    if not c.producer:
        yield _at(
            c,
            "CONTRACT_PRODUCER_REQUIRED",
            "no producer: name the service that emits this event",
            "",
        )
    if not c.channel:
        yield _at(
            c, "CONTRACT_CHANNEL_REQUIRED", "no channel: name the topic this event is sent on", ""
        )
    if c.delivery and c.delivery.guarantee == "at-least-once" and not c.delivery.idempotency_key:
        yield _at(
            c,
            "CONTRACT_IDEMPOTENCY_KEY",
            "at-least-once delivery without an idempotency_key: "
            "consumers cannot deduplicate redeliveries",
            "/delivery",
            hint="add `idempotency_key: event_id` (a field unique per emission)",
        )
    policy = c.error_policy
    if policy and policy.retries and policy.retries.max_attempts > 0 and not policy.dead_letter:
        yield _at(
            c,
            "CONTRACT_DEAD_LETTER",
            f"{policy.retries.max_attempts} retries and no dead_letter channel: "
            "events that still fail are lost",
            "/error_policy",
            hint="add `dead_letter: <channel>.dlq`",
        )
    if not is_past_tense_pascal(c.event):
        yield _at(
            c,
            "CONTRACT_EVENT_NAME",
            f"event name {c.event!r} is not PascalCase past tense "
            "(an event is a fact: OrderPlaced, PaymentFailed)",
            "/name",
        )
    for i, consumer in enumerate(c.consumers):
        if not consumer.purpose:
            yield _at(
                c,
                "CONTRACT_CONSUMER_PURPOSE",
                f"consumer {consumer.service!r} does not state its purpose",
                f"/consumers/{i}",
            )
    if c.deprecated is not None:
        if not c.deprecated.replaced_by:
            yield _at(
                c,
                "CONTRACT_DEPRECATED_REPLACEMENT",
                "deprecated without replaced_by: consumers need to know what to move to",
                "/deprecated",
            )
        sunset = c.deprecated.sunset
        if sunset:
            try:
                when = _dt.date.fromisoformat(sunset)
            except ValueError:
                when = None
            if when is not None and when < (today or _dt.date.today()):
                yield _at(
                    c,
                    "CONTRACT_SUNSET_PASSED",
                    f"sunset date {sunset} has passed: remove the event or move the date",
                    "/deprecated/sunset",
                )
    if not c.examples:
        yield _at(
            c, "CONTRACT_EXAMPLE_REQUIRED", "no examples: add at least one realistic payload", ""
        )
    if c.ignores:
        yield from _check_ignores(c)


def _check_ignores(c: Contract) -> Iterator[Finding]:
    from contractctl.core.rules import all_rules

    known = {r.id for r in all_rules()}
    for i, ignore in enumerate(c.ignores):
        if ignore.rule not in known:
            yield _at(
                c,
                "CONTRACT_IGNORE_UNKNOWN_RULE",
                f"ignore names unknown rule {ignore.rule!r}",
                f"/ignore/{i}/rule",
                hint=_close(ignore.rule, known),
            )


def check_declared_services(
    contracts: Iterable[Contract], declared: Iterable[str]
) -> Iterator[Finding]:
    """Services that contracts use but ``services:`` does not declare, each once, at its
    first use (contracts in path order)."""
    known = set(declared)
    seen: set[str] = set()
    for c in sorted(contracts, key=lambda c: (str(c.path), c.version)):
        uses = [(c.producer, "/producer")] if c.producer else []
        uses += [(k.service, f"/consumers/{i}/service") for i, k in enumerate(c.consumers)]
        for service, pointer in uses:
            if service is None or service in known or service in seen:
                continue
            seen.add(service)
            yield _at(
                c,
                "CONTRACT_SERVICE_UNDECLARED",
                f"service {service!r} is not declared under services: in contractctl.yaml",
                pointer,
                hint="declare it with its owner and description, so the catalog can show them",
            )


# ---------------------------------------------------------------------------------------------
# Settings


def apply_settings(
    findings: Iterable[Finding], rules: dict[str, str], contracts: Iterable[Contract]
) -> list[Finding]:
    """Apply contractctl.yaml severities (``off`` drops) and per-contract ignores."""
    ignores: dict[str, set[str]] = defaultdict(set)
    for c in contracts:
        for ig in c.ignores:
            ignores[_file(c)].add(ig.rule)
    out = []
    for finding in findings:
        f = finding
        setting = rules.get(f.rule_id)
        if setting == "off":
            continue
        owner = str(f.extra.get("contract", f.file))  # a schema-file finding names its contract
        if f.file is not None and f.rule_id in ignores.get(owner, ()):
            continue
        if setting is not None and setting != f.severity.value:
            f = replace(f, severity=Severity(setting))
        out.append(f)
    return out
