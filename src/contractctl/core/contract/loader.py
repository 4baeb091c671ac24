"""Finding contract files and loading them into ``Contract`` objects.

A file that cannot be read or is not a contract at all becomes an *input error* finding
(the command exits 3); a contract with structural problems becomes findings (exit 1) and
is left out of the model so later checks can trust what they get. What of it can be
salvaged (``core.contract.salvage``) is kept apart, in ``LoadResult.partial``, so validation
still checks its schema, examples and references in the same run.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.contract.config import CONFIG_NAMES, Config, project_root
from contractctl.core.contract.format import CONTRACT_SCHEMA
from contractctl.core.contract.model import (
    AcceptedBreak,
    Consumer,
    Contract,
    Correlation,
    Delivery,
    Deprecation,
    ErrorPolicy,
    Example,
    Ignore,
    Retries,
    SchemaReference,
    SchemaSpec,
)
from contractctl.core.contract.roots import project_roots
from contractctl.core.contract.structure import StructureIssue, structure_issues
from contractctl.core.errors import LoadError, SchemaParseError, UsageError
from contractctl.core.schema.avro_refs import defined_types
from contractctl.core.schema.avro_schema import load_avro_text
from contractctl.core.schema.jsonschema_refs import EMPTY_STORE, RefStore, preload
from contractctl.core.source import trail
from contractctl.core.source.documents import (
    Limits,
    check_depth,
    digest,
    parse_json,
    parse_yaml,
    read_text,
)
from contractctl.core.source.memo import Memo, positions_from_data, positions_to_data
from contractctl.core.source.positions import Positions, join
from contractctl.core.source.scope import outside_roots
from contractctl.core.vocab.findings import Finding, Severity

CONTRACT_SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".contractctl", "node_modules", ".venv", "__pycache__"}
_STRUCTURE_RULES = {
    "unknown": "CONTRACT_UNKNOWN_FIELD",
    "missing": "CONTRACT_MISSING_FIELD",
    "type": "CONTRACT_FIELD_TYPE",
    "value": "CONTRACT_INVALID_VALUE",
}


@dataclass(slots=True)
class LoadResult:
    contracts: list[Contract] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Contracts with structure errors, minus the broken parts: for validation only.
    partial: list[Contract] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        """Append what ``other`` loaded (a later run of the same files) to this result."""
        self.contracts.extend(other.contracts)
        self.findings.extend(other.findings)
        self.files.extend(other.files)
        self.partial.extend(other.partial)

    @property
    def input_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.extra.get("input_error")]

    @property
    def unusable(self) -> list[Finding]:
        """Why files gave no whole contract (unreadable, or structure errors): commands that
        build from ``contracts`` (codegen, export, graph) report these, never drop them."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


Spread = Callable[[list[Path], Callable[[list[Path]], LoadResult]], list[LoadResult]]
"""Given the files found and a function loading some of them, the results of loading
consecutive runs of the files, in order, together all of them (each file loads alone, so
the runs may be loaded anywhere, e.g. in another process, and joined)."""


def _serial(files: list[Path], load: Callable[[list[Path]], LoadResult]) -> list[LoadResult]:
    """The default ``Spread``: every file in this process, one after the other."""
    return [load(files)]


def display_path(path: Path, root: Path | None = None) -> str:
    """A stable name for reports: relative to ``root`` (the project root) when below it.

    Whether the path was typed absolute or relative, and whatever the current directory, the
    same file gets the same name, so annotations attach and outputs compare byte for byte.
    A file outside the root keeps its absolute path.
    """
    return _shown(str(path), str(root) if root else "", os.getcwd())


@functools.lru_cache(maxsize=65536)
def _shown(path: str, root: str, cwd: str) -> str:
    # Strings, not pathlib, and remembered: reports name a file once per finding, and
    # pathlib's parsing was a third of loading a thousand contracts.
    full = os.path.normpath(os.path.join(cwd, path))
    base = os.path.normpath(os.path.join(cwd, root)) if root else _base(os.path.dirname(full), cwd)
    if full == base:
        return "."
    prefix = os.path.join(base, "")
    if full.startswith(prefix):
        return full[len(prefix) :].replace(os.sep, "/")
    return full.replace(os.sep, "/")


