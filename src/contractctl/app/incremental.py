"""Incremental ``check --against git:REF`` and ``validate --changed-since REF``.

A change is what ``git diff REF`` and the untracked files say. From it: the changed contract
files, plus those reaching a changed schema, example or referenced file (found by the
file's name in the text of the others, transitively: a superset, never fewer); the events
they declare at REF and in the work tree are the *judged* events. Loaded from the work tree:
every contract file naming a judged event (its versions, the contracts referring to it),
found with ``git grep`` for the literal name, plus every file whose top-level ``name:`` is
not a plain literal (aliases, escapes, flow style), which are loaded whatever they say. At
REF only the judged events' files are read (``adapters.git_partial``).

The report holds exactly the full run's findings about the judged events and the changed
files. Where that cannot be bounded, the full run answers instead: a changed
``contractctl.yaml``, a reference to an event found nowhere in the loaded set (its "did you
mean" hint needs every name), a baseline contract that does not load. Bounded by the
change: the work is the judged events' contracts and the files git reads for them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml

from contractctl.core.contract.config import CONFIG_NAMES, Config
from contractctl.core.contract.loader import CONTRACT_SUFFIXES, LoadResult, display_path
from contractctl.core.contract.loader import load_contracts as _load
from contractctl.core.vocab.findings import Finding, Report

if TYPE_CHECKING:
    from contractctl.app.check import CheckOutcome, CheckRequest
    from contractctl.app.validate import ValidateRequest
    from contractctl.core.contract.baseline import Baseline, BaselineVersion
    from contractctl.core.contract.model import Contract

_SKIP_PARTS = frozenset({".git", ".contractctl", "node_modules", ".venv", "__pycache__"})
_REFERENCE_SUFFIXES = (".yaml", ".yml", ".json", ".avsc")
_MAX_ROUNDS = 64
# Findings that depend on contracts outside any bound: an unknown event's "did you mean" hint
# is drawn from every event name; an undeclared service is reported once, at its first use
# in the whole tree. When one of them is about a judged event, the full run answers.
_NEEDS_EVERY_CONTRACT = frozenset({"CONTRACT_UNKNOWN_EVENT", "CONTRACT_SERVICE_UNDECLARED"})


@dataclass(slots=True)
class Scope:
    """What an incremental run loads and reports."""

    ref: str
    top: Path
    prefix: str  # the contracts directory, relative to the repository's top
    changed: list[str]  # changed contract files, relative to the top (either side)
    names: set[str]  # the judged events
    loaded: LoadResult  # work-tree contracts: the judged events' and their context
    reported_files: set[str]  # display paths whose findings are reported whatever their event
    ref_paths: list[str]  # contract files to read at REF, relative to the top

    def in_scope(self, finding: Finding) -> bool:
        return finding.event in self.names or finding.file in self.reported_files

    def context(self) -> frozenset[int]:
        """Loaded contracts not judged: they only supply names and references."""
        return frozenset(id(c) for c in self.loaded.contracts if c.name not in self.names)

    def summary(self, total: str, against: str | None = None) -> dict[str, object]:
        judged = f"{len(self.names)} event{'s' * (len(self.names) != 1)} judged"
        return {
            "ref": self.ref,
            "changed_files": self.changed,
            "judged_events": sorted(self.names),
            "headline": (
                f"{len(self.changed)} contract file{'s' * (len(self.changed) != 1)} changed "
                f"since {self.ref}: {judged}{f' against {against}' if against else ''} "
                f"({total}; --all judges every contract)"
            ),
        }


def _is_contract(path: str, prefix: str) -> bool:
    parts = path.split("/")
    inside = prefix in ("", ".") or path.startswith(prefix.rstrip("/") + "/")
    return (
        inside
        and path.endswith(CONTRACT_SUFFIXES)
        and parts[-1] not in CONFIG_NAMES
        and not _SKIP_PARTS.intersection(parts)
    )


def _name_of(text: bytes) -> str | None:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def _dependents(top: Path, changed: list[str], prefix: str) -> set[str]:
    """Contract files reaching a changed non-contract file, by its name in their text."""
    from contractctl.adapters.git import grep_files

    found: set[str] = set()
    seen: set[str] = set()
    frontier = {PurePosixPath(p).name for p in changed if not _is_contract(p, prefix)}
    for _ in range(_MAX_ROUNDS):
        frontier -= seen
        if not frontier:
            break
        seen |= frontier
        specs = [f":(glob)**/*{suffix}" for suffix in _REFERENCE_SUFFIXES]
        hits = grep_files(top, sorted(frontier), specs)
        found |= {h for h in hits if _is_contract(h, prefix)}
        frontier = {PurePosixPath(h).name for h in hits if not _is_contract(h, prefix)}
    return found


_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:/-]+")


def _plain_name(line: str) -> str | None:
    """The value of a top-level ``name:`` line when it is a plain or simply quoted literal."""
    value = line[len("name:") :].split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value if _IDENTIFIER.fullmatch(value) else None


def _ere(text: str) -> str:
    return re.sub(r"([.\\[\](){}*+?|^$])", r"\\\1", text)


class _Index:
    """The work tree's contract files with their top-level names, from one ``git grep``."""

    def __init__(self, top: Path, prefix: str, names: set[str]) -> None:
        from contractctl.adapters.git import scan

        patterns = ["^name:.*", "^producer:.*", *(_ere(n) for n in sorted(names))]
        (tree,) = scan(top, patterns, prefix, CONTRACT_SUFFIXES, [None])
        self.files = [f for f in tree.files if _is_contract(f, prefix)]
        self.name: dict[str, str | None] = {}
        self.mentions: dict[str, set[str]] = {}
        self.producer: dict[str, str | None] = {}
        for f in self.files:
            found = tree.matches.get(f, [])
            lines = [m for m in found if m.startswith("name:")]
            # None: no top-level name line, or one grep cannot read: load it whatever it says
            self.name[f] = _plain_name(lines[0]) if len(lines) == 1 else None
            self.mentions[f] = {m for m in found if m in names}
            made = [m for m in found if m.startswith("producer:")]
            # "": produces nothing; None: a producer line grep cannot read
            self.producer[f] = (
                ""
                if not made
                else _plain_name("name:" + made[0][len("producer:") :])
                if len(made) == 1
                else None
            )

    def selected(self, names: set[str]) -> set[str]:
        """Files declaring or mentioning one of ``names``, and those whose name is unknown."""
        return {
            f
            for f in self.files
            if self.name[f] is None or self.name[f] in names or self.mentions[f]
        }

    def declaring(self, names: set[str]) -> set[str]:
        return {f for f in self.files if self.name[f] in names}

    def producing(self, service: str) -> list[str]:
        """Files that may produce ``service``'s events, in the order the owner is taken."""
        return sorted(
            (f for f in self.files if self.producer[f] in (service, None)),
            key=lambda f: (self.name[f] or "", f),
        )


