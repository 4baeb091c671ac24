"""``RegistryBaseline``: a schema registry as the compatibility gate's baseline.

``history(contract)`` is the contract's subject's versions, oldest first (only those before
the contract's own schema when it is already registered: a contract is never judged against
its own successors); ``level(contract)`` is the subject's compatibility level, else the
global one. "Already registered" follows ``core.registry.identity``: the canonical-form
fingerprint of the self-contained schema, else the registry's own lookup with references.
``prefetch`` loads every subject the contracts need concurrently (bounded by the client's
semaphore), which is what makes a thousand subjects take seconds; ``history`` falls back
to fetching one subject on a miss.
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
from contractctl.core.registry.identity import fingerprint, position
from contractctl.core.registry.schema import registry_schema
from contractctl.core.registry.subjects import DEFAULT_MAJOR_SUFFIX, SubjectStrategy, subject_for
from contractctl.core.schema.avro_refs import inline_named

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

    def self_contained(self, version: RegisteredSchema) -> Any:
        """``version``'s schema with its referenced Avro named types inlined."""
        named = {
            r.name: self.named[(r.subject, r.version)]
            for r in version.references
            if (r.subject, r.version) in self.named
        }
        return inline_named(version.parsed(), named)

    def fingerprints(self) -> list[str]:
        return [fingerprint(self.self_contained(v), v.schema_type) for v in self.versions]


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
        major_line: str = DEFAULT_MAJOR_SUFFIX,
    ) -> None:
        self._open = open_api
        self.strategy = strategy
        self.major_line = major_line
        self.label = label
        self._states: dict[str, SubjectState] = {}
        self._fingerprints: dict[str, list[str]] = {}
        self._looked_up: dict[str, int | None] = {}  # contract id -> registered version number
        self._global: str | None = None

    def subject(self, contract: Contract) -> str:
        return subject_for(contract, self.strategy, major_line=self.major_line)

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
        """Load every subject ``contracts`` map to, concurrently, and look up (with their
        references) the schemas whose fingerprint matches no registered version."""
        contracts = list(contracts)
        subjects = sorted({self.subject(c) for c in contracts} - set(self._states))

        async def work(api: RegistryAPI) -> None:
            states, level = await asyncio.gather(
                asyncio.gather(*(fetch_subject(api, s) for s in subjects)),
                api.global_level(),
            )
            self._global = level
            self._states.update({s.subject: s for s in states})
            unmatched = [c for c in contracts if self._unmatched(c)]
            found = await asyncio.gather(*(self._lookup(api, c) for c in unmatched))
            self._looked_up.update(zip((c.id for c in unmatched), found, strict=True))

        self.run(work)

    def _candidate(self, contract: Contract) -> str | None:
        try:
            form = registry_schema(contract)
        except ContractctlError:  # an unreadable candidate is the gate's to report
            return None
        return fingerprint(inline_named(form.document, form.named), form.schema_type)

    def _known(self, subject: str) -> list[str]:
        if subject not in self._fingerprints:
            self._fingerprints[subject] = self._states[subject].fingerprints()
        return self._fingerprints[subject]

    def _unmatched(self, contract: Contract) -> bool:
        subject = self.subject(contract)
        if contract.id in self._looked_up or not self._states[subject].versions:
            return False
        mine = self._candidate(contract)
        return mine is not None and position(self._known(subject), mine) is None

    async def _lookup(self, api: RegistryAPI, contract: Contract) -> int | None:
        """The registry's own answer: POST /subjects/{s} with the schema's references."""
        try:
            form = registry_schema(contract)
            submission = await submission_for(api, contract, form, self.strategy, register=False)
            found = await api.lookup(self.subject(contract), submission)
        except ContractctlError:
            return None
        return found.version if found is not None else None

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
        mine = self._candidate(contract)
        at = position(self._known(state.subject), mine) if mine is not None else None
        if at is None and self._looked_up.get(contract.id) is not None:
            number = self._looked_up[contract.id]
            at = next((i for i, v in enumerate(versions) if v.version == number), None)
        if at is not None:
            versions = versions[:at]
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
        major_line=settings.major_subject_suffix,
    )
