"""Baselines for the compatibility gate: the checked tree itself, a directory, a git ref.

``make_baseline(spec, config, tree)`` turns ``--against`` (or ``baseline:`` in
contractctl.yaml) into a ``Baseline``: nothing → the tree's own history, ``git:REF``,
``registry`` (the registry adapter's baseline), otherwise a directory. Every version a
baseline hands out carries a self-contained schema (JSON ``$ref`` files bundled), so the
temporary checkout a git baseline reads from can be deleted as soon as it is loaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractctl.core.contract.baseline import Baseline, BaselineVersion
from contractctl.core.contract.loader import display_path, load_contracts
from contractctl.core.errors import BaselineError, ContractctlError
from contractctl.core.schema.jsonschema_refs import bundle
from contractctl.core.source.documents import read_text
from contractctl.core.vocab.findings import Finding, Severity
from contractctl.core.vocab.pathnames import component

if TYPE_CHECKING:
    from contractctl.core.contract.config import Config
    from contractctl.core.contract.model import Contract, SemVer

_SCHEMA_SUFFIXES = (".json", ".avsc")
_AVRO_KINDS = frozenset({"record", "enum", "fixed", "error"})


def version_of(contract: Contract) -> BaselineVersion:
    """``contract`` as a baseline version: a self-contained schema plus its examples."""
    spec = contract.schema
    schema = spec.document
    if spec.format == "jsonschema":
        schema = bundle(spec.document, spec.file, store=spec.refs)
    return BaselineVersion(
        schema=schema,
        schema_type=spec.schema_type,
        label=f"{contract.id} ({display_path(contract.path)})",
        version=contract.version,
        examples=contract.examples,
        contract=contract,
        named_types=spec.named_types or None,
    )


def _semver(contract: Contract) -> SemVer | None:
    try:
        return contract.semver
    except ValueError:
        return None


class ContractSetBaseline:
    """Versions taken from a set of loaded contracts, indexed by event name and semver."""

    name = "tree"

    def __init__(
        self,
        contracts: Iterable[Contract],
        *,
        name: str = "tree",
        label: str | None = None,
        findings: Sequence[Finding] = (),
    ) -> None:
        self.name = name
        self.label = label
        self.findings = list(findings)  # contracts of the baseline that could not be loaded
        self._by_event: dict[str, list[tuple[SemVer, BaselineVersion]]] = {}
        for contract in contracts:
            semver = _semver(contract)
            if semver is None:
                continue  # validate reports the bad version; it cannot be ordered
            try:
                version = version_of(contract)
            except ContractctlError as exc:
                self.findings.append(_unreadable(contract, exc.message))
                continue
            if label is not None:
                version = _relabel(version, f"{label}:{display_path(contract.path)}")
            self._by_event.setdefault(contract.name, []).append((semver, version))
        for versions in self._by_event.values():
            versions.sort(key=lambda pair: pair[0])

    def history(self, contract: Contract) -> list[BaselineVersion]:
        semver = _semver(contract)
        versions = self._by_event.get(contract.name, [])
        return [v for s, v in versions if semver is None or s < semver]

    def released(self, contract: Contract) -> BaselineVersion | None:
        """The baseline's copy of ``contract``'s own version, when it has one."""
        semver = _semver(contract)
        return next((v for s, v in self._by_event.get(contract.name, []) if s == semver), None)

    def versions(self, event: str) -> list[BaselineVersion]:
        """Every version of ``event`` the baseline holds, oldest first."""
        return [v for _, v in self._by_event.get(event, [])]

    def level(self, contract: Contract) -> str | None:
        del contract
        return None

    def event_names(self) -> set[str] | None:
        return set(self._by_event)


def _relabel(version: BaselineVersion, label: str) -> BaselineVersion:
    return BaselineVersion(
        schema=version.schema,
        schema_type=version.schema_type,
        label=label,
        version=version.version,
        examples=version.examples,
        contract=version.contract,
        named_types=version.named_types,
    )


def _unreadable(contract: Contract, message: str) -> Finding:
    return Finding(
        "CHECK_BASELINE_UNREADABLE",
        Severity.WARNING,
        f"baseline version {contract.id} cannot be compared: {message}",
        file=display_path(contract.path),
        event=contract.name,
    )


class TreeBaseline(ContractSetBaseline):
    """The checked tree's own history: each contract against the earlier versions beside it."""

    def __init__(self, contracts: Iterable[Contract]) -> None:
        super().__init__(contracts, name="tree")

    def released(self, contract: Contract) -> BaselineVersion | None:
        del contract
        return None  # in the tree, a second file with the same version is a duplicate

    def event_names(self) -> set[str] | None:
        return None  # the tree cannot have removed its own events


