"""Who consumes an event (a version, a field), what they would lose, and whether it can go.

The answer to ``contractctl impact``: consumers are gathered over every contract of the
event (the newest declaration of a service wins for purpose, range and reads); a consumer
without ``reads`` is assumed to read every field, so it holds every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from contractctl.core.contract.model import Consumer, Contract, SemVer
from contractctl.core.review.consumers import known_fields_of, versions_read
from contractctl.core.review.impact import reads_field


@dataclass(frozen=True, slots=True)
class ConsumerUse:
    service: str
    purpose: str | None
    versions: str | None  # the declared range; None: the versions whose files declare it
    reads: tuple[str, ...] | None  # None: everything
    owner: str | None
    reads_versions: tuple[str, ...]  # the event's versions it reads, oldest first
    loses: str | None  # what it would lose if the asked-about thing went away


@dataclass(slots=True)
class EventUsage:
    event: str
    version: str | None
    field_path: str | None
    owner: str | None
    producer: str | None
    versions: list[str]
    deprecated: list[str]  # versions marked deprecated
    field_known: bool | None  # None when no field was asked about
    consumers: list[ConsumerUse] = field(default_factory=list)
    retirable: bool = False
    verdict: str = ""


def _gather(line: Sequence[Contract]) -> dict[str, tuple[Consumer, set[SemVer]]]:
    out: dict[str, tuple[Consumer, set[SemVer]]] = {}
    for c in line:  # oldest first, so the newest declaration wins
        for consumer in c.consumers:
            read = {v.semver for v in versions_read(consumer, c, line)}
            seen = out.get(consumer.service, (consumer, set()))[1]
            out[consumer.service] = (consumer, seen | read)
    return out


def event_usage(
    line: Sequence[Contract],
    owners: dict[str, str],
    version: str | None = None,
    field_path: str | None = None,
) -> EventUsage:
    """Usage of the event whose contracts are ``line`` (oldest first, one event)."""
    latest = line[-1]
    asked = SemVer.parse(version) if version else None
    scope = [c for c in line if asked is None or c.semver == asked]
    usage = EventUsage(
        event=latest.name,
        version=version,
        field_path=field_path,
        owner=latest.owner,
        producer=latest.producer,
        versions=[c.version for c in line],
        deprecated=[c.version for c in line if c.deprecated is not None],
        field_known=(
            None if field_path is None else any(known_fields_of(c).has(field_path) for c in scope)
        ),
    )
    for service, (consumer, read) in sorted(_gather(line).items()):
        if asked is not None and asked not in read:
            continue
        loses = _loses(consumer, read, asked, field_path)
        usage.consumers.append(
            ConsumerUse(
                service=service,
                purpose=consumer.purpose,
                versions=consumer.versions,
                reads=consumer.reads,
                owner=owners.get(service),
                reads_versions=tuple(str(v) for v in sorted(read)),
                loses=loses,
            )
        )
    blocking = [u for u in usage.consumers if u.loses is not None]
    usage.retirable = not blocking
    what = _subject(usage)
    if blocking:
        names = ", ".join(u.service for u in blocking)
        usage.verdict = f"{what} cannot be retired now: {names} would lose it"
    else:
        usage.verdict = f"{what} can be retired now: no consumer would lose anything"
    return usage


def _subject(usage: EventUsage) -> str:
    what = usage.event + (f"@{usage.version}" if usage.version else "")
    return f"field `{usage.field_path}` of {what}" if usage.field_path else what


def _loses(
    consumer: Consumer, read: set[SemVer], version: SemVer | None, field_path: str | None
) -> str | None:
    if field_path is not None:
        if consumer.reads is None:
            return f"`{field_path}` (it declares no reads, so it is assumed to read everything)"
        if reads_field(consumer.reads, (field_path,)):
            hit = [r for r in consumer.reads if reads_field((r,), (field_path,))]
            return f"`{field_path}` (it reads {', '.join(f'`{r}`' for r in hit)})"
        return None
    if version is not None:
        others = sorted(v for v in read if v != version)
        if others:
            return None  # it can read another version of its range
        return f"the event: {version} is the only version it reads"
    return "the event"
