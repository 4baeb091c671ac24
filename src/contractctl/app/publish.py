"""``publish``: register each contract's schema under its subject, safely and idempotently.

Plan first, then act. Planning reads each subject (versions, level), marks schemas already
registered as unchanged and judges the rest locally with the compatibility engine at the
contract's level, so a refusal is explained change by change. Acting registers Avro named
types first (as references), then per subject sets the level when it differs and registers
the new versions in semver order. Registration is idempotent, so after a failure midway a
rerun skips what was registered and completes the rest without duplicates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from contractctl.adapters.registry.api import Reference, RegistryAPI, SchemaSubmission
from contractctl.adapters.registry.baseline import SubjectState, fetch_subject
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.model import Change
from contractctl.core.contract.config import Config
from contractctl.core.contract.model import Contract
from contractctl.core.errors import ExitCode, RegistryError
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.registry.identity import fingerprint, position
from contractctl.core.registry.schema import NamedType, RegistrySchema, registry_schema
from contractctl.core.registry.subjects import subject_for
from contractctl.core.schema.avro_refs import inline_named
from contractctl.core.vocab.findings import Finding, Severity


class Action(StrEnum):
    UNCHANGED = "unchanged"
    REGISTER = "register"  # planned (dry run) or about to happen
    REGISTERED = "registered"
    REFUSED = "refused"  # incompatible, not forced
    FAILED = "failed"  # the registry call failed
    NOT_ATTEMPTED = "not-attempted"  # skipped after a refusal or an earlier failure


@dataclass(slots=True)
class Outcome:
    subject: str
    item: str  # contract id, or the Avro full name of a referenced type
    action: Action
    version: int | None = None
    schema_id: int | None = None
    level_from: str | None = None
    level_to: str | None = None  # set when the subject's level must change
    breaks: list[Change] = field(default_factory=list)
    error: str | None = None
    is_reference: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "item": self.item,
            "action": self.action.value,
            "version": self.version,
            "id": self.schema_id,
            "level": {"from": self.level_from, "to": self.level_to} if self.level_to else None,
            "breaks": [
                {
                    "rule": c.rule_id,
                    "path": c.path,
                    "direction": c.direction.value,
                    "breaks": [d.value for d in c.directions],
                    "forward_rule": c.forward_rule_id,
                    "message": c.message,
                }
                for c in self.breaks
            ],
            "error": self.error,
            "reference": self.is_reference,
        }


@dataclass(slots=True)
class PublishReport:
    registry: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for o in self.outcomes if o.action is action)

    @property
    def exit_code(self) -> ExitCode:
        if self.count(Action.FAILED):
            return ExitCode.REGISTRY
        if self.count(Action.REFUSED):
            return ExitCode.FINDINGS
        return ExitCode.OK


@dataclass(frozen=True, slots=True)
class PublishRequest:
    contracts: Sequence[Contract]
    settings: RegistrySettings
    root: Path = Path()
    default_level: str = "BACKWARD"
    policy: str = "STRICT"
    dry_run: bool = False
    force: bool = False
    open_api: Callable[[], RegistryAPI] | None = None  # test seam; default from settings


@dataclass(slots=True)
class _Item:
    contract: Contract
    form: RegistrySchema
    outcome: Outcome


def _fingerprint(form: RegistrySchema) -> str:
    return fingerprint(inline_named(form.document, form.named), form.schema_type)


def _plan_subject(
    subject: str,
    items: list[_Item],
    state: SubjectState,
    global_level: str,
    request: PublishRequest,
) -> None:
    effective = state.level or global_level
    history: list[Any] = [state.self_contained(v) for v in state.versions]
    known = state.fingerprints()
    for item in items:
        outcome = item.outcome
        wanted = (item.contract.compatibility or request.default_level).upper()
        if wanted != effective:
            outcome.level_from, outcome.level_to = effective, wanted
            effective = wanted
        at = position(known, _fingerprint(item.form))
        match = state.versions[at] if at is not None else None
        candidate = inline_named(item.form.document, item.form.named)
        if match is not None:
            outcome.action, outcome.version, outcome.schema_id = (
                Action.UNCHANGED,
                match.version,
                match.id,
            )
            continue
        if history:
            result = check_compatibility(
                history[-1],
                candidate,
                schema_type=item.form.schema_type,
                level=wanted,
                policy=request.policy,
                history=history,
            )
            outcome.breaks = result.breaking_changes
        outcome.action = Action.REFUSED if outcome.breaks and not request.force else Action.REGISTER
        history.append(candidate)  # the next contract of this subject follows this one


async def _publish(request: PublishRequest, api: RegistryAPI, report: PublishReport) -> None:
    strategy = request.settings.subject_strategy
    groups: dict[str, list[_Item]] = {}
    for contract in sorted(request.contracts, key=lambda c: (c.name, c.semver)):
        subject = subject_for(contract, strategy, major_line=request.settings.major_subject_suffix)
        form = registry_schema(contract)
        outcome = Outcome(subject, contract.id, Action.NOT_ATTEMPTED)
        groups.setdefault(subject, []).append(_Item(contract, form, outcome))

    # Plan: read every subject concurrently, then judge locally.
    subjects = list(groups)
    states, global_level = await asyncio.gather(
        asyncio.gather(*(fetch_subject(api, s) for s in subjects)), api.global_level()
    )
    for subject, state in zip(subjects, states, strict=True):
        _plan_subject(subject, groups[subject], state, global_level, request)

    named: dict[str, NamedType] = {}
    for items in groups.values():
        for item in items:
            if item.outcome.action is Action.REGISTER:
                named.update({t.name: t for t in item.form.named_types})
    ref_outcomes = {n: Outcome(n, n, Action.NOT_ATTEMPTED, is_reference=True) for n in named}
    report.outcomes.extend(ref_outcomes.values())
    report.outcomes.extend(i.outcome for items in groups.values() for i in items)
    refused = any(i.outcome.action is Action.REFUSED for items in groups.values() for i in items)
    if refused:
        for items in groups.values():
            for item in items:
                if item.outcome.action is Action.REGISTER:
                    item.outcome.action = Action.NOT_ATTEMPTED
        return
    if request.dry_run:
        for name, outcome in ref_outcomes.items():
            found = await api.lookup(name, SchemaSubmission.of(named[name].document, "AVRO"))
            outcome.action = Action.UNCHANGED if found else Action.REGISTER
            if found:
                outcome.version, outcome.schema_id = found.version, found.id
        return

    # Act: named types first (their versions become references), then each subject.
    refs: dict[str, Reference] = {}

    async def register_named(name: str) -> None:
        outcome = ref_outcomes[name]
        submission = SchemaSubmission.of(named[name].document, "AVRO")
        try:
            found = await api.lookup(name, submission)
            if found is None:
                await api.register(name, submission)
                found = await api.lookup(name, submission)
                outcome.action = Action.REGISTERED
            else:
                outcome.action = Action.UNCHANGED
        except RegistryError as exc:
            outcome.action, outcome.error = Action.FAILED, exc.one_line()
            return
        if found is not None:
            outcome.version, outcome.schema_id = found.version, found.id
            refs[name] = Reference(name, name, found.version)

    await asyncio.gather(*(register_named(n) for n in named))

    async def publish_subject(subject: str, items: list[_Item]) -> None:
        for index, item in enumerate(items):
            outcome = item.outcome
            try:
                if outcome.level_to:
                    await api.set_level(subject, outcome.level_to)
                if outcome.action is not Action.REGISTER:
                    continue
                missing = [t.name for t in item.form.named_types if t.name not in refs]
                if missing:
                    outcome.action = Action.NOT_ATTEMPTED
                    outcome.error = f"referenced type {missing[0]} was not registered"
                    _skip_rest(items[index + 1 :])
                    return
                submission = SchemaSubmission.of(
                    item.form.document,
                    item.form.schema_type,
                    tuple(refs[t.name] for t in item.form.named_types),
                )
                outcome.schema_id = await api.register(subject, submission)
            except RegistryError as exc:
                outcome.action, outcome.error = Action.FAILED, exc.one_line()
                _skip_rest(items[index + 1 :])  # later versions of this subject wait for a rerun
                return
            # The server answered with an id: registered, whatever the follow-up lookup says.
            outcome.action = Action.REGISTERED
            try:
                found = await api.lookup(subject, submission)
            except RegistryError:
                found = None
            outcome.version = found.version if found else None

    await asyncio.gather(*(publish_subject(s, items) for s, items in groups.items()))
    await _reconcile(api, groups)


def _skip_rest(items: Sequence[_Item]) -> None:
    for item in items:
        if item.outcome.action is Action.REGISTER:
            item.outcome.action = Action.NOT_ATTEMPTED


async def _reconcile(api: RegistryAPI, groups: dict[str, list[_Item]]) -> None:
    """Ask the server what it holds for subjects with a failed call before reporting them.

    A registration whose response was lost (a reset, a timeout) may still have landed; the
    summary must say what the registry holds, not what the client saw.
    """
    failed = [
        s for s, items in groups.items() if any(i.outcome.action is Action.FAILED for i in items)
    ]
    for subject in failed:
        try:
            state = await fetch_subject(api, subject)
        except RegistryError:
            continue  # still unreachable: FAILED stands
        known = state.fingerprints()
        for item in groups[subject]:
            if item.outcome.action is not Action.FAILED:
                continue
            at = position(known, _fingerprint(item.form))
            if at is not None:
                held = state.versions[at]
                item.outcome.action = Action.REGISTERED
                item.outcome.version, item.outcome.schema_id = held.version, held.id
                item.outcome.error = None


@dataclass(slots=True)
class Publishable:
    """The contracts ``publish`` may register, or why it may not."""

    contracts: list[Contract]
    load_errors: list[Finding]  # the contract files themselves: exit 3
    schema_errors: list[Finding]  # validate's schema checks: exit 1, nothing registered


def load_publishable(paths: Sequence[Path], config: Config) -> Publishable:
    """Load the contracts and run validate's schema checks: a registry never receives a
    schema that `contractctl validate` rejects."""
    from contractctl.core.contract.loader import load_contracts
    from contractctl.core.lint.schemas import check_schema

    loaded = load_contracts(list(paths) or None, config)
    load_errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    schema_errors = [
        f
        for c in loaded.contracts
        for f in check_schema(c)
        if f.severity is Severity.ERROR and config.rules.get(f.rule_id, "error") == "error"
    ]
    return Publishable(list(loaded.contracts), load_errors, schema_errors)


def publish(request: PublishRequest) -> PublishReport:
    """Plan and (unless ``dry_run``) apply the registration of ``request.contracts``."""
    from contractctl.adapters.registry import open_registry

    def opener() -> RegistryAPI:
        return open_registry(request.settings, root=request.root)

    open_api = request.open_api or opener

    async def main() -> PublishReport:
        api = open_api()
        report = PublishReport(registry=api.name, dry_run=request.dry_run)
        try:
            await _publish(request, api, report)
        finally:
            await api.aclose()
        return report

    return asyncio.run(main())
