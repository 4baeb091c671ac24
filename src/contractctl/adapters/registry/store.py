"""Registry semantics without a server: subjects, versions, global ids, levels, idempotence.

``LocalStore`` keeps everything in memory and, given a directory, writes each subject
version as one pretty-printed JSON file (``subjects/<subject>/v<N>.json``) so a registration
reads well in a git diff. A version file is written atomically and is the commit point: a
version exists if and only if its file does. Several processes may share one directory
(two `publish` runs at once): every write holds a registry-wide file lock, re-reads the
subject from disk and takes its id from a counter file, so no version is lost and no id is
given twice. The embedded registry and the test/benchmark
emulator both run on it, so they judge compatibility exactly as a registry would: the
subject's level (else the global one) against its existing versions, refusing with 409.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

from contractctl.adapters.registry.api import (
    Reference,
    RegisteredSchema,
    SchemaSubmission,
    ServerVerdict,
    canonical,
)
from contractctl.adapters.safe_write import OutputTree
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import (
    ContractctlError,
    RegistryConflict,
    RegistryError,
    RegistryNotFound,
    RenderError,
)
from contractctl.core.registry.config import LEVELS
from contractctl.core.schema.avro_refs import inline_named
from contractctl.core.vocab.pathnames import component, twin_component

GLOBAL_FILE: Final = "config.json"
SUBJECTS_DIR: Final = "subjects"
LOCK_FILE: Final = ".lock"
NEXT_ID_FILE: Final = "next-id.json"
LOCK_WAIT: Final = 120.0  # seconds to wait for another process's write before giving up


@dataclass(slots=True)
class _Subject:
    versions: list[RegisteredSchema] = field(default_factory=list)
    level: str | None = None


def _write_json(root: Path, path: Path, data: Any) -> None:
    """Atomically, inside ``root`` only (never through a symlink), with the umask's mode."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        OutputTree(root).write(path.relative_to(root).as_posix(), text)
    except RenderError as exc:
        raise RegistryError(f"embedded registry: {exc.message}") from None


def _subject_of(folder: Path) -> str:
    """The subject a folder holds: as its version (or config) files say, since a long or a
    case-twin subject's folder name ends in a hash, else the folder name decoded."""
    for file in [*sorted(folder.glob("v*.json"))[:1], folder / "config.json"]:
        try:
            subject = json.loads(file.read_text(encoding="utf-8")).get("subject")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(subject, str):
            return subject
    return unquote(folder.name)


