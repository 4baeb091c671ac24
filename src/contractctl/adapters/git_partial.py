"""A git baseline holding only some contract files: those an incremental check needs.

``partial_git_baseline(ref, config, paths)`` copies the named contract files at ``ref``
and, following their references (``schema.file``, ``schema.references``, example files,
file parts of JSON ``$ref``s), the files they need, then loads them exactly as the full git
baseline does. Only files below the contracts directory are copied, as the full baseline
copies only that directory, so a reference leaving it fails the same way in both.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from contractctl.adapters.baselines import ContractSetBaseline, _as_warnings
from contractctl.adapters.git import read_at, relative_to_top, repo_top, write_files
from contractctl.core.contract.loader import load_contracts

if TYPE_CHECKING:
    from contractctl.core.contract.config import Config

_MAX_ROUNDS = 64  # reference chains deeper than this are not real schemas


def references_of(path: str, data: bytes) -> Iterator[str]:
    """Repository-relative paths ``path`` refers to; unparsable files refer to nothing."""
    base = posixpath.dirname(path)
    try:
        text = data.decode("utf-8")
        if path.endswith((".yaml", ".yml")):
            document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            targets = list(_contract_files(document))
        elif path.endswith(".json"):
            targets = list(_json_refs(json.loads(text)))
        else:
            return
    except (ValueError, yaml.YAMLError, RecursionError):
        return
    for target in targets:
        yield posixpath.normpath(posixpath.join(base, target))


def _contract_files(document: Any) -> Iterator[str]:
    if not isinstance(document, dict):
        return
    schema = document.get("schema")
    if isinstance(schema, dict):
        if isinstance(schema.get("file"), str):
            yield schema["file"]
        refs = schema.get("references")
        if isinstance(refs, list):
            yield from (r for r in refs if isinstance(r, str))
    examples = document.get("examples")
    if isinstance(examples, list):
        yield from (
            e["file"] for e in examples if isinstance(e, dict) and isinstance(e.get("file"), str)
        )


def _json_refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                target = ref.partition("#")[0]
                if target and "://" not in target and not target.startswith("urn:"):
                    yield target
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def read_closure(ref: str, top: Path, paths: Iterable[str], inside: str) -> dict[str, bytes]:
    """``paths`` at ``ref`` and every file below ``inside`` they refer to, transitively."""
    files: dict[str, bytes] = {}
    wanted = sorted(set(paths))
    for _ in range(_MAX_ROUNDS):
        if not wanted:
            break
        found = read_at(ref, top, wanted)
        files.update(found)
        asked = set(wanted) | set(files)
        wanted = sorted(
            {
                target
                for path, data in found.items()
                for target in references_of(path, data)
                if target not in asked and _below(target, inside)
            }
        )
    return files


def _below(path: str, inside: str) -> bool:
    return inside in ("", ".") or path == inside or path.startswith(inside.rstrip("/") + "/")


def partial_git_baseline(
    ref: str, config: Config, paths: Iterable[str], *, top: Path | None = None
) -> ContractSetBaseline:
    """The contracts ``paths`` (relative to the repository's top) as they are at ``ref``."""
    top = top or repo_top(config.root.resolve(), ref)
    prefix = str(relative_to_top(config.contracts_dir, top))
    label = f"git:{ref}"
    scratch = Path(tempfile.mkdtemp(prefix="contractctl-git-"))
    try:
        chosen = [p for p in paths if _below(p, prefix)]
        files = read_closure(ref, top, chosen, prefix)
        write_files(files, scratch)
        present = sorted(scratch / p for p in chosen if p in files)
        found = load_contracts(present, config, roots=(scratch.resolve(),)) if present else None
        contracts = found.contracts if found else []

        def shown(path: Path | str) -> str:
            text = Path(path).resolve().as_posix()
            return f"{label}:{text.removeprefix(scratch.resolve().as_posix() + '/')}"

        for contract in contracts:  # paths point into the scratch copy: name them after the ref
            contract.path = Path(shown(contract.path))
        warnings = [
            replace(f, file=shown(scratch / f.file) if f.file else None)
            for f in _as_warnings(found.findings if found else [])
        ]
        return ContractSetBaseline(contracts, name=label, findings=warnings)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
