"""The review on top of the gate: behavioural findings between two versions of a contract,
and the consumers each schema break reaches.

``behaviour_findings`` runs per contract; ``attribute`` is one pass over the gate's findings
after the engines have judged, so the verdicts themselves never change: only who a break
is said to reach, and, for a break no declaring consumer reads, the severity it is reported
with (REVIEW_BREAK_UNREAD's, configurable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from contractctl.core.contract.baseline import BaselineVersion
from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Consumer, Contract, SemVer
from contractctl.core.review.behaviour import behaviour_changes
from contractctl.core.review.impact import Attribution, change_fields
from contractctl.core.review.impact import attribute as narrow
from contractctl.core.rules import get_rule
from contractctl.core.schema.avro_refs import inline_named
from contractctl.core.vocab.findings import Finding, Severity

if TYPE_CHECKING:
    from contractctl.app.accepted import AcceptedBreaks
    from contractctl.core.contract.config import Config

_UNREAD = "REVIEW_BREAK_UNREAD"


def consumers_in_range(contract: Contract, against: BaselineVersion) -> list[Consumer]:
    """Consumers a break against ``against`` affects: those whose range includes its version.

    The candidate's declaration of a service wins over the earlier version's.
    """
    from contractctl.core.contract.versions import parse_range

    seen: dict[str, Consumer] = {}
    older = against.contract.consumers if against.contract is not None else ()
    for consumer in (*contract.consumers, *older):
        seen.setdefault(consumer.service, consumer)
    try:
        old = SemVer.parse(against.version) if against.version else None
    except ValueError:
        old = None
    out = []
    for consumer in seen.values():
        if consumer.versions is None or old is None:
            out.append(consumer)
            continue
        try:
            if parse_range(consumer.versions).contains(old):
                out.append(consumer)
        except ValueError:
            out.append(consumer)  # an unparsable range is validate's finding; assume affected
    return out


def consumed_events(contracts: Sequence[Contract]) -> dict[str, list[str]]:
    """service → the events it consumes in the tree, for saying where a consumer lives on."""
    out: dict[str, set[str]] = {}
    for c in contracts:
        for consumer in c.consumers:
            out.setdefault(consumer.service, set()).add(c.name)
    return {service: sorted(events) for service, events in out.items()}


def _elsewhere(message: str, service: object, event: str, consumed: dict[str, list[str]]) -> str:
    others = [e for e in consumed.get(str(service), []) if e != event]
    if not others:
        return f"{message} (no other contract lists it)"
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return f"{message} (it still consumes {shown})"


def behaviour_findings(
    c: Contract,
    before: BaselineVersion | None,
    accepted: AcceptedBreaks,
    consumed: dict[str, list[str]] | None = None,
) -> list[Finding]:
    """A finding per behavioural change from ``before`` (an earlier or released copy) to c."""
    if before is None or before.contract is None:
        return []  # a registry version knows only its schema
    shown = before.version or before.label
    who = [x.service for x in consumers_in_range(c, before)]
    out = []
    for change in behaviour_changes(before.contract, c):
        rule = get_rule(change.rule_id)
        extra: dict[str, Any] = {
            "against": shown,
            "old": change.old,
            "new": change.new,
            "behaviour": True,
            "affects": sorted(rule.affects),
        }
        text = change.message
        if change.rule_id == "BEHAVIOUR_CONSUMER_REMOVED" and consumed is not None:
            text = _elsewhere(text, change.old, c.name, consumed)
        message = f"against {shown}: {text}."
        if rule.severity is Severity.INFO:
            extra["compatible"] = change.rule_id == "BEHAVIOUR_STRENGTHENED"
        else:
            extra["consumers"] = who
            message += f" Breaks: {', '.join(who) or 'no declared consumer'}."
            entry = accepted.match(c, change.rule_id, change.pointer)
            if entry is not None:
                extra.update(accepted=True, reason=entry.reason)
                message += f" Accepted: {entry.reason}"
        out.append(
            Finding(
                change.rule_id,
                rule.severity,
                message,
                file=display_path(c.path),
                line=c.positions.line(change.pointer, key=True),
                pointer=change.pointer,
                hint=rule.hint,
                event=c.name,
                extra=extra,
            )
        )
    return out


def _unread_severity(config: Config) -> Severity | None:
    setting = config.rules.get(_UNREAD)
    if setting == "off":
        return None  # the policy is switched off: an unread break stays an error
    return Severity.parse(setting) if setting else get_rule(_UNREAD).severity


def _is_schema_break(f: Finding) -> bool:
    return (
        f.severity is Severity.ERROR
        and "directions" in f.extra
        and "consumers" in f.extra
        and not f.extra.get("behaviour")
    )


def attribute(
    findings: list[Finding],
    contracts: Sequence[Contract],
    history: Callable[[Contract], list[BaselineVersion]],
    config: Config,
) -> tuple[list[Finding], int]:
    """Name, for each schema break, the consumers that read the changed field.

    Returns the findings and how many breaks no declaring consumer reads; those are reported
    at REVIEW_BREAK_UNREAD's severity and no longer ask for a major version.
    """
    by_file = {display_path(c.path): c for c in contracts}
    histories: dict[int, dict[str, BaselineVersion]] = {}
    severity = _unread_severity(config)
    out: list[Finding] = []
    unread_by: dict[int, int] = {}
    breaks_by: dict[int, int] = {}
    owners = service_owners(contracts)
    for found in findings:
        # A schema change is located in its schema file; its contract is named in extra.
        c = by_file.get(str(found.extra.get("contract") or found.file or ""))
        if c is None:
            out.append(found)
            continue
        f = _placed(found, c, owners)
        if not _is_schema_break(f):
            out.append(f)
            continue
        if id(c) not in histories:
            histories[id(c)] = {(v.version or v.label): v for v in history(c)}
        against = histories[id(c)].get(str(f.extra.get("against")))
        if against is None:
            out.append(f)
            continue
        narrowed = _narrowed(f, _attribution(c, against, f.pointer or ""), severity)
        if not f.extra.get("accepted"):
            breaks_by[id(c)] = breaks_by.get(id(c), 0) + 1
            if narrowed.severity is not Severity.ERROR:
                unread_by[id(c)] = unread_by.get(id(c), 0) + 1
        out.append(narrowed)
    # A contract whose every break is unread needs no major version for them.
    relieved = {key for key, n in unread_by.items() if n == breaks_by.get(key)}
    relieved_files = {display_path(c.path) for c in contracts if id(c) in relieved}
    kept = [
        f
        for f in out
        if not (f.rule_id == "CHECK_MAJOR_BUMP_REQUIRED" and f.file in relieved_files)
    ]
    return kept, sum(unread_by.values())


def service_owners(contracts: Sequence[Contract]) -> dict[str, str]:
    """service → the team owning it, known from the events it produces (first one wins)."""
    owners: dict[str, str] = {}
    for c in sorted(contracts, key=lambda c: c.name):
        if c.producer and c.owner:
            owners.setdefault(c.producer, c.owner)
    return owners


def _placed(f: Finding, c: Contract, owners: dict[str, str]) -> Finding:
    """The finding with the contract's version and the owners of the consumers it names."""
    named = {x: owners[x] for x in _strings(f.extra.get("consumers")) if x in owners}
    extra = {**f.extra, "version": c.version}
    if named:
        extra["owners"] = named
    return replace(f, extra=extra)


