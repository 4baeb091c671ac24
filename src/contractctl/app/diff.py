"""``contractctl diff OLD NEW``: every change between two schemas, for review and changelogs.

A side is a schema file (``.json``/``.avsc``), a contract file, or ``git:REF:path`` (either
kind, read at that ref; the path is relative to the current directory). The level defaults
to FULL so a change shows the directions it breaks both ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.jsonschema.unjudged import RULE_ID as UNJUDGED
from contractctl.core.compat.model import CompatResult
from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import CONTRACT_SUFFIXES, load_contract, load_schema_text
from contractctl.core.contract.model import Contract
from contractctl.core.errors import LoadError, UsageError
from contractctl.core.rules import get_rule
from contractctl.core.source.documents import read_text
from contractctl.core.vocab.levels import Direction
from contractctl.core.vocab.words import article


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    schema: Any  # self-contained: JSON $ref files bundled, Avro named types inlined
    schema_type: str  # "JSON" | "AVRO"
    version: str | None = None  # the contract's version, when the side is a contract
    contract: Contract | None = None  # the whole contract, for its behavioural promises


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change as listed: the engine's ``Change`` told once, old → new."""

    rule_id: str
    path: str
    breaks: tuple[str, ...]  # directions it breaks; () for a compatible change
    seen: tuple[str, ...]  # directions whose reading reported it
    message: str
    old: object = None
    new: object = None
    hint: str | None = None
    forward_rule_id: str | None = None

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    @property
    def unjudged(self) -> bool:
        """A change the registry's algorithm does not look at (no verdict covers it)."""
        return self.rule_id == UNJUDGED


@dataclass(slots=True)
class DiffRequest:
    old: str
    new: str
    level: str = "FULL"
    policy: str = "STRICT"
    config: Config = field(default_factory=Config)
    #: Schema files defining Avro named types the two sides use (``--reference``).
    references: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class DiffResult:
    old: Side
    new: Side
    result: CompatResult
    rows: list[ChangeRow]
    behaviour_breaks: int = 0  # behavioural changes at error severity (two contracts only)

    @property
    def compatible(self) -> bool:
        return self.result.is_compatible and not self.behaviour_breaks


def _side_from_file(file: Path, label: str, config: Config, scratch: Path | None = None) -> Side:
    """One side read from ``file``; ``scratch``: the git snapshot it lies in, its only root."""
    from contractctl.adapters.baselines import version_of
    from contractctl.app.check import self_contained
    from contractctl.core.contract.roots import project_roots
    from contractctl.core.schema.jsonschema_refs import bundle, preload

    if not file.exists() and not file.is_symlink():
        raise UsageError(f"{label}: no such file")
    if file.suffix in CONTRACT_SUFFIXES:
        roots = project_roots(config, near=file) if scratch is None else (scratch,)
        contract, findings = load_contract(file, limits=config.limits, display=label, roots=roots)
        if contract is None:
            first = findings[0]
            raise LoadError(f"not a valid contract: {first.message}", file=label, line=first.line)
        version = version_of(contract)
        return Side(label, self_contained(version), version.schema_type, contract.version, contract)
    fmt = "avro" if file.suffix == ".avsc" else "jsonschema"
    document = load_schema_text(read_text(file, config.limits, display=label), fmt, label)
    if fmt == "jsonschema" and _looks_avro(document):
        fmt = "avro"
    if fmt == "jsonschema":
        roots = project_roots(config, near=file) if scratch is None else (scratch,)
        store = preload(document, file.resolve(), roots, limits=config.limits)
        return Side(label, bundle(document, file.resolve(), store=store), "JSON")
    return Side(label, document, "AVRO")


def _looks_avro(document: Any) -> bool:
    if isinstance(document, list):
        return True
    return isinstance(document, dict) and document.get("type") in ("record", "enum", "fixed")


def load_side(spec: str, config: Config) -> Side:
    """Read one side: ``git:REF:path`` or a file path."""
    if not spec.startswith("git:"):
        return _side_from_file(Path(spec), spec, config)
    from contractctl.adapters.git import relative_to_top, repo_top, snapshot

    ref, sep, path = spec.removeprefix("git:").partition(":")
    if not sep or not path:
        raise UsageError(f"{spec!r}: use git:REF:path, e.g. git:origin/main:contracts/x.yaml")
    cwd = Path.cwd()
    top = repo_top(cwd, ref)
    inside = relative_to_top(cwd / path, top)
    # Copy the file's first-level folder too, so relative schema and $ref paths resolve.
    scope = PurePosixPath(inside.parts[0]) if len(inside.parts) > 1 else inside
    with snapshot(ref, top, scope) as scratch:
        target = scratch / inside
        if not target.is_file():
            raise UsageError(f"{spec}: {inside} does not exist at {ref}")
        return _side_from_file(target, spec, config, scratch.resolve())


def _rows(result: CompatResult) -> list[ChangeRow]:
    from contractctl.core.compat.history import sort_changes

    return [
        ChangeRow(
            rule_id=ch.rule_id,
            path=ch.path,
            breaks=tuple(d.value for d in ch.directions),
            seen=tuple(d.value for d in Direction if d in ch.seen),
            message=ch.message,
            old=ch.old,
            new=ch.new,
            hint=ch.hint,
            forward_rule_id=ch.forward_rule_id,
        )
        for ch in sort_changes(result.changes)
    ]