@functools.lru_cache(maxsize=256)
def _base(folder: str, cwd: str) -> str:
    """What paths below ``folder`` are shown relative to: the project it belongs to, else
    the project around the working directory ``cwd``."""
    root, config = project_root(Path(folder))
    if config is None and not (root / ".git").exists():
        root = project_root(Path(cwd))[0]
    shown = os.path.normpath(os.path.join(cwd, root))
    trail.note("base", folder, shown)  # a contractctl.yaml added above renames the files
    return shown


def discover(paths: Iterable[Path], notices: list[Finding] | None = None) -> list[Path]:
    """Contract files below ``paths``, sorted; explicit files are taken as given.

    What the walk could not or would not search (an unreadable folder, a symlink loop, a
    symlinked folder, a folder named ``x.yaml``) joins ``notices`` as findings.
    """
    from contractctl.core.source.discovery import discover_files

    starts = list(paths)
    for path in starts:
        if not path.exists():
            if path.is_symlink():
                raise UsageError(f"path not found: {path} is a broken symlink or a symlink loop")
            raise UsageError(f"path not found: {path}")
    found = discover_files(starts, _is_contract_name, frozenset(_SKIP_DIRS))
    if trail.active():  # a new or removed contract file changes the run's inputs
        trail.note("listing", listing_arg(starts), listing_digest(found.files, found.notices))
    for notice in found.notices:
        if notices is not None:
            notices.append(
                Finding(
                    rule_id="CONTRACT_UNREADABLE" if notice.unreadable else "CONTRACT_PATH_SKIPPED",
                    severity=Severity.ERROR if notice.unreadable else Severity.WARNING,
                    message=notice.reason,
                    file=display_path(notice.path),
                    extra={"input_error": True} if notice.unreadable else {},
                )
            )
        elif notice.unreadable:
            raise LoadError(notice.reason, file=display_path(notice.path))
    return found.files


def listing_arg(starts: Iterable[Path]) -> str:
    return "\0".join(str(s) for s in starts)


def listing_now(arg: str) -> str:
    """What ``discover`` finds now below the starts ``listing_arg`` gave ``arg``, as a digest."""
    from contractctl.core.source.discovery import discover_files

    starts = [Path(s) for s in arg.split("\0")]
    if not all(s.exists() for s in starts):
        return "!"
    found = discover_files(starts, _is_contract_name, frozenset(_SKIP_DIRS))
    return listing_digest(found.files, found.notices)


def listing_digest(files: Iterable[Path], notices: Iterable[Any]) -> str:
    return digest("\0".join([*map(str, files), "", *map(repr, notices)]).encode())


def _is_contract_name(filename: str) -> bool:
    return filename.endswith(CONTRACT_SUFFIXES) and filename not in CONFIG_NAMES


def load_contracts(
    paths: Sequence[Path | str] | None = None,
    config: Config | None = None,
    *,
    roots: tuple[Path, ...] | None = None,
    deferred_positions: bool = False,
    spread: Spread | None = None,
) -> LoadResult:
    """Load every contract below ``paths`` (default: the configured contracts directory).

    Files the contracts name are read only inside ``roots`` (default: the project's roots).
    ``deferred_positions``: each contract's position table is built only when a line is
    first asked for, by parsing its text again (for commands that ask for few lines).
    ``spread``: how the files are loaded (see ``Spread``); by default one after the other.
    """
    cfg = config or Config()
    starts = [Path(p) for p in paths] if paths else [cfg.contracts_dir]
    if not paths and not cfg.contracts_dir.exists():
        raise LoadError(
            f"no contracts folder: {display_path(cfg.contracts_dir)} does not exist "
            "(set `contracts:` in contractctl.yaml, pass a path, or create a project with "
            "`contractctl init`)"
        )
    notices: list[Finding] = []
    files = discover(starts, notices)
    if not files and not any(f.extra.get("input_error") for f in notices):
        where = ", ".join(display_path(r) for r in starts)
        passed = "".join(f"; {f.file}: {f.message}" for f in notices)
        raise LoadError(
            f"no contract files (*.yaml, *.yml) found in {where}{passed}; "
            "check the path, or create a first contract with `contractctl init`"
        )
    result = LoadResult(findings=notices)

    def part(some: list[Path]) -> LoadResult:
        loaded = LoadResult()
        _load_files(some, starts, cfg, roots, loaded, deferred_positions)
        return loaded

    def load() -> None:
        for loaded in (spread or _serial)(files, part):
            result.extend(loaded)

    # Loading allocates millions of small acyclic objects (nodes, positions, schema dicts)
    # that all survive: the cyclic collector's passes over them found nothing to free and
    # cost about a fifth of a large load. In a one-shot process (the CLI) collection pauses
    # while loading and what was loaded is then frozen: refcounting still frees it, only the
    # futile cyclic scans stop (else the first collection would scan it all at once). A
    # long-lived process keeps the collector's usual timing.
    if not _one_shot:
        load()
        return result
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        load()
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
    return result