class SchemaDirBaseline:
    """Raw schemas pulled from a registry: ``<subject>/<version>.json`` or ``.avsc``.

    Versions are registry version numbers, not semvers, so only their order is known. As
    with a registry, a contract whose schema is one of the pulled versions (the same
    canonical-form fingerprint, ``core.registry.identity``) is judged only against the
    versions before it, and a subject's level is the one ``index.json`` recorded.
    """

    def __init__(self, root: Path, config: Config) -> None:
        from contractctl.core.registry.config import parse_registry_settings

        self.name = f"dir:{root}"
        self.root = root
        self.limits = config.limits
        self._index_data: dict[str, Any] | None = None
        settings = parse_registry_settings(config.registry, base_dir=config.root)
        self.strategy = settings.subject_strategy
        self.major_line = settings.major_subject_suffix

    def _versions(self, contract: Contract) -> list[BaselineVersion]:
        """Every pulled version of the contract's subject, oldest first."""
        from contractctl.core.contract.loader import load_schema_text
        from contractctl.core.registry.subjects import subject_for

        subject = subject_for(contract, self.strategy, major_line=self.major_line)
        folder = self.root / self._folder_name(subject)
        if not folder.is_dir():
            return []
        files = [p for p in folder.iterdir() if p.suffix in _SCHEMA_SUFFIXES and p.stem.isdigit()]
        out: list[BaselineVersion] = []
        for file in sorted(files, key=lambda p: int(p.stem)):
            fmt = "avro" if file.suffix == ".avsc" else "jsonschema"
            try:
                text = read_text(file, self.limits, display=str(file))
                document = load_schema_text(text, fmt, str(file))
            except (OSError, ContractctlError) as exc:
                raise BaselineError(f"cannot read baseline schema {file}: {exc}") from None
            out.append(
                BaselineVersion(
                    schema=document,
                    schema_type="AVRO" if fmt == "avro" or _looks_avro(document) else "JSON",
                    label=display_path(file),
                )
            )
        return out

    def history(self, contract: Contract) -> list[BaselineVersion]:
        return self._before(contract, self._versions(contract))

    def is_registered(self, contract: Contract) -> bool:
        """True when the contract's schema is one of the pulled versions."""
        versions = self._versions(contract)
        return len(self._before(contract, versions)) < len(versions)

    @staticmethod
    def _before(contract: Contract, versions: list[BaselineVersion]) -> list[BaselineVersion]:
        from contractctl.core.registry.identity import fingerprint, position
        from contractctl.core.registry.schema import registry_schema
        from contractctl.core.schema.avro_refs import inline_named

        try:
            form = registry_schema(contract)
        except ContractctlError:  # an unreadable candidate is the gate's to report
            return versions
        mine = fingerprint(inline_named(form.document, form.named), form.schema_type)
        at = position([fingerprint(v.schema, v.schema_type) for v in versions], mine)
        return versions if at is None else versions[:at]

    def level(self, contract: Contract) -> str | None:
        from contractctl.core.registry.subjects import subject_for

        info = self._subject_info(subject_for(contract, self.strategy, major_line=self.major_line))
        level = info.get("level")
        if isinstance(level, str):
            return level
        fallback = self._index().get("global_level")
        return fallback if isinstance(fallback, str) else None

    def _folder_name(self, subject: str) -> str:
        """The folder `registry pull` wrote the subject to, as index.json records it (a case
        twin's ends in a hash); a recorded name that is not one plain component is ignored."""
        recorded = self._subject_info(subject).get("folder")
        if isinstance(recorded, str) and recorded not in ("", ".", "..") and "/" not in recorded:
            return recorded
        return component(subject)

    def _subject_info(self, subject: str) -> dict[str, Any]:
        subjects = self._index().get("subjects")
        info = subjects.get(subject) if isinstance(subjects, dict) else None
        return info if isinstance(info, dict) else {}

    def _index(self) -> dict[str, Any]:
        if self._index_data is None:
            try:
                data = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            self._index_data = data if isinstance(data, dict) else {}
        return self._index_data

    def event_names(self) -> set[str] | None:
        return None  # subjects are not event names


