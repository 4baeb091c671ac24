"""Writing an import's plan: decide each file against the manifest, write what changed
atomically (threads overlap file-system latency), then the manifest last, so an interrupted
import reruns cleanly."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.adapters.safe_write import OutputTree
from contractctl.app.files import read_if_exists
from contractctl.core.adoption.manifest import (
    MANIFEST_NAME,
    FileAction,
    ImportPlan,
    Manifest,
    PlannedFile,
    decide,
    digest,
)
from contractctl.core.errors import UsageError

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


class Writer:
    """Decides and writes each planned file on a thread pool as soon as it is planned, so the
    file-system latency of thousands of small files overlaps the planning (CPU) instead of
    following it. Use as a context manager; ``actions()`` waits for every file."""

    def __init__(self, out: Path, previous: Manifest, *, dry_run: bool) -> None:
        self.out = out
        self.previous = previous
        self.dry_run = dry_run
        self.fresh = not out.exists()  # nothing to read back: every file is new
        self._pool = ThreadPoolExecutor(max_workers=WRITERS)
        self._futures: dict[str, Future[FileAction]] = {}
        # The one safe writer of output folders: atomic, never through a symlink.
        self.tree = None if dry_run else OutputTree(out)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __call__(self, planned: PlannedFile) -> None:
        if planned.path not in self._futures:  # a shared reference is planned many times
            self._futures[planned.path] = self._pool.submit(self._one, planned)

    def _one(self, planned: PlannedFile) -> FileAction:
        path = self.out / planned.path
        on_disk = None if self.fresh else read_if_exists(path)
        action = decide(planned, on_disk, self.previous)
        if action in (FileAction.CREATE, FileAction.UPDATE) and self.tree is not None:
            self.tree.write(planned.path, planned.text)
        return action

    def actions(self) -> dict[str, FileAction]:
        return {path: future.result() for path, future in self._futures.items()}


def read_manifest(out: Path) -> tuple[Manifest, str | None]:
    """The previous import's manifest in ``out`` (empty when none) and its text."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--output {out} is a file, not a folder")
    path = out / MANIFEST_NAME
    text = read_if_exists(path)
    return (Manifest.parse(text, str(path)) if text else Manifest()), text


def apply_plan(writer: Writer, plan: ImportPlan, manifest_text: str | None) -> ImportReport:
    """Wait for ``writer``'s files, then write the manifest (last: the commit point)."""
    report = ImportReport(
        writer.out, plan.manifest.source, plan.subjects, plan.contracts, skipped=plan.skipped,
        majors=plan.majors, dry_run=writer.dry_run,
    )  # fmt: skip
    for planned in plan.files:
        writer(planned)  # files planned before the writer was attached
    manifest = plan.manifest
    manifest.files = dict(writer.previous.files)
    texts = {p.path: p.text for p in plan.files}
    for path, action in writer.actions().items():
        report.actions[path] = action
        if action is not FileAction.KEPT:
            manifest.files[path] = digest(texts[path])
    text = manifest.to_text()
    if writer.tree is not None and text != manifest_text:
        writer.tree.write(MANIFEST_NAME, text)
    return report


def latest_contracts(out: Path, previous: Manifest) -> dict[str, dict[str, Any]]:
    """Per subject of an earlier import, its latest contract as it is on disk now (hand
    edits included); unreadable files are left out (``validate`` reports them)."""
    from contractctl.core.adoption.contract_files import contract_path
    from contractctl.core.contract.model import SemVer
    from contractctl.core.errors import ContractctlError
    from contractctl.core.source.documents import parse_yaml

    found: dict[str, dict[str, Any]] = {}
    for subject, record in previous.subjects.items():
        if not record.versions:
            continue
        latest = max(record.versions.values(), key=SemVer.parse)
        path = out / contract_path(record.name, latest)
        try:
            text = read_if_exists(path)
            data = parse_yaml(text, str(path))[0] if text else None
        except ContractctlError:
            continue
        if isinstance(data, dict):
            found[subject] = data
    return found