_one_shot = False


def one_shot_process() -> None:
    """Declare that the process ends after this command (the CLI does): a long-lived
    process keeps full cyclic collection of what it loads."""
    global _one_shot  # noqa: PLW0603  (a process-wide fact, set once by the entry point)
    _one_shot = True


def _load_files(
    files: list[Path],
    starts: list[Path],
    cfg: Config,
    roots: tuple[Path, ...] | None,
    result: LoadResult,
    deferred: bool = False,
) -> None:
    folders = [s for s in starts if s.is_dir()]
    given = _Scope.of(roots, cfg.limits, deferred) if roots is not None else None
    scopes: dict[Path, _Scope] = {}  # the same for every file found below one start
    for file in files:
        name = display_path(file)
        result.files.append(name)
        scope = given
        if scope is None:
            near = next((s for s in folders if file.is_relative_to(s)), file)
            scope = scopes.get(near) or scopes.setdefault(
                near, _Scope.of(project_roots(cfg, near=near), cfg.limits, deferred)
            )
        try:
            contract, findings = _load(file, name, scope, result.partial)
        except LoadError as exc:
            result.findings.append(input_error(exc))
            continue
        result.findings.extend(findings)
        if contract is not None:
            result.contracts.append(contract)


def input_error(exc: LoadError) -> Finding:
    return Finding(
        rule_id="CONTRACT_UNREADABLE",
        severity=Severity.ERROR,
        message=exc.message,
        file=exc.file,
        line=exc.line,
        column=exc.column,
        extra={"input_error": True},
    )


def load_contract(
    path: Path,
    *,
    limits: Limits | None = None,
    display: str | None = None,
    roots: tuple[Path, ...] | None = None,
    partial: list[Contract] | None = None,
) -> tuple[Contract | None, list[Finding]]:
    """One contract file → (contract or None, structural findings). Raises ``LoadError``.

    With ``partial``, a contract with structure errors is salvaged into it when it can be,
    and what reading its salvaged parts fails on joins the findings.
    """
    lim = limits or Limits()
    scope = _Scope.of(roots if roots is not None else project_roots(Config(), near=path), lim)
    return _load(path, display or str(path), scope, partial)


def _load(
    path: Path, name: str, scope: _Scope, partial: list[Contract] | None
) -> tuple[Contract | None, list[Finding]]:
    text = read_text(path, scope.limits, display=name)
    data, positions = _parse_contract(text, name, scope.limits, deferred=scope.deferred)
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        raise LoadError(
            f"not a contract: the document is {what}, expected a mapping with name, "
            "version and schema",
            file=name,
            line=1,
        )
    issues = structure_issues(CONTRACT_SCHEMA, data)
    findings = [
        Finding(
            rule_id=_STRUCTURE_RULES[issue.kind],
            severity=Severity.ERROR,
            message=issue.message,
            file=name,
            line=positions.line(issue.pointer, key=issue.at_key),
            column=positions.column(issue.pointer, key=issue.at_key),
            pointer=issue.pointer,
            event=data.get("name") if isinstance(data.get("name"), str) else None,
        )
        for issue in issues
    ]
    if findings:
        if partial is not None:
            findings.extend(_salvage(data, issues, path, name, positions, scope, partial))
        return None, findings
    schema = _load_schema(data["schema"], path, name, positions, scope)
    examples = tuple(_examples(enumerate(data.get("examples", [])), path, name, positions, scope))
    return _build(data, path, schema, examples, positions), []