def _looks_avro(document: Any) -> bool:
    if isinstance(document, list):
        return True
    return isinstance(document, dict) and document.get("type") in _AVRO_KINDS


def _is_schema_dir(root: Path) -> bool:
    """True for a registry pull: subject folders of numbered schema files, no contracts."""
    if any(root.rglob("*.yaml")) or any(root.rglob("*.yml")):
        return False
    return any(p.stem.isdigit() for s in _SCHEMA_SUFFIXES for p in root.glob(f"*/*{s}"))


def directory_baseline(root: Path, config: Config) -> Baseline:
    """A directory of contracts (e.g. a release's checkout), or of pulled registry schemas."""
    if not root.is_dir():
        raise BaselineError(
            f"baseline {str(root)!r} is not a directory; use git:REF, registry or a directory"
        )
    if _is_schema_dir(root):
        if not (root / "index.json").is_file():
            # `registry pull` writes index.json last: without it the pull was cut short, and
            # subjects missing from it would pass as new events.
            raise BaselineError(
                f"baseline {str(root)!r} is an incomplete registry pull (no index.json); "
                "run `contractctl registry pull` again"
            )
        return SchemaDirBaseline(root, config)
    # A baseline is another copy of the project: its own folder is its root.
    loaded = load_contracts([root], config, roots=(root.resolve(),))
    return ContractSetBaseline(
        loaded.contracts,
        name=f"dir:{root}",
        label=str(root),
        findings=_as_warnings(loaded.findings),
    )


def _as_warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [
        Finding(
            "CHECK_BASELINE_UNREADABLE",
            Severity.WARNING,
            f"baseline contract left out: {f.message}",
            file=f.file,
            line=f.line,
            event=f.event,
        )
        for f in findings
        if f.severity is Severity.ERROR
    ]


# ---------------------------------------------------------------------------------------------
# git


def git_baseline(ref: str, config: Config) -> ContractSetBaseline:
    """The contracts directory as it is at ``ref``, read without touching the work tree."""
    from contractctl.adapters.git import relative_to_top, repo_top, snapshot

    top = repo_top(config.root.resolve(), ref)
    prefix = relative_to_top(config.contracts_dir, top)
    label = f"git:{ref}"
    with snapshot(ref, top, prefix) as scratch:
        base = scratch / prefix
        found = (
            load_contracts([base], config, roots=(scratch.resolve(),)) if base.is_dir() else None
        )
        contracts = found.contracts if found else []

        def shown(path: Path | str) -> str:
            text = Path(path).resolve().as_posix()
            inside = scratch.resolve().as_posix() + "/"
            return f"{label}:{text.removeprefix(inside)}"

        # Paths point into the scratch copy; name them after the ref instead.
        for contract in contracts:
            contract.path = Path(shown(contract.path))
        warnings = [
            replace(f, file=shown(scratch / f.file) if f.file else None)
            for f in _as_warnings(found.findings if found else [])
        ]
        # Built inside the snapshot: schemas are bundled while their $ref files exist.
        return ContractSetBaseline(contracts, name=label, findings=warnings)


# ---------------------------------------------------------------------------------------------
# the factory


def make_baseline(spec: str | None, config: Config, tree: Sequence[Contract]) -> Baseline:
    """``--against`` → a baseline. None: ``baseline:`` from the config, else the tree itself.

    ``registry`` delegates to the registry adapter (``--registry URL`` and
    ``--server-verify`` are its options; this factory only reads the config's settings).
    """
    chosen = spec if spec is not None else config.baseline
    if chosen is None or chosen in ("", "tree"):
        return TreeBaseline(tree)
    if chosen.startswith("git:"):
        return git_baseline(chosen.removeprefix("git:"), config)
    if chosen == "registry":
        from contractctl.adapters.registry.baseline import make_registry_baseline
        from contractctl.core.registry.config import parse_registry_settings

        settings = parse_registry_settings(config.registry, env=os.environ, base_dir=config.root)
        registry = make_registry_baseline(settings, root=config.root)
        registry.prefetch(tree)
        return registry
    path = Path(chosen)
    if not path.is_absolute() and spec is None:
        path = config.root / path  # a configured baseline is relative to contractctl.yaml
    return directory_baseline(path, config)


def canonical_text(schema: Any) -> str:
    """A stable text of a parsed schema, to tell whether a released version was edited."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
