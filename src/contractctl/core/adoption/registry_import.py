"""A registry's subjects as contract files: one contract per subject version, its schema
beside it, Avro references as shared ``.avsc`` files, semver from the compatibility engine.

Numbering: a subject's first version is 1.0.0; each later version is judged against the
earlier versions of its major line at the subject's level (NONE is judged at BACKWARD: the
registry did not stop the break, but consumers still feel it). A break bumps the major,
anything else the minor. Pinned numbers from an earlier import (the manifest) are kept.
Memory is bounded by one subject's versions at a time plus the output texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from contractctl.core.adoption.contract_files import contract_files, schema_text
from contractctl.core.adoption.manifest import ImportPlan, Manifest, PlannedFile, SubjectRecord
from contractctl.core.adoption.naming import event_name, folder_of, kebab, topic_of, unique
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.contract.model import Contract, SchemaSpec, SemVer
from contractctl.core.errors import ContractctlError
from contractctl.core.registry.config import LEVELS
from contractctl.core.registry.subjects import SubjectStrategy, subject_for
from contractctl.core.schema.avro_refs import full_name, inline_named

SHARED_FOLDER = "common"
# What a registry cannot know and people fill in; a new version inherits it from the last one.
CARRIED = (
    "owner", "producer", "consumers", "key", "ordering", "delivery", "correlation",
    "error_policy", "tags",
)  # fmt: skip
FORMATS = {"AVRO": ("avro", ".avsc"), "JSON": ("jsonschema", ".json")}


@dataclass(frozen=True, slots=True)
class RegistryVersion:
    """One registered version, as plain data (the adapter's ``RegisteredSchema``)."""

    subject: str
    version: int
    schema_type: str
    schema: str
    references: tuple[tuple[str, str, int], ...] = ()  # (name, subject, version)
    document: Any = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        try:
            document = json.loads(self.schema)
        except ValueError:
            document = self.schema  # an Avro primitive written bare
        object.__setattr__(self, "document", document)  # parsed once, read many times

    def parsed(self) -> Any:
        return self.document


@dataclass(frozen=True, slots=True)
class SubjectHistory:
    subject: str
    versions: tuple[RegistryVersion, ...]
    level: str  # the level the registry applies: the subject's, else the global one


def _named_closure(
    version: RegistryVersion, refs: Mapping[tuple[str, int], RegistryVersion]
) -> list[RegistryVersion]:
    """Every version ``version`` references, directly or not, dependencies first."""
    out: dict[tuple[str, int], RegistryVersion] = {}

    def visit(v: RegistryVersion, depth: int) -> None:
        for _, subject, number in v.references:
            key = (subject, number)
            found = refs.get(key)
            if found is None or key in out or depth > 32:
                continue
            visit(found, depth + 1)
            out[key] = found

    visit(version, 0)
    return list(out.values())


def _self_contained(
    version: RegistryVersion, refs: Mapping[tuple[str, int], RegistryVersion]
) -> Any:
    document = version.parsed()
    if version.schema_type != "AVRO" or not version.references:
        return document
    named: dict[str, Any] = {}
    for ref in _named_closure(version, refs):
        parsed = ref.parsed()
        if (name := full_name(parsed)) is not None:
            named[name] = parsed
    for name, subject, number in version.references:
        if (target := refs.get((subject, number))) is not None:
            named.setdefault(name, target.parsed())
    return inline_named(document, named)


def number_versions(
    history: SubjectHistory,
    refs: Mapping[tuple[str, int], RegistryVersion],
    pinned: Mapping[int, str],
) -> dict[int, str]:
    """Registry version → semver, pinned numbers first; see the module docstring."""
    # NONE stops no break, yet consumers feel it; a level unknown to us is judged as default.
    level = history.level if history.level in LEVELS and history.level != "NONE" else "BACKWARD"
    numbers: dict[int, str] = {}
    line: list[Any] = []  # self-contained documents of the current major line
    current: SemVer | None = None
    for v in history.versions:
        document = _self_contained(v, refs)
        if v.version in pinned:
            semver = SemVer.parse(pinned[v.version])
            if current is None or semver.major != current.major:
                line = []
        elif current is None:
            semver = SemVer(1, 0, 0)
        else:
            breaks = False
            if line:
                try:
                    breaks = not check_compatibility(
                        line[-1],
                        document,
                        schema_type=v.schema_type,
                        level=level,
                        # Only transitive levels look past the latest; parsing the rest costs.
                        history=line if level.endswith("_TRANSITIVE") else None,
                    ).is_compatible
                except ContractctlError:
                    breaks = True  # unreadable to the engine: a new line is the safe claim
            if breaks:
                semver, line = SemVer(current.major + 1, 0, 0), []
            else:
                semver = SemVer(current.major, current.minor + 1, 0)
        line.append(document)
        numbers[v.version] = str(semver)
        current = semver
    return numbers


def _relative(target: str, start: str) -> str:
    """``target`` relative to the folder ``start`` (both '/'-separated, under the output)."""
    t, s = PurePosixPath(target).parts, PurePosixPath(start).parts
    common = 0
    while common < min(len(t), len(s)) and t[common] == s[common]:
        common += 1
    return "/".join([".."] * (len(s) - common) + list(t[common:]))


def _summary(document: Any) -> tuple[str | None, str | None]:
    """(summary, description) from an Avro ``doc`` or a JSON Schema ``description``."""
    if not isinstance(document, dict):
        return None, None
    text = document.get("doc", document.get("description"))
    if not isinstance(text, str) or not text.strip():
        return None, None
    first = text.strip().splitlines()[0].strip()
    return first, text.strip() + "\n"


def _subject_fields(
    name: str, history: SubjectHistory, document: Any, schema_type: str, strategy: SubjectStrategy
) -> dict[str, Any]:
    """``channel`` and, when the naming strategy would not give the subject back, ``subject``."""
    subject = history.subject
    channel = topic_of(subject)
    fmt = FORMATS[schema_type][0]
    probe = Contract(name, "1.0.0", SchemaSpec(fmt, document), Path("probe.yaml"), channel=channel)
    if channel is None and strategy is SubjectStrategy.TOPIC_RECORD:
        from contractctl.core.registry.subjects import record_name

        suffix = f"-{record_name(probe)}"
        if subject.endswith(suffix) and len(subject) > len(suffix):
            channel = probe.channel = subject[: -len(suffix)]
    try:
        reproduced = subject_for(probe, strategy) == subject
    except ContractctlError:
        reproduced = False
    out: dict[str, Any] = {}
    if channel:
        out["channel"] = channel
    if not reproduced:
        out["subject"] = subject
    return out


def plan_registry_import(
    histories: Iterable[SubjectHistory],
    refs: Mapping[tuple[str, int], RegistryVersion],
    previous: Manifest,
    *,
    strategy: SubjectStrategy,
    source: str,
    sink: Callable[[PlannedFile], None] | None = None,
    carried: Mapping[str, Mapping[str, Any]] | None = None,
) -> ImportPlan:
    """The files an import writes for ``histories`` (sorted by subject), and the new manifest.

    ``refs`` holds every version some version references, keyed (subject, version).
    ``carried`` holds, per subject, the latest earlier contract as it is now on disk: a new
    version takes its ``CARRIED`` fields (owner, producer, consumers, …) from there.
    """
    carried = carried or {}
    plan = ImportPlan(manifest=Manifest(source=source, subjects=dict(previous.subjects)), sink=sink)
    taken = {r.name for r in previous.subjects.values()}
    shared: dict[tuple[str, int], str] = {}
    histories = sorted(histories, key=lambda h: h.subject)
    # A subject other subjects reference holds a named type, not an event: its versions
    # become shared .avsc files, not contracts.
    referenced = {s for h in histories for v in h.versions for _, s, _ in v.references}
    for given in histories:
        if given.subject in referenced:
            plan.skipped.append((given.subject, f"referenced by other subjects: {SHARED_FOLDER}/"))
            continue
        usable = tuple(v for v in given.versions if v.schema_type in FORMATS)
        if len(usable) < len(given.versions):
            kinds = sorted({v.schema_type for v in given.versions} - set(FORMATS))
            plan.skipped.append((given.subject, f"{'/'.join(kinds)} schemas are not supported"))
        if not usable:
            continue
        history = SubjectHistory(given.subject, usable, given.level.upper())
        if history.level not in LEVELS:
            plan.skipped.append((given.subject, f"level {given.level!r} is unknown: left out"))
        plan.subjects += 1
        record = previous.subjects.get(history.subject)
        latest_doc = usable[-1].parsed()
        if record is None:
            name = event_name(history.subject, usable[-1].schema_type, latest_doc)
            if history.subject.endswith("-key"):
                name += "Key"
            record = SubjectRecord(unique(name, taken))
            taken.add(record.name)
        pinned = record.versions
        numbers = number_versions(history, refs, pinned)
        record = SubjectRecord(record.name, dict(numbers), dict(record.carried))
        plan.manifest.subjects[history.subject] = record
        folder = folder_of(record.name)
        previous_major = None
        for v in usable:
            semver = numbers[v.version]
            major = SemVer.parse(semver).major
            if previous_major is not None and major != previous_major:
                plan.majors.append(f"{history.subject} v{v.version} → {semver}")
            previous_major = major
            fmt = FORMATS[v.schema_type][0]
            references = []
            for ref in _named_closure(v, refs):
                key = (ref.subject, ref.version)
                if key not in shared:
                    label = kebab(ref.subject.replace(".", "-")) or "type"
                    shared[key] = f"{SHARED_FOLDER}/{label}.v{ref.version}.avsc"
                    plan.add(PlannedFile(shared[key], schema_text(ref.parsed()), "reference"))
                references.append(_relative(shared[key], folder))
            document = v.parsed()
            summary, description = _summary(document)
            schema: dict[str, Any] = {}
            where = _subject_fields(record.name, history, document, v.schema_type, strategy)
            if "subject" in where:
                schema["subject"] = where["subject"]
            if references:
                schema["references"] = references
            fields: dict[str, Any] = {"name": record.name, "version": semver}
            if summary:
                fields["summary"] = summary
            if description:
                fields["description"] = description
            fields["schema"] = schema
            if "channel" in where:
                fields["channel"] = where["channel"]
            if history.level in LEVELS:
                fields["compatibility"] = history.level
            if v.version not in pinned:  # a new version inherits what people filled in
                found = carried.get(history.subject, {})
                taken_over = {k: found[k] for k in CARRIED if k in found and k not in fields}
                if taken_over:
                    record.carried[v.version] = taken_over
            fields.update(record.carried.get(v.version, {}))
            fields["metadata"] = {"registry": {"subject": history.subject, "version": v.version}}
            origin = f"registry subject {history.subject} version {v.version}"
            plan.add(*contract_files(fields, fmt, document, origin))
            plan.contracts += 1
    return plan