def _named_types(files: list[Path]) -> dict[str, Any]:
    """Full name → definition of every named type the ``--reference`` files define."""
    from contractctl.core.schema.avro_refs import defined_types

    named: dict[str, Any] = {}
    for file in files:
        if not file.is_file():
            raise UsageError(f"--reference {file}: no such file")
        document = load_schema_text(file.read_text(encoding="utf-8"), "avro", str(file))
        found = defined_types(document)
        if not found:
            raise LoadError("defines no Avro named type (record, enum or fixed)", file=str(file))
        named.update(found)
    return named


def diff(request: DiffRequest) -> DiffResult:
    old = load_side(request.old, request.config)
    new = load_side(request.new, request.config)
    if old.schema_type != new.schema_type:
        raise UsageError(
            f"cannot diff {article(old.schema_type)} schema ({old.label}) with "
            f"{article(new.schema_type)} "
            f"schema ({new.label})"
        )
    named = _named_types(request.references) if request.references else None
    labels = [old.version or "the old schema", new.version or "the new schema"]
    result = check_compatibility(
        old.schema,
        new.schema,
        schema_type=new.schema_type,
        level=request.level,
        policy=request.policy,
        named=named,
        labels=labels,
    )
    rows = _rows(result)
    behaviour = _behaviour_rows(old, new)
    breaks = sum(1 for r in behaviour if r.breaking and get_rule(r.rule_id).severity.rank >= 2)
    return DiffResult(old, new, result, rows + behaviour, breaks)


def _behaviour_rows(old: Side, new: Side) -> list[ChangeRow]:
    """Two contracts also differ in what they promise beyond the schema (key, delivery, …)."""
    if old.contract is None or new.contract is None:
        return []
    from contractctl.core.review.behaviour import behaviour_changes
    from contractctl.core.vocab.findings import Severity

    rows = []
    for ch in behaviour_changes(old.contract, new.contract):
        rule = get_rule(ch.rule_id)
        # A behavioural break has no direction; it breaks the parties the rule names.
        hurts = rule.severity is not Severity.INFO
        rows.append(
            ChangeRow(
                rule_id=ch.rule_id,
                path=ch.pointer,
                breaks=tuple(sorted(rule.affects)) if hurts else (),
                seen=(),
                message=ch.message[:1].upper() + ch.message[1:] + ".",
                old=ch.old,
                new=ch.new,
                hint=rule.hint,
            )
        )
    return rows


def as_dict(d: DiffResult) -> dict[str, Any]:
    import json

    def plain(value: object) -> Any:
        return json.loads(json.dumps(value, default=str))

    return {
        "old": {"label": d.old.label, "version": d.old.version, "schema_type": d.old.schema_type},
        "new": {"label": d.new.label, "version": d.new.version, "schema_type": d.new.schema_type},
        "level": d.result.level.value,
        "compatible": d.compatible,
        "verdicts": {k.value: v for k, v in d.result.verdicts.items()},
        "changes": [
            {
                "rule_id": r.rule_id,
                "path": r.path,
                "breaking": r.breaking,
                "judged": not r.unjudged,
                "breaks": list(r.breaks),
                "forward_rule_id": r.forward_rule_id,
                "message": r.message,
                "old": plain(r.old),
                "new": plain(r.new),
                "hint": r.hint,
            }
            for r in d.rows
        ],
    }


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(d: DiffResult) -> str:
    """A changelog section: the verdict, then one table row per change."""
    title = f"{d.old.version} → {d.new.version}" if d.old.version and d.new.version else None
    lines = [
        f"## Schema changes{f' {title}' if title else ''}",
        "",
        f"`{_cell(d.old.label)}` → `{_cell(d.new.label)}` at **{d.result.level.value}**: "
        + ("compatible." if d.compatible else "**breaking**."),
        "",
    ]
    if not d.rows:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines += ["| | Rule | Location | Breaks | Explanation |", "|---|---|---|---|---|"]
    for r in d.rows:
        mark = "⚠️" if r.breaking else "❔" if r.unjudged else "✅"
        breaks = ", ".join(r.breaks) if r.breaks else "not judged" if r.unjudged else "—"
        lines.append(
            f"| {mark} | `{r.rule_id}` | `{_cell(r.path)}` | {breaks} | {_cell(r.message)} |"
        )
    return "\n".join(lines) + "\n"


def to_text(d: DiffResult) -> str:
    verdict = "compatible" if d.compatible else "BREAKING"
    out = [f"{d.old.label} → {d.new.label} ({d.result.level.value}): {verdict}"]
    for r in d.rows:
        breaks = f"breaks {'/'.join(r.breaks)}" if r.breaks else "compatible"
        if r.unjudged:
            breaks = "not judged by the registry"
        if r.forward_rule_id and r.forward_rule_id != r.rule_id:
            breaks += f"; the FORWARD reading reports {r.forward_rule_id}"
        out.append(f"  {r.path}  {r.rule_id}  [{breaks}]")
        out.append(f"      {r.message}")
        if r.hint:
            out.append(f"      hint: {r.hint}")
    if not d.rows:
        out.append("  no changes")
    return "\n".join(out) + "\n"


__all__ = [
    "ChangeRow",
    "DiffRequest",
    "DiffResult",
    "Side",
    "as_dict",
    "diff",
    "to_markdown",
    "to_text",
]
