"""``contractctl check``: the compatibility gate, from a contract tree and a baseline to a Report.

For each contract: its earlier versions (the baseline's copy where it has one, else the
tree's), restricted to its compatibility line; the engine judges the schema at the
contract's level; each change becomes a finding (breaking → error naming the consumers it
breaks, compatible → info); then version discipline, the data-level example replay, and
accepted breaks. Removed events are reported against baselines that know their events.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from contractctl.app import review
from contractctl.app.accepted import AcceptedBreaks
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.jsonschema.unjudged import RULE_ID as UNJUDGED
from contractctl.core.compat.model import Change
from contractctl.core.contract.baseline import Baseline, BaselineVersion
from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import LoadResult, display_path, load_contracts
from contractctl.core.contract.model import Contract, SemVer
from contractctl.core.errors import ContractctlError, LoadError, UsageError
from contractctl.core.review.consumers import finding_at
from contractctl.core.rules import get_rule
from contractctl.core.schema.avro_refs import inline_named
from contractctl.core.schema.example_fit import payload_errors
from contractctl.core.source.positions import Positions
from contractctl.core.vocab.findings import Finding, Report, Severity
from contractctl.core.vocab.levels import Direction, Level
from contractctl.core.vocab.words import plural

if TYPE_CHECKING:
    from contractctl.core.registry.config import RegistrySettings

_SCHEMA_BROKEN = frozenset({"CONTRACT_SCHEMA_INVALID", "CONTRACT_SCHEMA_DIALECT"})


@dataclass(slots=True)
class CheckRequest:
    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    against: str | None = None  # baseline spec: None → config → the tree's own history
    baseline: Baseline | None = None  # an already-built baseline (tests, the registry seam)
    level: str | None = None  # overrides every contract's level
    policy: str | None = None  # overrides the config's policy
    validate: bool = True  # run validate's contract checks first, as `contractctl check` does
    registry: RegistrySettings | None = None  # judge against this registry (--registry URL)
    server_verify: bool = False  # with a registry: also ask its own compatibility endpoint
    today: date | None = None  # for sunset and expiry dates; None: the real date
    all: bool = False  # against git:REF, judge every contract rather than what changed
    cache: bool = True  # parses remembered in .contractctl/cache (also config `cache: false`)


@dataclass(slots=True)
class CheckOutcome:
    report: Report
    loaded: LoadResult
    baseline: Baseline  # for follow-up questions (e.g. a registry's own verdicts)
    recalled: bool = False  # the report of an earlier run: ``loaded`` has no contracts
    recalled_input_errors: int = 0

    @property
    def input_errors(self) -> int:
        return self.recalled_input_errors if self.recalled else len(self.loaded.input_errors)


@runtime_checkable
class KnowsReleases(Protocol):
    """Baselines with semver'd contracts (git, directory) also answer these."""

    def released(self, contract: Contract) -> BaselineVersion | None: ...

    def versions(self, event: str) -> list[BaselineVersion]: ...


def _semver(version: str | None) -> SemVer | None:
    try:
        return SemVer.parse(version) if version else None
    except ValueError:
        return None


def self_contained(version: BaselineVersion) -> Any:
    """The version's schema with Avro named types from other files inlined."""
    if version.schema_type == "AVRO" and version.named_types:
        return inline_named(version.schema, version.named_types)
    return version.schema


def candidate(contract: Contract) -> BaselineVersion:
    from contractctl.adapters.baselines import version_of

    return version_of(contract)


def broken_consumers(contract: Contract, against: BaselineVersion) -> list[str]:
    """Consumers a break against ``against`` affects: those whose range includes its version."""
    return [c.service for c in review.consumers_in_range(contract, against)]


