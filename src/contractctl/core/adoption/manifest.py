"""The import manifest: what an import wrote, so a rerun adds new versions, refreshes its own
untouched files and never overwrites a file someone edited by hand.

A file is *ours* while its bytes hash to what the manifest recorded; any other content on
disk (an edit, or a file the import never wrote) is kept. The manifest also pins each
subject's event name and the semver given to each registry version, so numbering never
shifts under files already written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from contractctl.core.errors import LoadError

MANIFEST_NAME = ".contractctl-import.json"
MANIFEST_FORMAT = 1


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class SubjectRecord:
    """One subject's pinned event name and registry version → contract version."""

    name: str
    versions: dict[int, str] = field(default_factory=dict)
    # Fields a new version took from the contract before it, so a rerun renders it the same.
    carried: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class Manifest:
    source: str = ""
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256 written
    subjects: dict[str, SubjectRecord] = field(default_factory=dict)

    def to_text(self) -> str:
        body = {
            "format": MANIFEST_FORMAT,
            "source": self.source,
            "subjects": {
                s: {
                    "name": r.name,
                    "versions": {str(v): sv for v, sv in sorted(r.versions.items())},
                    **(
                        {"carried": {str(v): c for v, c in sorted(r.carried.items())}}
                        if r.carried
                        else {}
                    ),
                }
                for s, r in sorted(self.subjects.items())
            },
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def parse(cls, text: str, name: str) -> Manifest:
        try:
            body = json.loads(text)
            if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"not an import manifest of format {MANIFEST_FORMAT}")
            subjects = {
                str(s): SubjectRecord(
                    str(r["name"]),
                    {int(v): str(sv) for v, sv in r.get("versions", {}).items()},
                    {int(v): dict(c) for v, c in r.get("carried", {}).items()},
                )
                for s, r in body.get("subjects", {}).items()
            }
            files = {str(p): str(h) for p, h in body.get("files", {}).items()}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise LoadError(
                f"unreadable import manifest ({exc}); delete it to import afresh", file=name
            ) from None
        return cls(str(body.get("source", "")), files, subjects)


class FileAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"  # ours and untouched, but the registry changed (e.g. its level)
    UNCHANGED = "unchanged"
    KEPT = "kept"  # edited by hand, or not written by an import: left alone


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: str  # relative to the output folder, '/'-separated
    text: str
    kind: str  # contract | schema | reference


@dataclass(slots=True)
class ImportPlan:
    files: list[PlannedFile] = field(default_factory=list)
    manifest: Manifest = field(default_factory=Manifest)
    contracts: int = 0
    subjects: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (subject, why)
    majors: list[str] = field(default_factory=list)  # "subject vN → X.0.0" for breaking versions
    sink: Callable[[PlannedFile], None] | None = None  # sees each file as soon as it is planned

    def add(self, *files: PlannedFile) -> None:
        self.files.extend(files)
        if self.sink is not None:
            for planned in files:
                self.sink(planned)


def decide(planned: PlannedFile, on_disk: str | None, manifest: Manifest) -> FileAction:
    """What to do with ``planned`` given the file's current text (None: absent)."""
    if on_disk is None:
        return FileAction.CREATE
    current = digest(on_disk)
    if current == digest(planned.text):
        return FileAction.UNCHANGED
    if manifest.files.get(planned.path) == current:
        return FileAction.UPDATE
    return FileAction.KEPT


def summary(actions: dict[str, FileAction]) -> dict[str, Any]:
    counts = {a.value: 0 for a in FileAction}
    for action in actions.values():
        counts[action.value] += 1
    return counts