def plan(ref: str, config: Config) -> Scope | None:
    """The scope of an incremental run, or None when only the full run is exact."""
    from contractctl.adapters.git import changed_paths, git, read_at, relative_to_top, repo_top

    top = repo_top(config.root.resolve(), ref)
    prefix = str(relative_to_top(config.contracts_dir, top))
    changed_all = changed_paths(ref, top)
    if any("\n" in p for p in changed_all):
        return None  # git's batch reader takes one path a line
    root = config.root.resolve()
    if any(PurePosixPath(p).name in CONFIG_NAMES and (top / p).parent == root for p in changed_all):
        return None  # settings, severities and accepted breaks may change every finding
    changed = sorted(
        {p for p in changed_all if _is_contract(p, prefix)} | _dependents(top, changed_all, prefix)
    )
    ref_texts: list[bytes] = []
    if not changed:
        names: set[str] = set()
    else:
        ref_texts = [*read_at(ref, top, changed).values()]
        texts = [*ref_texts]
        texts += [(top / p).read_bytes() for p in changed if (top / p).is_file()]
        names = {n for n in map(_name_of, texts) if n is not None}
    if any(not _IDENTIFIER.fullmatch(n) for n in names):
        return None  # a name grep cannot match literally (validate reports it)
    contracts_dir = config.contracts_dir

    def local(path: str) -> Path:
        return (
            contracts_dir / PurePosixPath(path).relative_to(prefix)
            if prefix != "."
            else (contracts_dir / path)
        )

    index = _Index(top, prefix, names)
    wanted = {p for p in changed if (top / p).is_file()} | index.selected(names)
    loaded = _load(sorted(local(p) for p in wanted), config) if wanted else LoadResult()

    def more(files: set[str]) -> None:
        nonlocal loaded
        wanted.update(files)
        extra = _load(sorted(local(p) for p in files), config)
        loaded = LoadResult(
            contracts=sorted([*loaded.contracts, *extra.contracts], key=lambda c: c.path),
            findings=[*loaded.findings, *extra.findings],
            files=sorted([*loaded.files, *extra.files]),
            partial=[*loaded.partial, *extra.partial],
        )

    # Every version of the events the judged contracts refer to (compensation, replaced_by):
    # whether they exist, whether all their versions are deprecated.
    for _ in range(_MAX_ROUNDS):
        refs = _referenced(loaded, names)
        extra_files = index.declaring(refs) - wanted
        if not extra_files:
            if refs - {c.name for c in loaded.contracts}:
                return None  # an unknown event: the full run's hint needs every name
            break
        more(extra_files)
    else:
        return None
    # A consumer's owner is the owner of the first event (by name) its service produces.
    services = {k.service for c in loaded.contracts if c.name in names for k in c.consumers}
    services |= {s for text in ref_texts for s in _consumers_of(text)}
    for service in sorted(services):
        for f in index.producing(service):
            if f not in wanted:
                more({f})
            found = [c for c in loaded.contracts if c.path == local(f)]
            if found and found[0].producer == service and found[0].owner:
                break
    base = "" if prefix in ("", ".") else prefix.rstrip("/") + "/"
    listing = git(["ls-tree", "-r", "-z", "--name-only", ref, "--", base or "."], top)
    at_ref = set(listing.decode("utf-8", "surrogateescape").split("\0"))
    # An unchanged file reads the same at REF: the work tree's index says what it declares.
    ref_paths = sorted(p for p in (index.selected(names) | set(changed)) if p in at_ref)
    reported = {display_path(local(p)) for p in changed} | {f"git:{ref}:{p}" for p in changed}
    return Scope(ref, top, prefix, changed, names, loaded, reported, ref_paths)