class _Gate:
    def __init__(self, request: CheckRequest, tree: list[Contract], baseline: Baseline) -> None:
        self.request = request
        self.config = request.config
        self.tree = tree
        self.baseline = baseline
        self.accepted = AcceptedBreaks.collect(tree, request.config, request.today)
        self.consumed = review.consumed_events(tree)
        self.findings: list[Finding] = []
        self.stats = {"compared": 0, "new": 0, "breaking": 0, "accepted": 0, "compatible": 0}
        self._positions: dict[int, Positions | None] = {}  # parsed schema files, by contract
        from contractctl.adapters.baselines import TreeBaseline

        self.own = TreeBaseline(tree) if not isinstance(baseline, TreeBaseline) else baseline

    def level(self, c: Contract) -> Level:
        """--level, then the contract's, then the baseline's own (a registry subject's, else
        its global level), then contractctl.yaml's, else BACKWARD."""
        return Level.parse(
            self.request.level
            or c.compatibility
            or self.baseline.level(c)
            or self.config.compatibility
        )

    def history(self, c: Contract) -> list[BaselineVersion]:
        """Earlier versions in c's compatibility line, oldest first; the baseline's copy wins."""
        versions = self.baseline.history(c)
        if self.own is not self.baseline and all(v.version for v in versions):
            known = {v.version for v in versions}
            versions = [*versions, *(v for v in self.own.history(c) if v.version not in known)]
            versions.sort(key=lambda v: _semver(v.version) or SemVer(0, 0, 0))
        mine = c.semver
        if self.config.major_starts_new_line:
            versions = [
                v for v in versions if (s := _semver(v.version)) is None or s.major == mine.major
            ]
        return versions

    def run(self, skip: set[int]) -> None:
        """Judge every contract except those in ``skip`` (ids of contracts validate rejected)."""
        for c in sorted(self.tree, key=lambda c: (c.name, _semver(c.version) or SemVer(0, 0, 0))):
            if id(c) in skip or _semver(c.version) is None:
                continue  # validate reports the broken schema or version; nothing to compare
            try:
                self.contract(c)
            except ContractctlError as exc:
                self.findings.append(
                    finding_at(c, "CHECK_SCHEMA_UNREADABLE", f"{c.id}: {exc.message}", "/schema")
                )
        self.findings.extend(self.accepted.unused(self.tree))
        if not self.request.paths:
            self.removed()
        self.findings, unread = review.attribute(
            self.findings, self.tree, self.history, self.config
        )
        self.stats["breaking"] -= unread
        self.stats["unread"] = unread

    def contract(self, c: Contract) -> None:
        new = candidate(c)
        self.discipline(c, new)
        registered = getattr(self.baseline, "is_registered", None)
        if callable(registered) and registered(c):
            # The registry accepted this very schema under the level it had then; judging it
            # again at today's level would report history, not the change under review.
            self.stats["registered"] = self.stats.get("registered", 0) + 1
            return
        history = self.history(c)
        before = self.baseline.released(c) if isinstance(self.baseline, KnowsReleases) else None
        before = before or (history[-1] if history else None)
        self.findings.extend(review.behaviour_findings(c, before, self.accepted, self.consumed))
        if not history:
            self.stats["new"] += 1
            return
        self.stats["compared"] += 1
        latest = history[-1]
        if latest.schema_type != new.schema_type:
            self.findings.append(
                finding_at(
                    c,
                    "CHECK_SCHEMA_FORMAT_CHANGED",
                    f"{c.id} is {new.schema_type} but {latest.version or latest.label} "
                    f"was {latest.schema_type}",
                    "/schema",
                )
            )
            return
        history = [v for v in history if v.schema_type == new.schema_type]
        level = self.level(c)
        result = check_compatibility(
            self_contained(latest),
            self_contained(new),
            schema_type=new.schema_type,
            level=level,
            policy=self.request.policy or self.config.policy,
            history=[self_contained(v) for v in history],
            labels=[*(v.version or v.label for v in history), c.version],
        )
        breaking_same_line = self.changes(c, history, result.changes, level)
        targets = history if level.transitive else history[-1:]
        self.examples(c, new, targets, level)
        if breaking_same_line:
            against = ", ".join(breaking_same_line)
            self.findings.append(
                finding_at(
                    c,
                    "CHECK_MAJOR_BUMP_REQUIRED",
                    f"{c.id} breaks {level.value} compatibility with {against} of the same "
                    f"major version; release it as {c.semver.major + 1}.0.0 or make the "
                    "change compatible"
                    + (
                        ""
                        if self.config.registry.get("major_subject_suffix")
                        else " (to register the new major beside this one, set "
                        'registry.major_subject_suffix: "-v{major}"; see docs/check.md)'
                    ),
                    "/version",
                    level=level.value,
                    against=list(breaking_same_line),
                )
            )

    def changes(
        self, c: Contract, history: list[BaselineVersion], changes: list[Change], level: Level
    ) -> list[str]:
        """Findings for ``changes``; returns the versions of c's major broken without acceptance."""
        groups: dict[tuple[str, str, int, bool], list[Change]] = {}
        for ch in changes:
            index = int(ch.against_version or "-1")
            groups.setdefault((ch.rule_id, ch.path, index, ch.breaking), []).append(ch)
        same_line: list[str] = []
        for (rule_id, path, index, breaking), group in groups.items():
            first = group[0]
            against = history[index]
            shown = against.version or against.label
            told = {d for ch in group for d in (ch.breaks if breaking else ch.seen)}
            directions = [d.value for d in Direction if d in told]
            extra: dict[str, Any] = {
                "directions": directions,
                "against": shown,
                "level": level.value,
                "old": first.old,
                "new": first.new,
                "forward_rule_id": first.forward_rule_id,
            }
            if rule_id == UNJUDGED:
                # The registry accepts it unexamined: a warning (configurable), not "compatible".
                self.stats["unjudged"] = self.stats.get("unjudged", 0) + 1
                rule = get_rule(UNJUDGED)
                self.findings.append(
                    replace(
                        self._change(c, rule_id, path, rule.severity, first, extra),
                        hint=rule.hint,
                    )
                )
                continue
            if not breaking:
                self.stats["compatible"] += 1
                extra["compatible"] = True
                self.findings.append(self._change(c, rule_id, path, Severity.INFO, first, extra))
                continue
            consumers = broken_consumers(c, against)
            extra["consumers"] = consumers
            entry = self.accepted.match(c, rule_id, path)
            if entry is not None:
                self.stats["accepted"] += 1
                extra.update(accepted=True, reason=entry.reason)
            else:
                self.stats["breaking"] += 1
                mine, old = c.semver, _semver(against.version)
                if old is None or old.major == mine.major:
                    same_line.append(shown)
            who = ", ".join(consumers) if consumers else "no declared consumer"
            message = f"against {shown} ({'/'.join(directions)}): {first.message} Breaks: {who}."
            if entry is not None:
                message += f" Accepted: {entry.reason}"
            finding = self._change(c, rule_id, path, Severity.ERROR, first, extra)
            self.findings.append(replace(finding, message=message))
        return list(dict.fromkeys(same_line))

    def _change(
        self, c: Contract, rule_id: str, path: str, severity: Severity, ch: Change, extra: Any
    ) -> Finding:
        file, line = self.where(c, path)
        # The contract the finding belongs to, for its `ignore` entries, when the line is in
        # the schema file.
        extra = {**extra, "contract": display_path(c.path)}
        return Finding(
            rule_id,
            severity,
            f"against {extra['against']}: {ch.message}",
            file=file,
            line=line,
            pointer=path,
            hint=ch.hint,
            event=c.name,
            extra=extra,
        )

    def where(self, c: Contract, path: str) -> tuple[str, int | None]:
        """(file, line) of the changed node: in the schema file, or the inline schema.

        The change's path is a pointer into the candidate schema; where it does not exist
        there (a bundled ``$ref`` target, something removed) the nearest enclosing node is
        used, and the contract's ``schema:`` line when nothing below the root matches.
        """
        pointer = path.removeprefix("#")
        fallback = (display_path(c.path), c.positions.line("/schema", key=True))
        if c.schema.file is None:
            found = c.positions.locate(f"/schema/inline{pointer}", key=True)
            return (display_path(c.path), found[0]) if found else fallback
        positions = self._schema_positions(c)
        if positions is None or not pointer:
            return fallback
        first = "/" + pointer.lstrip("/").split("/", 1)[0]
        if positions.locate(first) == positions.locate(""):
            return fallback  # not in this file (e.g. a definition bundled from another one)
        found = positions.locate(pointer, key=True)
        return (display_path(c.schema.file), found[0]) if found else fallback

    def _schema_positions(self, c: Contract) -> Positions | None:
        key = id(c)
        if key not in self._positions:
            from contractctl.core.source.documents import parse_yaml

            positions = None
            if c.schema.text is not None and c.schema.file is not None:
                try:
                    # JSON is YAML: the YAML reader gives every node its line and column.
                    positions = parse_yaml(c.schema.text, str(c.schema.file))[1]
                except LoadError:
                    positions = None  # Avro comments or tabs: keep the contract's line
            self._positions[key] = positions
        return self._positions[key]

    def examples(
        self, c: Contract, new: BaselineVersion, targets: list[BaselineVersion], level: Level
    ) -> None:
        names = {d.value for d in level.directions}
        new_schema = self_contained(new)
        for old in targets:
            shown = old.version or old.label
            if "BACKWARD" in names:
                for ex in old.examples:
                    errors = payload_errors(new_schema, new.schema_type, ex.payload)
                    if errors:
                        self._example(c, ex.name, shown, c.version, errors, "/schema", "BACKWARD")
            if "FORWARD" in names:
                old_schema = self_contained(old)
                for ex in c.examples:
                    errors = payload_errors(old_schema, old.schema_type, ex.payload)
                    if errors:
                        self._example(c, ex.name, c.version, shown, errors, ex.pointer, "FORWARD")

    def _example(
        self,
        c: Contract,
        name: str,
        of: str,
        against: str,
        errors: list[str],
        pointer: str,
        direction: str,
    ) -> None:
        message = (
            f"example {name!r} of {of} does not validate against the schema of {against} "
            f"({direction}): {'; '.join(errors)}"
        )
        extra: dict[str, Any] = {"example": name, "direction": direction}
        entry = self.accepted.match(c, "CHECK_EXAMPLE_INCOMPATIBLE", name)
        if entry is not None:
            extra.update(accepted=True, reason=entry.reason)
        self.findings.append(finding_at(c, "CHECK_EXAMPLE_INCOMPATIBLE", message, pointer, **extra))

    def discipline(self, c: Contract, new: BaselineVersion) -> None:
        """A released version must not change; a new version must not sort below a release."""
        from contractctl.adapters.baselines import canonical_text

        if self.baseline is self.own or not isinstance(self.baseline, KnowsReleases):
            return  # the tree's own history has no released copies
        released = self.baseline.released(c)
        if released is not None:
            if canonical_text(self_contained(released)) != canonical_text(self_contained(new)):
                breaks = self.edit_breaks(c, released, new)
                listed = "; ".join(f"{ch.rule_id} at {ch.path}" for ch in breaks)
                self.findings.append(
                    finding_at(
                        c,
                        "CHECK_VERSION_NOT_INCREASED",
                        f"the schema of {c.id} differs from the released copy in "
                        f"{self.baseline.name}; give the change a new version"
                        + (
                            f" (the edit holds {len(breaks)} breaking "
                            f"change{'s' * (len(breaks) != 1)}: {listed})"
                            if breaks
                            else ""
                        ),
                        "/version",
                        released=released.label,
                        breaking=[
                            {"rule_id": ch.rule_id, "path": ch.path, "breaks": ch.directions}
                            for ch in breaks
                        ],
                    )
                )
            return
        later = [
            v.version
            for v in self.baseline.versions(c.name)
            if (s := _semver(v.version)) is not None
            and s > c.semver
            and (s.major == c.semver.major or not self.config.major_starts_new_line)
        ]
        if later:
            self.findings.append(
                finding_at(
                    c,
                    "CHECK_VERSION_NOT_INCREASED",
                    f"{c.id} is new but {self.baseline.name} already has {later[-1]}; "
                    "new versions must sort after the released ones",
                    "/version",
                )
            )

    def edit_breaks(
        self, c: Contract, released: BaselineVersion, new: BaselineVersion
    ) -> list[Change]:
        """The breaking changes an in-place edit of a released version holds, each a finding.

        Consumers already read the released copy, so what the edit breaks is judged against
        it at the contract's level, listed and counted like any other break.
        """
        if released.schema_type != new.schema_type:
            return []  # CHECK_SCHEMA_FORMAT_CHANGED says it
        level = self.level(c)
        shown = f"the released {c.version}"
        try:
            result = check_compatibility(
                self_contained(released),
                self_contained(new),
                schema_type=new.schema_type,
                level=level,
                policy=self.request.policy or self.config.policy,
                labels=[shown, "the edited copy"],
            )
        except ContractctlError:
            return []  # the comparison with the earlier version reports an unreadable schema
        breaks = result.breaking_changes
        for ch in breaks:
            self.stats["breaking"] += 1
            directions = "/".join(d.value for d in ch.directions)
            self.findings.append(
                self._change(
                    c,
                    ch.rule_id,
                    ch.path,
                    Severity.ERROR,
                    replace(
                        ch, message=f"{ch.message} ({directions}; the release was edited in place)"
                    ),
                    {
                        "against": shown,
                        "directions": [d.value for d in ch.directions],
                        "level": level.value,
                        "old": ch.old,
                        "new": ch.new,
                        "edited_release": True,
                    },
                )
            )
        return breaks

    def removed(self) -> None:
        known = self.baseline.event_names()
        if known is None or self.config.removed_event == "off":
            return
        present = {c.name for c in self.tree}
        referenced = {
            ref
            for c in self.tree
            for ref in (
                *(c.error_policy.compensation if c.error_policy else ()),
                *((c.deprecated.replaced_by,) if c.deprecated and c.deprecated.replaced_by else ()),
            )
        }
        for name in sorted(known - present):
            releases = (
                self.baseline.versions(name) if isinstance(self.baseline, KnowsReleases) else []
            )
            last = releases[-1].contract if releases else None
            consumers = [x.service for x in last.consumers] if last is not None else []
            still = bool(consumers) or name in referenced
            severity = (
                Severity.ERROR
                if still or self.config.removed_event == "error"
                else Severity.WARNING
            )
            why = []
            if consumers:
                why.append(f"consumers still declared: {', '.join(consumers)}")
            if name in referenced:
                why.append("other contracts still refer to it")
            self.findings.append(
                Finding(
                    "CHECK_EVENT_REMOVED",
                    severity,
                    f"event {name} is in {self.baseline.name} but has no contract any more"
                    + (f" ({'; '.join(why)})" if why else ""),
                    file=display_path(last.path) if last is not None else None,
                    event=name,
                    hint=get_rule("CHECK_EVENT_REMOVED").hint,
                    extra={"consumers": consumers},
                )
            )


