"""Use case ``codegen python``: contracts → a package of pydantic models, written safely.

The output folder carries a manifest (``.contractctl-codegen.json``) naming every file the
generator wrote, with its hash. Only those files are ever replaced or removed; a foreign
file in the way is an error, never overwritten; a generated file edited by hand since is
reported and left in place. Writes go through a temporary file and ``os.replace``, so a
reader never sees half a module. A contract that cannot be generated is reported and the
others are still generated; its earlier output is then left as it was.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contractctl.core.codegen import plan
from contractctl.core.codegen.options import CodegenOptions, read_options
from contractctl.core.codegen.plan import RealPaths
from contractctl.core.contract.loader import display_path, load_contracts
from contractctl.core.contract.model import Contract
from contractctl.core.errors import ContractctlError, InputError, RenderError
from contractctl.core.vocab.findings import Finding, Severity

if TYPE_CHECKING:
    from contractctl.adapters.codegen_render import CodegenRenderer

MANIFEST = ".contractctl-codegen.json"
_GENERATOR = "contractctl codegen python"


@dataclass(frozen=True, slots=True)
class CodegenRequest:
    paths: Sequence[Path]
    out: Path | None = None  # None: codegen.out in contractctl.yaml, else ./models
    check: bool = False  # compare only; report drift instead of writing
    templates: Path | None = None  # overrides the bundled templates by file name
    config: object | None = None  # core.config.Config, when the CLI loaded one


@dataclass(slots=True)
class CodegenReport:
    out: Path
    written: list[str] = field(default_factory=list)  # created or updated (or would be)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # generated before, not any more
    kept: list[str] = field(default_factory=list)  # ours once, edited since: left alone
    diff: str = ""
    failed: list[Finding] = field(default_factory=list)  # contracts that could not be generated
    modules: int = 0
    gaps: int = 0  # schema features enforced by the fallback validator
    findings: list[Finding] = field(default_factory=list)
    check: bool = False

    @property
    def drift(self) -> bool:
        return bool(self.written or self.removed)


def generate(request: CodegenRequest) -> CodegenReport:
    from contractctl.core.contract.config import Config

    config = request.config if isinstance(request.config, Config) else None
    options = CodegenOptions()
    if config is not None:
        shown = display_path(config.file) if config.file is not None else None
        options = read_options(config.codegen or None, config.root, shown)
    out = request.out or options.out or Path("models")
    loaded = load_contracts(list(request.paths), config)
    report = CodegenReport(out=out, check=request.check, findings=loaded.findings)
    report.failed.extend(loaded.unusable)
    failures: list[tuple[Contract, ContractctlError]] = []
    files = render_files(loaded.contracts, request.templates, failures, options)
    for contract, error in failures:
        report.failed.append(
            Finding("CONTRACT_SCHEMA_INVALID", Severity.ERROR, error.message,
                    file=error.file or display_path(contract.path), event=contract.name)
        )  # fmt: skip
    report.modules = sum(1 for name in files if "/_" not in "/" + name)
    sync(files, out, report, keep_owned=bool(report.failed))
    return report


def render_files(
    contracts: Sequence[Contract],
    templates: Path | None = None,
    failures: list[tuple[Contract, ContractctlError]] | None = None,
    options: CodegenOptions | None = None,
) -> dict[str, str]:
    """Every generated file, by path relative to the output folder.

    A contract that cannot be generated raises, unless ``failures`` collects it.
    """
    options = options or CodegenOptions()
    sources = {c.id: display_path(c.path) for c in contracts}
    real = RealPaths()  # one view of the file system's symlinks for the whole plan
    read = _loaded_schemas(contracts, real)
    modules = plan(contracts, sources, read, failures, options.strict_formats, options.package,
                   real)  # fmt: skip
    renderer = _renderer(templates)
    files = {"_runtime.py": renderer.runtime()}
    packages = {m.path[:depth] for m in modules for depth in range(len(m.path))}
    for package in sorted(packages):
        name = "/".join((*package, "__init__.py"))
        files[name] = renderer.package_init(package, modules, options.package)
    for module in modules:
        files["/".join(module.path) + ".py"] = renderer.module(module, options.python)
    return dict(sorted(files.items()))


@functools.lru_cache(maxsize=8)
def _renderer(templates: Path | None) -> CodegenRenderer:
    # Compiling the templates costs more than rendering a module: do it once per folder.
    from contractctl.adapters.codegen_render import CodegenRenderer

    return CodegenRenderer(templates)


def sync(files: dict[str, str], out: Path, report: CodegenReport, keep_owned: bool = False) -> None:
    """Compare ``files`` with ``out`` and, unless checking, bring ``out`` up to date.

    ``keep_owned``: some contracts failed, so files generated earlier and not now are kept
    (and stay in the manifest) instead of being removed.
    """
    from contractctl.adapters.safe_write import OutputTree

    # Every read and write stays inside ``out``, never through a symlink (safe_write).
    tree = OutputTree(out) if not report.check or out.is_dir() else None
    read = tree.read if tree is not None else (lambda _name: None)
    owned = _read_manifest(out, read)
    diffs: list[str] = []
    foreign: list[str] = []
    manifest = {name: _digest(text) for name, text in files.items()}
    for name, text in files.items():
        current = read(name)
        if current == text:
            report.unchanged.append(name)
            continue
        if current is not None and name not in owned:
            foreign.append(name)
            continue
        if current is not None and _digest(current) != owned[name]:
            report.kept.append(name)  # edited by hand since we wrote it: theirs now
            manifest[name] = owned[name]
            continue
        report.written.append(name)
        diffs.append(_diff(name, current or "", text))
    for name, digest in sorted(owned.items()):
        if name in files:
            continue
        current = read(name)
        if current is None:
            continue
        if _digest(current) == digest and not keep_owned:
            report.removed.append(name)
            diffs.append(_diff(name, current, ""))
        else:
            report.kept.append(name)
            manifest[name] = digest
    report.diff = "".join(diffs)
    if foreign:
        raise RenderError(
            f"{len(foreign)} file(s) in {out} were not written by contractctl and would be"
            f" overwritten: {', '.join(foreign[:5])}; move them away or choose another --out"
        )
    if report.check or tree is None:
        return
    tree.begin()
    for name in report.written:
        tree.write(name, files[name])
    for name in report.removed:
        tree.remove(name)
    document = {"generator": _GENERATOR, "files": manifest}
    manifest_text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if read(MANIFEST) != manifest_text:
        tree.write(MANIFEST, manifest_text)
    tree.finish()


def _read_manifest(out: Path, read: Callable[[str], str | None]) -> dict[str, str]:
    text = read(MANIFEST)
    if text is None:
        return {}
    try:
        data = json.loads(text)
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RenderError(f"{out / MANIFEST} is not a contractctl codegen manifest") from exc


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _diff(name: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{name}" if old else "/dev/null",
        tofile=f"b/{name}" if new else "/dev/null",
    )
    return "".join(lines)


def _loaded_schemas(
    contracts: Sequence[Contract], real: Callable[[Path], Path] = Path.resolve
) -> Callable[[Path], object]:
    """A reader serving only the files the loader read for ``$ref``s (inside the roots)."""
    # Keyed by the file each document was read from, symlinks resolved, as the planner asks.
    documents = {
        real(path): c.schema.refs.documents[uri]
        for c in contracts
        for uri, path in c.schema.refs.files.items()
    }

    def read(path: Path) -> object:
        if path in documents:
            return documents[path]
        raise InputError(f"referenced schema {display_path(path)} was not loaded")

    return read
