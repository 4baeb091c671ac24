"""Use case ``codegen python``: contracts → a package of pydantic models, written safely.

The output folder carries a manifest (``.contractctl-codegen.json``) naming every file the
generator wrote, with its hash. Only those files are ever replaced or removed; a foreign
file in the way is an error, never overwritten. Writes go through a temporary file and
``os.replace``, so a reader never sees half a module.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contractctl.app.files import atomic_write
from contractctl.core.codegen import plan
from contractctl.core.contract.loader import display_path, load_contracts
from contractctl.core.contract.model import Contract
from contractctl.core.errors import InputError, RenderError
from contractctl.core.vocab.findings import Finding

if TYPE_CHECKING:
    from contractctl.adapters.codegen_render import CodegenRenderer

MANIFEST = ".contractctl-codegen.json"
_GENERATOR = "contractctl codegen python"


@dataclass(frozen=True, slots=True)
class CodegenRequest:
    paths: Sequence[Path]
    out: Path
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
    loaded = load_contracts(list(request.paths), config)
    if loaded.input_errors:
        first = loaded.input_errors[0]
        raise InputError(first.message, file=first.file, line=first.line)
    files = render_files(loaded.contracts, request.templates)
    report = CodegenReport(out=request.out, check=request.check, findings=loaded.findings)
    report.modules = sum(1 for name in files if "/_" not in "/" + name)
    sync(files, request.out, report)
    return report


def render_files(contracts: Sequence[Contract], templates: Path | None = None) -> dict[str, str]:
    """Every generated file, by path relative to the output folder."""
    sources = {c.id: display_path(c.path) for c in contracts}
    modules = plan(contracts, sources, _read_schema)
    renderer = _renderer(templates)
    files = {"__init__.py": renderer.package_init(()), "_runtime.py": renderer.runtime()}
    for module in modules:
        for depth in range(1, len(module.path)):
            package = module.path[:depth]
            files["/".join(package) + "/__init__.py"] = renderer.package_init(package)
        files["/".join(module.path) + ".py"] = renderer.module(module)
    return dict(sorted(files.items()))


@functools.lru_cache(maxsize=8)
def _renderer(templates: Path | None) -> CodegenRenderer:
    # Compiling the templates costs more than rendering a module: do it once per folder.
    from contractctl.adapters.codegen_render import CodegenRenderer

    return CodegenRenderer(templates)


def sync(files: dict[str, str], out: Path, report: CodegenReport) -> None:
    """Compare ``files`` with ``out`` and, unless checking, bring ``out`` up to date."""
    owned = _read_manifest(out)
    diffs: list[str] = []
    foreign: list[str] = []
    for name, text in files.items():
        path = out / name
        current = _read(path)
        if current == text:
            report.unchanged.append(name)
            continue
        if current is not None and name not in owned:
            foreign.append(name)
            continue
        report.written.append(name)
        diffs.append(_diff(name, current or "", text))
    for name, digest in sorted(owned.items()):
        if name in files:
            continue
        current = _read(out / name)
        if current is None:
            continue
        if _digest(current) == digest:
            report.removed.append(name)
            diffs.append(_diff(name, current, ""))
        else:
            report.kept.append(name)
    report.diff = "".join(diffs)
    if foreign:
        raise RenderError(
            f"{len(foreign)} file(s) in {out} were not written by contractctl and would be"
            f" overwritten: {', '.join(foreign[:5])}; move them away or choose another --out"
        )
    if report.check:
        return
    for name in report.written:
        atomic_write(out / name, files[name])
    for name in report.removed:
        (out / name).unlink()
    manifest = {
        "generator": _GENERATOR,
        "files": {name: _digest(text) for name, text in files.items()},
    }
    manifest_text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    if _read(out / MANIFEST) != manifest_text:
        atomic_write(out / MANIFEST, manifest_text)


def _read_manifest(out: Path) -> dict[str, str]:
    text = _read(out / MANIFEST)
    if text is None:
        return {}
    try:
        data = json.loads(text)
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RenderError(f"{out / MANIFEST} is not a contractctl codegen manifest") from exc


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read {path}: {exc}") from exc


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


def _read_schema(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read referenced schema {display_path(path)}: {exc}") from exc