def _server_findings(
    request: CheckRequest, baseline: Baseline, contracts: Sequence[Contract]
) -> list[Finding]:
    from contractctl.adapters.registry.baseline import RegistryBaseline
    from contractctl.app.registry import server_verify

    if not isinstance(baseline, RegistryBaseline):
        raise UsageError("--server-verify needs --against registry")
    return server_verify(baseline, contracts, default_level=request.config.compatibility)


def check(request: CheckRequest) -> CheckOutcome:
    """Run the gate over the contracts below ``request.paths`` against the requested baseline.

    Against ``git:REF`` on the whole tree, only what changed since REF is judged (see
    ``app.incremental``) unless ``request.all``; the full run is the fallback whenever the
    change cannot be bounded exactly.
    """
    from contractctl.app.caching import given_to, parse_cache, reused

    with parse_cache(request.config, request.cache) as cache:
        if cache is None or not _reusable(request):
            return _check(request)
        if request.today is None:  # the date is an input (sunsets, expiring acceptances)
            request = replace(request, today=date.today())
        asked = [[str(p) for p in request.paths], request.level, request.policy, request.validate]
        given = given_to(request.config, request.today, request.paths)
        run = functools.partial(_check, request)
        return reused(cache, "check", asked, given, run, _recalled)


def _reusable(request: CheckRequest) -> bool:
    """A report may be reused against the tree's own history only: other baselines read a
    registry, a git ref or folders whose every read the trail does not follow."""
    return (
        request.against is None
        and request.config.baseline is None
        and request.baseline is None
        and request.registry is None
        and not request.server_verify
        and not request.config.allow_remote_refs
    )


