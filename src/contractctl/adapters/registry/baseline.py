"""``RegistryBaseline``: a schema registry as the compatibility gate's baseline.

``history(contract)`` is the contract's subject's versions, oldest first (only those before
the contract's own schema when it is already registered); ``level(contract)`` is the
subject's compatibility level, else the global one. ``prefetch`` loads every subject the
contracts need concurrently (bounded by the client's semaphore), which is what makes a
thousand subjects take seconds; ``history`` falls back to fetching one subject on a miss.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from contractctl.adapters.registry.api import (
    RegisteredSchema,
    RegistryAPI,
    SchemaSubmission,
    ServerVerdict,
)
from contractctl.core.contract.baseline import BaselineVersion
from contractctl.core.errors import ContractctlError
from contractctl.core.registry.schema import registry_schema
from contractctl.core.registry.subjects import SubjectStrategy, subject_for

if TYPE_CHECKING:
    from contractctl.core.contract.model import Contract
    from contractctl.core.registry.config import RegistrySettings

T = TypeVar("T")
ApiFactory = Callable[[], RegistryAPI]


@dataclass(frozen=True, slots=True)
class SubjectState:
    """What the registry holds for one subject."""

    subject: str
    versions: tuple[RegisteredSchema, ...]
    level: str | None  # subject-level config, None when only the global level applies
    named: dict[tuple[str, int], Any]  # referenced (subject, version) -> parsed schema


async def fetch_subject(api: RegistryAPI, subject: str) -> SubjectState:
    """A subject's versions, level and referenced schemas, in as few round trips as possible."""
    latest, level = await asyncio.gather(api.version(subject, "latest"), api.subject_level(subject))
    if latest is None:
        return SubjectState(subject, (), level, {})
    if latest.version <= 1:
        versions: list[RegisteredSchema] = [latest]
    else:
        numbers = [n for n in await api.versions(subject) if n != latest.version]
        earlier = await asyncio.gather(*(api.version(subject, n) for n in numbers))
        versions = [v for v in earlier if v is not None] + [latest]
    named: dict[tuple[str, int], Any] = {}
    refs = {(r.subject, r.version) for v in versions for r in v.references}
    found = await asyncio.gather(*(api.version(s, n) for s, n in refs))
    for key, ref in zip(refs, found, strict=True):
        if ref is not None:
            named[key] = ref.parsed()
    return SubjectState(subject, tuple(versions), level, named)


