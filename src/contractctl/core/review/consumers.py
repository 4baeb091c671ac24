"""Consumers against the versions they read: declared ``reads`` exist in every version of
their range, and nobody is left reading only deprecated (or sunset) versions.

A consumer reads the versions its ``versions`` range includes among the event's contracts,
or, without a range, the version whose file declares it. Work is bounded by the reads: each
declared path is looked up once per version in range, by walking that path only.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Consumer, Contract, SemVer
from contractctl.core.contract.versions import VersionRange, parse_range
from contractctl.core.review.paths import SchemaPaths
from contractctl.core.rules import get_rule
from contractctl.core.vocab.findings import Finding


def finding_at(c: Contract, rule_id: str, message: str, pointer: str, **extra: Any) -> Finding:
    """A finding of ``rule_id`` at ``pointer`` in contract ``c`` (its line, hint, event)."""
    rule = get_rule(rule_id)
    return Finding(
        rule_id,
        rule.severity,
        message,
        file=display_path(c.path),
        line=c.positions.line(pointer, key=True),
        pointer=pointer,
        hint=rule.hint,
        event=c.name,
        extra=extra,
    )


def by_event(contracts: Iterable[Contract]) -> dict[str, list[Contract]]:
    """Contracts with a valid version, per event, oldest first."""
    keyed: dict[str, list[tuple[SemVer, Contract]]] = {}
    for c in contracts:
        try:
            version = c.semver
        except ValueError:
            continue  # a contract without a valid version reads nothing
        keyed.setdefault(c.name, []).append((version, c))
    return {
        name: [c for _, c in sorted(line, key=lambda pair: pair[0])] for name, line in keyed.items()
    }


@cache
def _semver(text: str) -> SemVer:
    return SemVer.parse(text)  # only called for versions by_event has already parsed


@cache
def _range(text: str) -> VersionRange | None:
    try:
        return parse_range(text)
    except ValueError:
        return None  # validate reports the range


def versions_read(
    consumer: Consumer, declared_in: Contract, line: Sequence[Contract]
) -> list[Contract]:
    """The event's contracts ``consumer`` (declared in ``declared_in``) reads."""
    wanted = _range(consumer.versions) if consumer.versions is not None else None
    if wanted is None:
        return [declared_in]  # no range, or a broken one: judge the declaring version only
    return [c for c in line if wanted.contains(_semver(c.version))]


def known_fields_of(c: Contract) -> SchemaPaths:
    """The field paths of ``c``'s payload (Avro named types from other files included)."""
    return SchemaPaths(c.schema.format, c.schema.document, c.schema.named_types)


def _fields(c: Contract, cache: dict[int, SchemaPaths]) -> SchemaPaths:
    found = cache.get(id(c))
    if found is None:
        found = cache[id(c)] = known_fields_of(c)
    return found


def check_reads(contracts: Iterable[Contract]) -> Iterator[Finding]:
    """REVIEW_READS_UNKNOWN_FIELD for each declared read a version in range lacks."""
    cache: dict[int, SchemaPaths] = {}
    for line in by_event(contracts).values():
        # Files of one event usually repeat a consumer's range and reads: judge each once.
        judged: dict[tuple[str | None, str, int], list[str]] = {}
        for c in line:
            for i, consumer in enumerate(c.consumers):
                if not consumer.reads:
                    continue
                read: list[Contract] | None = None
                for j, path in enumerate(consumer.reads):
                    key = (consumer.versions, path, id(c) if consumer.versions is None else 0)
                    missing = judged.get(key)
                    if missing is None:
                        if read is None:
                            read = versions_read(consumer, c, line)
                        missing = [v.version for v in read if not _fields(v, cache).has(path)]
                        judged[key] = missing
                    if missing:
                        yield finding_at(
                            c,
                            "REVIEW_READS_UNKNOWN_FIELD",
                            f"consumer {consumer.service} reads `{path}`, which "
                            f"{c.name} {', '.join(missing)} does not have",
                            f"/consumers/{i}/reads/{j}",
                            consumer=consumer.service,
                            field=path,
                            versions=missing,
                        )


def _date(text: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def check_deprecation(
    contracts: Iterable[Contract], today: _dt.date | None = None
) -> Iterator[Finding]:
    """Consumers left on deprecated or sunset versions; replacements nobody can move to."""
    today = today or _dt.date.today()
    events = by_event(contracts)
    for name, line in sorted(events.items()):
        if not any(c.deprecated for c in line):
            continue
        readers: dict[str, tuple[Contract, int, set[SemVer]]] = {}
        for c in line:
            for i, consumer in enumerate(c.consumers):
                read = {v.semver for v in versions_read(consumer, c, line)}
                _, _, seen = readers.get(consumer.service, (c, i, set()))
                readers[consumer.service] = (c, i, seen | read)
        by_version = {c.semver: c for c in line}
        for service, (c, i, read) in sorted(readers.items()):
            read_contracts = [by_version[v] for v in sorted(read) if v in by_version]
            if not read_contracts or any(v.deprecated is None for v in read_contracts):
                continue
            sunsets = [_date(v.deprecated.sunset if v.deprecated else None) for v in read_contracts]
            passed = all(s is not None and s < today for s in sunsets)
            latest = read_contracts[-1].deprecated
            to = f"; move to {latest.replaced_by}" if latest and latest.replaced_by else ""
            shown = ", ".join(v.version for v in read_contracts)
            if passed:
                last = max(s for s in sunsets if s is not None)
                rule, why = "REVIEW_SUNSET_CONSUMED", f"past their sunset ({last.isoformat()})"
            else:
                rule, why = "REVIEW_DEPRECATED_CONSUMED", "deprecated"
            yield finding_at(
                c,
                rule,
                f"consumer {service} still reads only versions of {name} that are {why}: "
                f"{shown}{to}",
                f"/consumers/{i}",
                consumer=service,
                versions=[v.version for v in read_contracts],
            )
        yield from _replacements(line, events)


def _replacements(line: list[Contract], events: dict[str, list[Contract]]) -> Iterator[Finding]:
    for c in line:
        target = c.deprecated.replaced_by if c.deprecated else None
        if target is None or target not in events:
            continue  # an unknown event is validate's CONTRACT_UNKNOWN_EVENT
        if all(v.deprecated is not None for v in events[target]):
            yield finding_at(
                c,
                "REVIEW_REPLACEMENT_UNAVAILABLE",
                f"replaced_by {target} is itself deprecated in every version: consumers "
                "have nothing to move to",
                "/deprecated/replaced_by",
                replaced_by=target,
            )