def _salvage(
    data: dict[str, Any],
    issues: list[StructureIssue],
    path: Path,
    name: str,
    positions: Positions,
    scope: _Scope,
    partial: list[Contract],
) -> list[Finding]:
    from contractctl.core.contract.salvage import salvage

    kept = salvage(data, issues, lambda doc: structure_issues(CONTRACT_SCHEMA, doc))
    if kept is None:
        return []
    doc = kept.document
    try:
        schema = _load_schema(doc["schema"], path, name, positions, scope)
        items = list(zip(kept.example_indices, doc.get("examples", []), strict=True))
        examples = tuple(_examples(items, path, name, positions, scope))
    except LoadError as exc:
        return [input_error(exc)]
    partial.append(_build(doc, path, schema, examples, positions))
    return []


_memo: Memo | None = None


@contextmanager
def remembering(memo: Memo | None) -> Iterator[None]:
    """Within the block, contract parses are recalled from and told to ``memo``."""
    global _memo  # noqa: PLW0603  (the loader's collaborator for one command's run)
    outer, _memo = _memo, memo
    try:
        yield
    finally:
        _memo = outer


def _parse_contract(
    text: str, name: str, limits: Limits, *, deferred: bool = False
) -> tuple[Any, Positions]:
    """``parse_yaml``, or what it gave for the same text and limits in an earlier run.

    Parsing YAML with the position of every node is most of loading a contract; a
    recalled parse is one JSON decode. Errors are not remembered: they are raised again.
    """
    memo = _memo
    if memo is None:
        return parse_yaml(text, name, limits, deferred=deferred)
    kind = f"contract-yaml/{limits.max_nodes}/{limits.max_depth}"
    recalled = memo.recall(kind, text)
    if isinstance(recalled, dict) and "data" in recalled:
        positions = positions_from_data(recalled)
        if positions is not None:
            return recalled["data"], positions
    data, positions = parse_yaml(text, name, limits)
    memo.remember(kind, text, {"data": data, **positions_to_data(positions)})
    return data, positions


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where a contract's files may come from, and what reading one may cost."""

    roots: tuple[Path, ...]  # resolved
    limits: Limits
    deferred: bool = False  # contracts' positions built when first asked for

    @classmethod
    def of(cls, roots: tuple[Path, ...], limits: Limits, deferred: bool = False) -> _Scope:
        return cls(tuple(_resolve(r) for r in roots), limits, deferred)

    def read(self, file: Path, shown: str, *, resolved: bool = False) -> str:
        """``file``'s text if it lies inside the roots; ``resolved``: ``file`` was resolved
        (symlinks followed) without error, so the check need not resolve it again."""
        outside = outside_roots(file, self.roots, roots_resolved=True, path_resolved=resolved)
        if outside is not None:
            raise LoadError(outside, file=shown)
        return read_text(file, self.limits, display=shown)


def _load_schema(
    spec: dict[str, Any], contract_path: Path, name: str, positions: Positions, scope: _Scope
) -> SchemaSpec:
    fmt = spec["format"]
    references = _references(spec, contract_path, name, positions, scope)
    if "inline" in spec:
        document = spec["inline"]
        if isinstance(document, str) and fmt == "avro" and document.lstrip().startswith(("{", "[")):
            document = parse_json(document, name, scope.limits)
        return SchemaSpec(
            format=fmt,
            document=document,
            subject=spec.get("subject"),
            references=references,
            refs=_preload(fmt, document, None, None, scope),
        )
    file, document, text = _schema_file(
        spec["file"], "/schema/file", contract_path, name, positions, scope
    )
    return SchemaSpec(
        format=fmt,
        document=document,
        file=file,
        text=text,
        subject=spec.get("subject"),
        references=references,
        refs=_preload(fmt, document, file, text, scope),
    )


def _preload(
    fmt: str, document: Any, file: Path | None, text: str | None, scope: _Scope
) -> RefStore:
    if fmt != "jsonschema":
        return EMPTY_STORE
    return preload(document, file, scope.roots, limits=scope.limits, text=text)


def _schema_file(
    relative: str, pointer: str, contract_path: Path, name: str, positions: Positions, scope: _Scope
) -> tuple[Path, Any, str]:
    file, resolved = _resolved(contract_path.parent / relative)
    shown = display_path(file)
    try:
        text = scope.read(file, shown, resolved=resolved)
    except LoadError as exc:
        raise LoadError(
            f"schema file {relative!r}: {exc.message}",
            file=name,
            line=positions.line(pointer),
            column=positions.column(pointer),
            field=pointer.lstrip("/").replace("/", "."),
        ) from None
    fmt = "avro" if file.suffix == ".avsc" else "jsonschema"
    return file, load_schema_text(text, fmt, shown, scope.limits), text