def _referenced(loaded: LoadResult, names: set[str]) -> set[str]:
    """Events the judged contracts refer to (compensation, replaced_by)."""
    refs: set[str] = set()
    for c in loaded.contracts:
        if c.name not in names:
            continue
        refs.update(c.error_policy.compensation if c.error_policy else ())
        if c.deprecated and c.deprecated.replaced_by:
            refs.add(c.deprecated.replaced_by)
    return refs


def _consumers_of(text: bytes) -> set[str]:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, RecursionError):
        return set()
    consumers = data.get("consumers") if isinstance(data, dict) else None
    if not isinstance(consumers, list):
        return set()
    return {
        k["service"] for k in consumers if isinstance(k, dict) and isinstance(k.get("service"), str)
    }


class _Judged:
    """A baseline narrowed to the judged events: removed events are looked for among them."""

    def __init__(self, inner: Baseline, names: set[str]) -> None:
        self.inner = inner
        self.names = names
        self.name = inner.name
        self.findings = list(getattr(inner, "findings", ()))

    def history(self, contract: Contract) -> list[BaselineVersion]:
        return self.inner.history(contract)

    def level(self, contract: Contract) -> str | None:
        return self.inner.level(contract)

    def event_names(self) -> set[str] | None:
        known = self.inner.event_names()
        return None if known is None else known & self.names

    def released(self, contract: Contract) -> BaselineVersion | None:
        return self.inner.released(contract)  # type: ignore[attr-defined, no-any-return]

    def versions(self, event: str) -> list[BaselineVersion]:
        return self.inner.versions(event)  # type: ignore[attr-defined, no-any-return]


def _baseline(scope: Scope, config: Config) -> Baseline | None:
    from contractctl.adapters.git_partial import partial_git_baseline

    baseline = partial_git_baseline(scope.ref, config, scope.ref_paths, top=scope.top)
    if baseline.findings:
        return None  # a contract at REF that does not load: only the full baseline says why
    return _Judged(baseline, scope.names)


def _narrow(report: Report, scope: Scope, command: str) -> Report | None:
    kept = [f for f in report.findings if scope.in_scope(f)]
    if any(f.rule_id in _NEEDS_EVERY_CONTRACT for f in kept):
        return None
    out = Report(command=command, files=report.files)
    out.extend(kept)
    out.summary.update(report.summary)
    return out


def check_changed(
    request: CheckRequest, ref: str, judge: Callable[..., CheckOutcome]
) -> CheckOutcome | None:
    """The gate (``app.check.judge``) on what changed since ``ref``; None when only the full
    run is exact."""
    scope = plan(ref, request.config)
    if scope is None:
        return None
    baseline = _baseline(scope, request.config)
    if baseline is None:
        return None
    outcome = judge(request, scope.loaded, baseline, context=scope.context())
    report = _narrow(outcome.report, scope, "check")
    if report is None:
        return None
    loaded = f"{len(scope.loaded.files)} contract files loaded"
    report.summary.update(scope.summary(loaded, against=outcome.baseline.name))
    return dataclasses.replace(outcome, report=report, loaded=_kept(scope))


def _kept(scope: Scope) -> LoadResult:
    """The loaded set with only the reported findings (so input errors exit 3 as in full)."""
    return dataclasses.replace(
        scope.loaded, findings=[f for f in scope.loaded.findings if scope.in_scope(f)]
    )


def validate_changed(
    request: ValidateRequest, ref: str, report_of: Callable[[ValidateRequest, LoadResult], Report]
) -> tuple[Report, LoadResult] | None:
    """``validate`` (``app.validate.report_of``) on what changed since ``ref``; None when
    only the full run is exact."""
    scope = plan(ref, request.config)
    if scope is None:
        return None
    report = _narrow(report_of(request, scope.loaded), scope, "validate")
    if report is None:
        return None
    report.summary.update(scope.summary(f"{len(scope.loaded.files)} contract files loaded"))
    return report, _kept(scope)