def _attribution(c: Contract, against: BaselineVersion, pointer: str) -> Attribution:
    schema = against.schema
    if against.schema_type == "AVRO" and against.named_types:
        schema = inline_named(schema, against.named_types)
    schemas = [c.schema.document, schema]
    named = {**(against.named_types or {}), **c.schema.named_types}
    fields = change_fields(c.schema.schema_type, pointer, schemas, named)
    return narrow(consumers_in_range(c, against), fields)


def _strings(value: object) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list | tuple) else []


def _narrowed(f: Finding, found: Attribution, unread: Severity | None) -> Finding:
    before = _strings(f.extra.get("consumers"))
    extra = {**f.extra, "consumers": list(found.readers)}
    owners = f.extra.get("owners")
    if isinstance(owners, dict):
        extra["owners"] = {k: v for k, v in owners.items() if k in found.readers}
    if found.fields is not None:
        extra["fields"] = list(found.fields)
    message = f.message
    old_who = f"Breaks: {', '.join(before) or 'no declared consumer'}."
    field = ", ".join(f"`{x or '(the payload)'}`" for x in found.fields or ())
    if found.unread and unread is not None:
        directions = "/".join(_strings(f.extra.get("directions")))
        extra["unread"] = True
        text = f"Breaks {directions}, but no consumer reads {field}."
        return replace(f, severity=unread, message=message.replace(old_who, text), extra=extra)
    if list(found.readers) != before:
        who = ", ".join(found.readers) or "no declared consumer"
        message = message.replace(old_who, f"Breaks: {who} (reading {field}).")
    return replace(f, message=message, extra=extra)
