"""Accepted breaks: reviewed breaking changes the gate lets pass, and the ones nothing matched.

Entries come from a contract (``accepted_breaks:``, for that contract) or from
contractctl.yaml (``accepted_breaks:`` with an ``event``). An entry matches a finding with
the same rule ID and path; paths compare without a leading ``#`` (``#/properties/a`` =
``/properties/a``), and for CHECK_EXAMPLE_INCOMPATIBLE the path is the example's name.
An entry past its ``expires`` date excuses nothing and is reported as expired instead.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Contract
from contractctl.core.rules import get_rule
from contractctl.core.vocab.findings import Finding


def _norm(path: str) -> str:
    return "/" + path.strip().removeprefix("#").strip("/")


@dataclass(slots=True)
class Entry:
    rule: str
    path: str
    reason: str
    version: str | None
    event: str | None  # None for a contract's own entries
    file: str | None
    line: int | None
    pointer: str | None
    used: bool = False
    expires: str | None = None
    approved_by: str | None = None
    expired: bool = False  # past ``expires`` on the day of the check

    def applies(self, contract: Contract) -> bool:
        if self.event is not None and self.event != contract.name:
            return False
        return self.version is None or self.version == contract.version

    def matches(self, rule_id: str, path: str) -> bool:
        return self.rule == rule_id and _norm(self.path) == _norm(path)


@dataclass(slots=True)
class AcceptedBreaks:
    """Every entry, with a record of which ones were used."""

    config_entries: list[Entry] = field(default_factory=list)
    contract_entries: dict[int, list[Entry]] = field(default_factory=dict)  # id(contract) →

    @classmethod
    def collect(
        cls, contracts: Iterable[Contract], config: Config, today: _dt.date | None = None
    ) -> AcceptedBreaks:
        shown = display_path(config.file) if config.file is not None else "contractctl.yaml"
        day = today or _dt.date.today()
        out = cls(
            config_entries=[
                Entry(
                    rule=e["rule"],
                    path=e["path"],
                    reason=e["reason"],
                    version=e.get("version"),
                    event=e["event"],
                    file=shown,
                    line=None,
                    pointer=f"/accepted_breaks/{i}",
                    expires=e.get("expires"),
                    approved_by=e.get("approved_by"),
                    expired=_past(e.get("expires"), day),
                )
                for i, e in enumerate(config.accepted_breaks)
            ]
        )
        for c in contracts:
            out.contract_entries[id(c)] = [
                Entry(
                    rule=b.rule,
                    path=b.path,
                    reason=b.reason,
                    version=b.version,
                    event=None,
                    file=display_path(c.path),
                    line=c.line_of(f"/accepted_breaks/{i}"),
                    pointer=f"/accepted_breaks/{i}",
                    expires=b.expires,
                    approved_by=b.approved_by,
                    expired=_past(b.expires, day),
                )
                for i, b in enumerate(c.accepted_breaks)
            ]
        return out

    def match(self, contract: Contract, rule_id: str, path: str) -> Entry | None:
        """The first entry accepting ``rule_id`` at ``path`` for ``contract`` (marked used)."""
        for entry in [*self.contract_entries.get(id(contract), []), *self.config_entries]:
            if entry.applies(contract) and entry.matches(rule_id, path):
                entry.used = True
                if not entry.expired:
                    return entry
        return None

    def unused(self, checked: Sequence[Contract]) -> Iterator[Finding]:
        """CHECK_ACCEPTED_BREAK_UNUSED for entries that applied to a checked contract and
        matched nothing; REVIEW_ACCEPTED_BREAK_EXPIRED for expired ones, used or not."""
        for c in checked:
            for entry in self.contract_entries.get(id(c), []):
                if entry.applies(c) and (entry.expired or not entry.used):
                    yield _finding(entry, c.name)
        for entry in self.config_entries:
            if (entry.expired or not entry.used) and any(entry.applies(c) for c in checked):
                yield _finding(entry, entry.event)


def _past(expires: str | None, today: _dt.date) -> bool:
    try:
        return expires is not None and _dt.date.fromisoformat(str(expires)) < today
    except ValueError:
        return False  # the format's date check reports it


def _finding(entry: Entry, event: str | None) -> Finding:
    if entry.expired:
        rule = get_rule("REVIEW_ACCEPTED_BREAK_EXPIRED")
        what = "no longer excuses the break it matches" if entry.used else "matches nothing"
        by = f" (approved by {entry.approved_by})" if entry.approved_by else ""
        message = f"accepted break {entry.rule} at {entry.path}{by} expired on {entry.expires} "
        message += f"and {what}"
    else:
        rule = get_rule("CHECK_ACCEPTED_BREAK_UNUSED")
        message = f"accepted break {entry.rule} at {entry.path} matches no breaking change"
    return Finding(
        rule.id,
        rule.severity,
        message,
        file=entry.file,
        line=entry.line,
        pointer=entry.pointer,
        hint=rule.hint,
        event=event,
        extra={
            "rule": entry.rule,
            "path": entry.path,
            "reason": entry.reason,
            "expires": entry.expires,
            "approved_by": entry.approved_by,
        },
    )
