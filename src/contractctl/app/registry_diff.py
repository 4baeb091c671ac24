"""``registry diff``: are the contracts what the registry holds? For CI: exit 1 on drift.

Identity follows ``core.registry.identity`` through ``RegistryBaseline`` (the canonical
fingerprint of the self-contained schema, else the registry's lookup with references), so
``diff``, ``check --against registry`` and ``publish`` agree on what "registered" means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from contractctl.adapters.registry.api import RegistryAPI
from contractctl.adapters.registry.baseline import make_registry_baseline
from contractctl.core.adoption.drift import ContractFacts, DriftReport, judge
from contractctl.core.contract.loader import display_path
from contractctl.core.contract.model import Contract
from contractctl.core.errors import ContractctlError
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.registry.schema import avro_references


@dataclass(frozen=True, slots=True)
class RegistryDiffRequest:
    contracts: Sequence[Contract]
    settings: RegistrySettings
    default_level: str = "BACKWARD"
    root: Path = Path()
    open_api: Callable[[], RegistryAPI] | None = None  # test seam


def registry_diff(request: RegistryDiffRequest) -> DriftReport:
    baseline = make_registry_baseline(
        request.settings, root=request.root, open_api=request.open_api
    )
    contracts = list(request.contracts)
    baseline.prefetch(contracts)

    async def subjects(api: RegistryAPI) -> tuple[str, list[str]]:
        return api.name, await api.subjects()

    name, registered = baseline.run(subjects)
    facts: list[ContractFacts] = []
    referenced: set[str] = set()
    for c in contracts:
        state = baseline.state(c)
        referenced.update(r.subject for v in state.versions for r in v.references)
        with suppress(ContractctlError):  # an unreadable reference is validate's to report
            referenced.update(t.name for t in avro_references(c))
        history = baseline.history(c)
        at = len(history)
        facts.append(
            ContractFacts(
                contract=c.id,
                file=display_path(c.path),
                subject=state.subject,
                registered_version=state.versions[at].version if at < len(state.versions) else None,
                subject_exists=bool(state.versions),
                contract_level=(c.compatibility or request.default_level).upper(),
                registry_level=(baseline.level(c) or "BACKWARD").upper(),
            )
        )
    return DriftReport(name, judge(facts, registered, referenced))