class RegistryBaseline:
    """Earlier versions of each contract's schema, as a registry (remote or embedded) holds them."""

    name = "registry"

    def __init__(
        self,
        open_api: ApiFactory,
        *,
        strategy: SubjectStrategy = SubjectStrategy.TOPIC,
        label: str = "registry",
    ) -> None:
        self._open = open_api
        self.strategy = strategy
        self.label = label
        self._states: dict[str, SubjectState] = {}
        self._global: str | None = None

    def subject(self, contract: Contract) -> str:
        return subject_for(contract, self.strategy)

    def run(self, work: Callable[[RegistryAPI], Awaitable[T]]) -> T:
        """Run ``work`` on a fresh API in its own event loop (clients are loop-bound)."""

        async def main() -> T:
            api = self._open()
            try:
                return await work(api)
            finally:
                await api.aclose()

        return asyncio.run(main())

    def prefetch(self, contracts: Iterable[Contract]) -> None:
        """Load every subject ``contracts`` map to, concurrently."""
        subjects = sorted({self.subject(c) for c in contracts} - set(self._states))

        async def work(api: RegistryAPI) -> None:
            states, level = await asyncio.gather(
                asyncio.gather(*(fetch_subject(api, s) for s in subjects)),
                api.global_level(),
            )
            self._global = level
            self._states.update({s.subject: s for s in states})

        self.run(work)

    def state(self, contract: Contract) -> SubjectState:
        subject = self.subject(contract)
        if subject not in self._states or self._global is None:
            self.prefetch([contract])
        return self._states[subject]

    def is_registered(self, contract: Contract) -> bool:
        """True when the contract's schema already is a version of its subject."""
        return len(self.history(contract)) < len(self.state(contract).versions)

    def history(self, contract: Contract) -> list[BaselineVersion]:
        state = self.state(contract)
        versions = list(state.versions)
        try:
            form = registry_schema(contract)
            mine = SchemaSubmission.of(form.document, form.schema_type)
            position = next(
                (i for i, v in enumerate(versions) if v.same_schema(mine) or _same_text(v, mine)),
                None,
            )
        except ContractctlError:  # an unreadable candidate is the gate's to report
            position = None
        if position is not None:
            versions = versions[:position]
        return [self._baseline_version(state, v) for v in versions]

    def _baseline_version(self, state: SubjectState, v: RegisteredSchema) -> BaselineVersion:
        named = {
            r.name: state.named[(r.subject, r.version)]
            for r in v.references
            if (r.subject, r.version) in state.named
        }
        return BaselineVersion(
            schema=v.parsed(),
            schema_type=v.schema_type,
            label=f"{self.label}:{state.subject} v{v.version} (id {v.id})",
            named_types=named or None,
        )

    def level(self, contract: Contract) -> str | None:
        state = self.state(contract)
        return state.level or self._global

    def event_names(self) -> set[str] | None:
        return None  # subjects are not events; a missing subject is not a removed event

    def server_verdicts(
        self, contracts: Sequence[Contract], *, transitive: Callable[[Contract], bool] | None = None
    ) -> dict[str, ServerVerdict]:
        """The registry's own verdict per contract id (``--server-verify``)."""

        async def one(api: RegistryAPI, contract: Contract) -> tuple[str, ServerVerdict]:
            form = registry_schema(contract)
            submission = await submission_for(api, contract, form, self.strategy, register=False)
            every = bool(transitive and transitive(contract))
            verdict = await api.test_compatibility(
                self.subject(contract), submission, all_versions=every
            )
            return contract.id, verdict

        async def work(api: RegistryAPI) -> dict[str, ServerVerdict]:
            return dict(await asyncio.gather(*(one(api, c) for c in contracts)))

        return self.run(work)


def _same_text(version: RegisteredSchema, submission: SchemaSubmission) -> bool:
    return version.schema_type == submission.schema_type and version.schema == submission.schema


async def submission_for(
    api: RegistryAPI,
    contract: Contract,
    form: Any,
    strategy: SubjectStrategy,
    *,
    register: bool,
) -> SchemaSubmission:
    """The submission for ``contract``, with references to its Avro named types.

    With ``register`` the named types are registered first (idempotently); without, each
    reference points at the subject version already holding that type (or is dropped).
    """
    from contractctl.adapters.registry.api import Reference

    del strategy  # named types are registered under their full name (RecordNameStrategy)
    refs: list[Reference] = []
    for named in form.named_types:
        sub = SchemaSubmission.of(named.document, "AVRO")
        found = await api.lookup(named.name, sub)
        if found is None and register:
            await api.register(named.name, sub)
            found = await api.lookup(named.name, sub)
        if found is not None:
            refs.append(Reference(named.name, named.name, found.version))
    del contract
    return SchemaSubmission.of(form.document, form.schema_type, tuple(refs))


def make_registry_baseline(
    settings: RegistrySettings,
    *,
    root: Path | None = None,
    open_api: ApiFactory | None = None,
) -> RegistryBaseline:
    """The baseline for ``--against registry``: the configured registry, else the embedded one."""
    from contractctl.adapters.registry import open_registry

    label = "registry" if settings.embedded else f"registry {settings.urls[0]}"
    return RegistryBaseline(
        open_api or (lambda: open_registry(settings, root=root)),
        strategy=settings.subject_strategy,
        label=label,
    )