def _recalled(report: Report, input_errors: int) -> CheckOutcome:
    from contractctl.adapters.baselines import TreeBaseline

    return CheckOutcome(
        report,
        LoadResult(files=report.files),
        TreeBaseline([]),
        recalled=True,
        recalled_input_errors=input_errors,
    )


def _check(request: CheckRequest) -> CheckOutcome:
    from contractctl.adapters.baselines import make_baseline

    ref = _git_ref(request)
    if ref is not None:
        from contractctl.app.incremental import check_changed

        outcome = check_changed(request, ref, judge)
        if outcome is not None:
            return outcome
    loaded = load_contracts(list(request.paths) or None, request.config)
    baseline = request.baseline
    if baseline is None and request.registry is not None:
        from contractctl.adapters.registry.baseline import make_registry_baseline

        baseline = make_registry_baseline(request.registry, root=request.config.root)
    if baseline is None:
        baseline = make_baseline(request.against, request.config, loaded.contracts)
    return judge(request, loaded, baseline)


def _git_ref(request: CheckRequest) -> str | None:
    """The ref of an incremental run: a git baseline, the whole tree, no --all."""
    if request.all or request.paths or request.baseline is not None or request.registry:
        return None
    spec = request.against if request.against is not None else request.config.baseline
    return spec.removeprefix("git:") if spec and spec.startswith("git:") else None


