"""Findings: what a check found, as data (rule, severity, location, message, hint)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use info, warning or error") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reportable fact: a rule that fired at a place.

    ``pointer`` is a JSON pointer into the contract document (``/consumers/0/purpose``) or,
    for schema changes, the location inside the schema (``#/properties/a``).
    """

    rule_id: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    hint: str | None = None
    event: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.rule_id, self.message)


@dataclass(slots=True)
class Report:
    """The result of a reporting command: findings plus what was examined."""

    command: str
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def count(self, severity: Severity) -> int:
        """Findings of ``severity``; accepted breaks are reported but never counted."""
        return sum(
            1 for f in self.findings if f.severity is severity and not f.extra.get("accepted")
        )

    def fails(self, fail_on: Severity) -> bool:
        return any(
            f.severity.rank >= fail_on.rank and not f.extra.get("accepted") for f in self.findings
        )