def _resolve(path: Path) -> Path:
    """``path`` made absolute with symlinks followed; a loop is left for the reader to report."""
    return _resolved(path)[0]


def _resolved(path: Path) -> tuple[Path, bool]:
    """(``path`` resolved, True), or (``path`` made absolute, False) when it cannot be."""
    try:
        return trail.resolve(path), True
    except (OSError, RuntimeError):
        return path.absolute(), False


def _references(
    spec: dict[str, Any], contract_path: Path, name: str, positions: Positions, scope: _Scope
) -> tuple[SchemaReference, ...]:
    refs = []
    for index, relative in enumerate(spec.get("references", ())):
        pointer = join("/schema/references", index)
        file, document, _ = _schema_file(relative, pointer, contract_path, name, positions, scope)
        refs.append(
            SchemaReference(file=file, document=document, names=tuple(defined_types(document)))
        )
    return tuple(refs)


def load_schema_text(text: str, fmt: str, name: str, limits: Limits | None = None) -> Any:
    """Parse a schema file's text; Avro files may carry the comments Avro Java accepts.
    Either nesting past ``limits.max_depth`` is an input error."""
    lim = limits or Limits()
    if fmt == "avro":
        try:
            document = load_avro_text(text)
        except SchemaParseError as exc:
            raise LoadError(exc.message, file=name, line=exc.line) from None
        check_depth(document, lim.max_depth, name, text=text)
        return document
    return parse_json(text, name, lim)


def _examples(
    items: Iterable[tuple[int, dict[str, Any]]],
    contract_path: Path,
    name: str,
    positions: Positions,
    scope: _Scope,
) -> Iterable[Example]:
    for index, item in items:
        pointer = join("/examples", index)
        if "file" in item:
            file, resolved = _resolved(contract_path.parent / item["file"])
            try:
                shown = display_path(file)
                text = scope.read(file, shown, resolved=resolved)
                payload = parse_json(text, item["file"], scope.limits)
            except LoadError as exc:
                raise LoadError(
                    f"example {item['name']!r}: {exc.message}",
                    file=name,
                    line=positions.line(join(pointer, "file")),
                    field=f"examples[{index}].file",
                ) from None
            yield Example(item["name"], payload, file, item.get("description"), pointer)
        else:
            yield Example(item["name"], item["payload"], None, item.get("description"), pointer)


def _build(
    data: dict[str, Any],
    path: Path,
    schema: SchemaSpec,
    examples: tuple[Example, ...],
    positions: Positions,
) -> Contract:
    policy = data.get("error_policy")
    error_policy = None
    if policy is not None:
        retries = policy.get("retries")
        error_policy = ErrorPolicy(
            retries=Retries(**retries) if retries is not None else None,
            dead_letter=policy.get("dead_letter"),
            timeout=policy.get("timeout"),
            compensation=tuple(policy.get("compensation", ())),
        )
    delivery = data.get("delivery")
    correlation = data.get("correlation")
    deprecated = data.get("deprecated")
    return Contract(
        name=data["name"],
        version=data["version"],
        schema=schema,
        path=path,
        owner=data.get("owner"),
        summary=data.get("summary"),
        description=data.get("description"),
        channel=data.get("channel"),
        key=data.get("key"),
        ordering=data.get("ordering"),
        delivery=Delivery(**delivery) if delivery is not None else None,
        correlation=Correlation(**correlation) if correlation is not None else None,
        producer=data.get("producer"),
        consumers=tuple(
            Consumer(**{**c, "reads": tuple(c["reads"])} if "reads" in c else c)
            for c in data.get("consumers", ())
        ),
        error_policy=error_policy,
        compatibility=data.get("compatibility"),
        examples=examples,
        deprecated=Deprecation(**deprecated) if deprecated is not None else None,
        tags=tuple(data.get("tags", ())),
        metadata=dict(data.get("metadata", {})),
        ignores=tuple(Ignore(**i) for i in data.get("ignore", ())),
        accepted_breaks=tuple(AcceptedBreak(**a) for a in data.get("accepted_breaks", ())),
        positions=positions,
        raw=data,
    )
