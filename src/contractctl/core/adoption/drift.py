"""Drift between the contracts and a registry, as data: which contract schemas are not
registered, which subjects' levels differ from the contracts', which subjects no contract
declares. The facts come from the caller (the registry adapter); this module only judges
and renders them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Drift(StrEnum):
    IN_SYNC = "in-sync"
    NOT_REGISTERED = "not-registered"  # the contract's schema is no version of its subject
    LEVEL_DIFFERS = "level-differs"  # the subject's level is not the contract's
    NO_CONTRACT = "no-contract"  # a registered subject no contract maps to


@dataclass(frozen=True, slots=True)
class ContractFacts:
    """What the registry says about one contract."""

    contract: str  # name@version
    file: str
    subject: str
    registered_version: int | None  # the subject version holding its schema, if any
    subject_exists: bool
    contract_level: str
    registry_level: str  # the subject's, else the global one


@dataclass(frozen=True, slots=True)
class DriftItem:
    kind: Drift
    subject: str
    contract: str | None = None
    file: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "subject": self.subject,
            "contract": self.contract,
            "file": self.file,
            "detail": self.detail,
        }


@dataclass(slots=True)
class DriftReport:
    registry: str
    items: list[DriftItem] = field(default_factory=list)

    @property
    def drifted(self) -> list[DriftItem]:
        return [i for i in self.items if i.kind is not Drift.IN_SYNC]

    def to_json(self) -> dict[str, Any]:
        counts = {d.value: 0 for d in Drift}
        for item in self.items:
            counts[item.kind.value] += 1
        return {
            "registry": self.registry,
            "in_sync": not self.drifted,
            "counts": counts,
            "items": [i.to_json() for i in self.items],
        }

    def to_markdown(self) -> str:
        lines = [
            f"## Registry drift: {self.registry}",
            "",
            "In sync." if not self.drifted else f"{len(self.drifted)} differences.",
            "",
        ]
        if self.drifted:
            lines += ["| difference | subject | contract | detail |", "|---|---|---|---|"]
            for i in self.drifted:
                cells = (i.kind.value, i.subject, i.contract or "–", i.detail)
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            lines.append("")
        return "\n".join(lines)


def judge(
    facts: Iterable[ContractFacts], registered_subjects: Iterable[str], referenced: set[str]
) -> list[DriftItem]:
    """One item per contract (in sync, not registered, level differs) and one per subject no
    contract declares; subjects holding referenced named types are not orphans."""
    items: list[DriftItem] = []
    declared: set[str] = set()
    levels: dict[str, tuple[str, str]] = {}
    for f in facts:
        declared.add(f.subject)
        if f.registered_version is None:
            where = "" if f.subject_exists else " (the subject does not exist)"
            items.append(
                DriftItem(
                    Drift.NOT_REGISTERED,
                    f.subject,
                    f.contract,
                    f.file,
                    f"its schema is no version of {f.subject}{where}",
                )
            )
        elif f.subject_exists and f.contract_level != f.registry_level:
            if f.subject not in levels:
                levels[f.subject] = (f.contract_level, f.registry_level)
            items.append(
                DriftItem(
                    Drift.LEVEL_DIFFERS,
                    f.subject,
                    f.contract,
                    f.file,
                    f"the contract says {f.contract_level}, the registry applies "
                    f"{f.registry_level}",
                )
            )
        else:
            items.append(
                DriftItem(
                    Drift.IN_SYNC,
                    f.subject,
                    f.contract,
                    f.file,
                    f"registered as version {f.registered_version}",
                )
            )
    for subject in sorted(set(registered_subjects) - declared - referenced):
        items.append(
            DriftItem(Drift.NO_CONTRACT, subject, detail="registered, but no contract maps to it")
        )
    return items
