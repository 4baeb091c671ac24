"""``import registry``: every (or each matching) subject of a registry as contract files.

Fetching is concurrent and bounded by the client's semaphore: every version through
``GET /schemas`` where the registry has it (else per subject its version list and versions),
each subject's level, then every referenced version once, however many subjects share it.
The plan (core.adoption) decides the files; ``adopt_write`` writes them.
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from contractctl.adapters.registry.api import RegisteredSchema, RegistryAPI
from contractctl.app.adopt_write import (
    ImportReport,
    Writer,
    apply_plan,
    latest_contracts,
    read_manifest,
)
from contractctl.core.adoption.registry_import import (
    RegistryVersion,
    SubjectHistory,
    plan_registry_import,
)
from contractctl.core.errors import RegistryError, RegistryNotFound
from contractctl.core.registry.config import RegistrySettings

log = logging.getLogger("contractctl.registry")


@dataclass(frozen=True, slots=True)
class RegistryImportRequest:
    settings: RegistrySettings
    output: Path
    patterns: Sequence[str] = ()  # glob patterns on subject names; empty: every subject
    root: Path = Path()
    dry_run: bool = False
    open_api: Callable[[], RegistryAPI] | None = None  # test seam


def _plain(v: RegisteredSchema) -> RegistryVersion:
    return RegistryVersion(
        v.subject,
        v.version,
        v.schema_type,
        v.schema,
        tuple((r.name, r.subject, r.version) for r in v.references),
    )


async def _history(api: RegistryAPI, subject: str, global_level: str) -> SubjectHistory:
    numbers, level = await asyncio.gather(api.versions(subject), api.subject_level(subject))
    found = await asyncio.gather(*(api.version(subject, n) for n in numbers))
    versions = tuple(_plain(v) for v in found if v is not None)
    return SubjectHistory(subject, versions, level or global_level)


async def _references(
    api: RegistryAPI,
    histories: Sequence[SubjectHistory],
    known: dict[tuple[str, int], RegistryVersion],
) -> dict[tuple[str, int], RegistryVersion]:
    """Every referenced version, fetched once unless ``known``, following references of
    references."""
    known.update({(v.subject, v.version): v for h in histories for v in h.versions})
    out: dict[tuple[str, int], RegistryVersion] = {}
    wanted = {(s, n) for h in histories for v in h.versions for _, s, n in v.references}
    while wanted:
        missing = sorted(k for k in wanted if k not in known)
        fetched = await asyncio.gather(*(api.version(s, n) for s, n in missing))
        for key, got in zip(missing, fetched, strict=True):
            if got is None:
                raise RegistryNotFound(
                    f"{api.name}: referenced schema {key[0]} version {key[1]} is not registered"
                )
            known[key] = _plain(got)
        out.update({k: known[k] for k in wanted})
        wanted = {(s, n) for k in wanted for _, s, n in known[k].references} - out.keys()
    return out


async def _listing(api: RegistryAPI) -> list[RegisteredSchema] | None:
    """All versions in a few paged requests where the registry offers ``GET /schemas``."""
    every = getattr(api, "schemas", None)
    if every is None:
        return None
    try:
        found: list[RegisteredSchema] | None = await every()
    except RegistryError as exc:
        if type(exc) is not RegistryError:
            raise  # unreachable, refused credentials: asking per subject would fail the same
        # The listing is a shortcut; an answer too large or refused sends us the long way.
        log.debug("GET /schemas unusable (%s); reading subject by subject", exc.message)
        return None
    return found


async def fetch_estate(
    api: RegistryAPI, patterns: Sequence[str]
) -> tuple[list[SubjectHistory], dict[tuple[str, int], RegistryVersion], str]:
    """(histories of the matching subjects, referenced versions, global level).

    With ``GET /schemas`` a subject costs one request (its level) instead of one per version;
    a subject missing from the listing is read version by version.
    """
    subjects, global_level, listing = await asyncio.gather(
        api.subjects(), api.global_level(), _listing(api)
    )
    chosen = [
        s for s in subjects if not patterns or any(fnmatch.fnmatchcase(s, p) for p in patterns)
    ]
    listed: dict[str, list[RegistryVersion]] = {}
    for v in listing or ():
        listed.setdefault(v.subject, []).append(_plain(v))

    async def one(subject: str) -> SubjectHistory:
        if subject not in listed:
            return await _history(api, subject, global_level)
        level = await api.subject_level(subject)
        versions = tuple(sorted(listed[subject], key=lambda v: v.version))
        return SubjectHistory(subject, versions, level or global_level)

    histories = list(await asyncio.gather(*(one(s) for s in chosen)))
    known = {(v.subject, v.version): v for vs in listed.values() for v in vs}
    return histories, await _references(api, histories, known), global_level


def import_registry(request: RegistryImportRequest) -> ImportReport:
    from contractctl.adapters.registry import open_registry

    async def fetch() -> tuple[str, list[SubjectHistory], dict[tuple[str, int], RegistryVersion]]:
        api = (request.open_api or (lambda: open_registry(request.settings, root=request.root)))()
        try:
            histories, refs, _ = await fetch_estate(api, request.patterns)
            return api.name, histories, refs
        finally:
            await api.aclose()

    previous, manifest_text = read_manifest(request.output)
    source, histories, refs = asyncio.run(fetch())
    with Writer(request.output, previous, dry_run=request.dry_run) as writer:
        plan = plan_registry_import(
            histories,
            refs,
            previous,
            strategy=request.settings.subject_strategy,
            source=source,
            sink=writer,
            carried=latest_contracts(request.output, previous),
        )
        return apply_plan(writer, plan, manifest_text)