def _flock(fd: int, root: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: one process at a time is the user's to ensure
        return
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise RegistryError(
                    f"embedded registry {root}: another publish has been writing to it for "
                    f"{LOCK_WAIT:g}s; wait for it to finish and run again"
                ) from None
            time.sleep(0.02)


class LocalStore:
    """A schema registry's state and rules; thread-safe, optionally persisted to ``root``."""

    def __init__(self, root: Path | None = None, *, global_level: str = "BACKWARD") -> None:
        self.root = root
        self._lock = threading.RLock()
        self._subjects: dict[str, _Subject] = {}
        self._ids: dict[tuple[str, str, tuple[Reference, ...]], int] = {}
        self._global = global_level
        # Subject → its folder's name, and every folder name casefolded: two subjects that
        # differ only in case must not share a folder on a case-insensitive file system, so
        # the second gets ``twin_component``'s form, on every file system alike.
        self._folders: dict[str, str] = {}
        self._folded: set[str] = set()
        if root is not None and root.exists():
            self._load(root)

    # -- persistence ---------------------------------------------------------------------

    def _load(self, root: Path) -> None:
        glob = root / GLOBAL_FILE
        if glob.is_file():
            self._global = self._read(glob).get("compatibilityLevel", self._global)
        for folder in sorted((root / SUBJECTS_DIR).glob("*")):
            if folder.is_dir():
                subject = _subject_of(folder)
                self._folders.setdefault(subject, folder.name)
                self._folded.add(folder.name.casefold())
                self._load_subject(subject, folder)

    def _load_subject(self, subject: str, folder: Path) -> None:
        entry = _Subject()
        config = folder / "config.json"
        if config.is_file():
            entry.level = self._read(config).get("compatibilityLevel")
        files = [f for f in folder.glob("v*.json") if f.stem[1:].isdigit()]
        for file in sorted(files, key=lambda p: int(p.stem[1:])):
            data = self._read(file)
            try:
                version = RegisteredSchema(
                    subject=subject,
                    version=int(data["version"]),
                    id=int(data["id"]),
                    schema=json.dumps(data["schema"], separators=(",", ":")),
                    schema_type=str(data.get("schemaType", "AVRO")),
                    references=tuple(
                        Reference(r["name"], r["subject"], int(r["version"]))
                        for r in data.get("references", [])
                    ),
                )
            except (KeyError, TypeError, ValueError):
                raise RegistryError(f"embedded registry: {file} is not a schema version") from None
            entry.versions.append(version)
            self._ids[self._key(version.schema, version.schema_type, version.references)] = (
                version.id
            )
        self._subjects[subject] = entry

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This thread's and every other process's writes wait for ours."""
        with self._lock:
            if self.root is None:
                yield
                return
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.root / LOCK_FILE, "a+b") as handle:
                _flock(handle.fileno(), self.root)
                yield  # closing the file releases the lock, also when the process dies

    def _refresh(self, subject: str) -> None:
        """Re-read ``subject`` from disk: another process may have written it since."""
        folder = self._folder(subject)
        if folder is not None and folder.is_dir():
            self._load_subject(subject, folder)

    def _next_id(self) -> int:
        known = max(self._ids.values(), default=0)
        if self.root is None:
            return known + 1
        counter = self.root / NEXT_ID_FILE
        stored = self._read(counter).get("next", 1) if counter.is_file() else 1
        schema_id = max(known + 1, stored if isinstance(stored, int) else 1)
        _write_json(self.root, counter, {"next": schema_id + 1})
        return schema_id

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RegistryError(f"embedded registry: cannot read {path}: {exc}") from None
        if not isinstance(data, dict):
            raise RegistryError(f"embedded registry: {path} is not a JSON object")
        return data

    def _root(self) -> Path:
        if self.root is None:  # pragma: no cover - callers write only with a root
            raise RegistryError("embedded registry: no folder to write to")
        return self.root

    def _folder(self, subject: str) -> Path | None:
        """Where ``subject`` lives: its known folder, else the first of its plain and twin
        forms that is its own on disk or free (under any case) to take."""
        if self.root is None:
            return None
        base = self.root / SUBJECTS_DIR
        name = self._folders.get(subject)
        if name is None:
            for candidate in (component(subject), twin_component(subject)):
                on_disk = base / candidate
                if on_disk.is_dir() and _subject_of(on_disk) == subject:
                    name = candidate  # written by another process since we loaded
                    break
                if candidate.casefold() not in self._folded and not on_disk.exists():
                    name = candidate
                    break
            else:  # pragma: no cover - a twin form taken by another subject: a hash collision
                raise RegistryError(f"embedded registry: no folder free for subject {subject!r}")
        return base / name

    def _claim(self, subject: str, folder: Path) -> None:
        self._folders[subject] = folder.name
        self._folded.add(folder.name.casefold())

    def _persist_version(self, version: RegisteredSchema) -> None:
        folder = self._folder(version.subject)
        if folder is None:
            return
        data: dict[str, Any] = {
            "subject": version.subject,
            "version": version.version,
            "id": version.id,
            "schemaType": version.schema_type,
        }
        if version.references:
            data["references"] = [r.to_json() for r in version.references]
        data["schema"] = version.parsed()
        _write_json(self._root(), folder / f"v{version.version}.json", data)
        self._claim(version.subject, folder)

    # -- reads ---------------------------------------------------------------------------

    @staticmethod
    def _key(
        schema: str, schema_type: str, refs: tuple[Reference, ...]
    ) -> tuple[str, str, tuple[Reference, ...]]:
        return (schema_type, canonical(schema), tuple(sorted(refs, key=lambda r: r.name)))

    def subjects(self) -> list[str]:
        with self._lock:
            return sorted(s for s, e in self._subjects.items() if e.versions)

    def versions(self, subject: str) -> list[int]:
        with self._lock:
            entry = self._subjects.get(subject)
            return [v.version for v in entry.versions] if entry else []

    def version(self, subject: str, version: int | str) -> RegisteredSchema | None:
        with self._lock:
            entry = self._subjects.get(subject)
            if not entry or not entry.versions:
                return None
            if version in ("latest", -1, "-1"):
                return entry.versions[-1]
            return next((v for v in entry.versions if str(v.version) == str(version)), None)

    def schema_by_id(self, schema_id: int) -> RegisteredSchema | None:
        """A registered schema by its global id (the first version registered with it)."""
        with self._lock:
            for entry in self._subjects.values():
                for version in entry.versions:
                    if version.id == schema_id:
                        return version
            return None

    def lookup(self, subject: str, schema: SchemaSubmission) -> RegisteredSchema | None:
        with self._lock:
            entry = self._subjects.get(subject)
            return (
                next((v for v in entry.versions if v.same_schema(schema)), None) if entry else None
            )

    def subject_level(self, subject: str) -> str | None:
        with self._lock:
            entry = self._subjects.get(subject)
            return entry.level if entry else None

    def global_level(self) -> str:
        return self._global

    # -- compatibility -------------------------------------------------------------------

    def _document(self, version: RegisteredSchema | SchemaSubmission) -> Any:
        doc = json.loads(version.schema)
        if version.schema_type == "AVRO" and version.references:
            named = {}
            for ref in version.references:
                target = self.version(ref.subject, ref.version)
                if target is None:
                    raise RegistryNotFound(
                        f"reference {ref.name}: version {ref.version} of {ref.subject} not found"
                    )
                named[ref.name] = self._document(target)
            doc = inline_named(doc, named)
        return doc

    def judge(
        self, subject: str, schema: SchemaSubmission, level: str | None = None
    ) -> ServerVerdict:
        """Is ``schema`` compatible with ``subject``'s versions at its level?"""
        with self._lock:
            entry = self._subjects.get(subject)
            if not entry or not entry.versions:
                return ServerVerdict(True, (), new_subject=True)
            lvl = level or entry.level or self._global
            history = [self._document(v) for v in entry.versions]
            try:
                result = check_compatibility(
                    history[-1],
                    self._document(schema),
                    schema_type=schema.schema_type,
                    level=lvl,
                    history=history,
                )
            except ContractctlError as exc:
                return ServerVerdict(False, (exc.message,))
            messages = tuple(
                f"{c.rule_id} at {c.path}: {c.message}" for c in result.breaking_changes
            )
            return ServerVerdict(result.is_compatible, messages)

    # -- writes --------------------------------------------------------------------------

    def register(self, subject: str, schema: SchemaSubmission) -> RegisteredSchema:
        """Register ``schema``; an identical schema returns the existing version unchanged."""
        with self._exclusive():
            self._refresh(subject)
            existing = self.lookup(subject, schema)
            if existing is not None:
                return existing
            for ref in schema.references:
                if self.version(ref.subject, ref.version) is None:
                    raise RegistryNotFound(
                        f"reference {ref.name}: version {ref.version} of {ref.subject} not found"
                    )
            try:
                json.loads(schema.schema)
            except ValueError:
                raise RegistryError(f"{subject}: invalid {schema.schema_type} schema") from None
            verdict = self.judge(subject, schema)
            if not verdict.compatible:
                level = self.subject_level(subject) or self._global
                raise RegistryConflict(
                    f"{subject}: incompatible schema, compatibility level {level}: "
                    + "; ".join(verdict.messages)
                )
            key = self._key(schema.schema, schema.schema_type, schema.references)
            schema_id = self._ids.get(key) or self._next_id()
            entry = self._subjects.setdefault(subject, _Subject())
            number = entry.versions[-1].version + 1 if entry.versions else 1
            version = RegisteredSchema(
                subject, number, schema_id, schema.schema, schema.schema_type, schema.references
            )
            self._persist_version(version)  # the commit point: written before it is visible
            entry.versions.append(version)
            self._ids[key] = schema_id
            return version

    def set_level(self, subject: str, level: str) -> None:
        level = level.upper()
        if level not in LEVELS:
            raise RegistryError(f"invalid compatibility level {level!r}")
        with self._exclusive():
            self._refresh(subject)
            folder = self._folder(subject)
            if folder is not None:
                config = {"subject": subject, "compatibilityLevel": level}
                _write_json(self._root(), folder / "config.json", config)
                self._claim(subject, folder)
            self._subjects.setdefault(subject, _Subject()).level = level

    def set_global_level(self, level: str) -> None:
        level = level.upper()
        if level not in LEVELS:
            raise RegistryError(f"invalid compatibility level {level!r}")
        with self._exclusive():
            if self.root is not None:
                _write_json(self.root, self.root / GLOBAL_FILE, {"compatibilityLevel": level})
            self._global = level