def judge(
    request: CheckRequest,
    loaded: LoadResult,
    baseline: Baseline,
    *,
    context: frozenset[int] = frozenset(),
) -> CheckOutcome:
    """Validate and judge ``loaded`` against ``baseline``; contracts whose ids are in
    ``context`` are loaded only as facts for the others (names, references) and not judged."""
    prefetch = getattr(baseline, "prefetch", None)
    if callable(prefetch):  # remote baselines load every subject at once, concurrently
        prefetch(loaded.contracts)
    findings = list(loaded.findings)
    skip: set[int] = set(context)
    if request.validate:
        from contractctl.app.validate import contract_findings

        found = contract_findings(loaded.contracts, partial=loaded.partial, config=request.config)
        findings.extend(found)
        broken = {f.file for f in found if f.rule_id in _SCHEMA_BROKEN}
        skip |= {id(c) for c in loaded.contracts if display_path(c.path) in broken}
    gate = _Gate(request, loaded.contracts, baseline)
    gate.run(skip)
    findings.extend(getattr(baseline, "findings", ()))
    findings.extend(gate.findings)
    from contractctl.core.review.consumers import check_deprecation

    findings.extend(check_deprecation(loaded.contracts, request.today))
    if request.server_verify:
        findings.extend(_server_findings(request, baseline, loaded.contracts))
    from contractctl.core.lint.contracts import apply_settings

    report = Report(command="check", files=loaded.files)
    report.extend(apply_settings(findings, request.config.rules, loaded.contracts))
    stats = gate.stats
    events = {c.name for c in loaded.contracts}
    report.summary.update(
        {
            "baseline": baseline.name,
            "contracts": len(loaded.contracts),
            "events": len(events),
            **stats,
            "headline": (
                f"{plural(len(loaded.contracts), 'contract')} of "
                f"{plural(len(events), 'event')} against "
                f"{baseline.name}: {stats['compared']} compared, "
                f"{stats['new']} without an earlier version, "
                f"{plural(stats['breaking'], 'breaking change')}"
            ),
        }
    )
    return CheckOutcome(report, loaded, baseline)
