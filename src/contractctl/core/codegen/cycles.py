"""Shared modules that import each other become one module.

Two schema files that reference each other (``a.json`` refs ``b.json``, ``b.json`` refs
``a.json``) would give two shared modules importing names from each other, which Python
cannot import (a name from a partially initialised module). Every group of shared modules
that import each other, directly or round a longer cycle, is merged into the first of them
by path: declarations renamed where two files used one name, the group's own imports
dropped, and the modules importing from the group pointed at the merged module.
"""

from __future__ import annotations

from collections.abc import Iterable

from contractctl.core.codegen import naming
from contractctl.core.codegen.ir import ModuleSpec
from contractctl.core.codegen.pyexpr import Expr

Path = tuple[str, ...]


def merge_cycles(shared: list[ModuleSpec], importers: Iterable[ModuleSpec]) -> list[ModuleSpec]:
    """``shared`` with each import cycle merged; ``importers`` (and the merged modules) are
    re-pointed at the merged module. Returns the shared modules that remain."""
    by_path = {m.path: m for m in shared}
    edges = {m.path: {p for p, _, _ in m.shared if p in by_path} for m in shared}
    moved: dict[tuple[Path, str], tuple[Path, str]] = {}  # (old module, name) -> new
    dropped: set[Path] = set()
    for group in _cycles(edges):
        members = [by_path[p] for p in sorted(group)]
        moved.update(_merge(members))
        dropped.update(m.path for m in members[1:])
    if not moved:
        return shared
    kept = [m for m in shared if m.path not in dropped]
    for module in [*kept, *importers]:
        module.shared = {(*moved.get((p, n), (p, n)), local) for p, n, local in module.shared}
    return kept


def _merge(members: list[ModuleSpec]) -> dict[tuple[Path, str], tuple[Path, str]]:
    into = members[0]
    group = {m.path for m in members}
    names = naming.Names()
    renamed: dict[tuple[Path, str], str] = {}
    for m in members:
        for declared in [c.name for c in m.classes] + [a.name for a in m.aliases]:
            renamed[(m.path, declared)] = names.claim(declared)
    outside: set[tuple[Path, str, str]] = set()
    classes, aliases, gaps = [], [], []
    for m in members:
        table = {old: new for (path, old), new in renamed.items() if path == m.path}
        for path, name, local in sorted(m.shared):
            if path in group:
                table[local] = renamed[(path, name)]
            else:  # an import from outside the group keeps its name unless it now clashes
                table[local] = local if local not in names.taken else names.claim(local)
                names.taken.add(table[local])
                outside.add((path, name, table[local]))
        for cls in m.classes:
            cls.name = table.get(cls.name, cls.name)
            for field in cls.fields:
                field.annotation = _rename(field.annotation, table)
            if cls.extra_type is not None:
                cls.extra_type = _rename(cls.extra_type, table)
        for alias in m.aliases:
            alias.name = table.get(alias.name, alias.name)
            alias.annotation = _rename(alias.annotation, table)
        classes += m.classes
        aliases += m.aliases
        gaps += m.gaps
    into.root = renamed.get((into.path, into.root), into.root)
    into.event = "types from " + ", ".join(m.event.removeprefix("types from ") for m in members)
    into.classes, into.aliases, into.gaps, into.shared = classes, aliases, gaps, outside
    return {(path, old): (into.path, new) for (path, old), new in renamed.items()}


def _rename(expr: Expr, table: dict[str, str]) -> Expr:
    if expr.kind == "atom":
        return Expr(table.get(expr.head, expr.head), refs=expr.refs)
    args = tuple(_rename(a, table) for a in expr.args)
    return Expr(expr.head, args, expr.kind, expr.refs)


def _cycles(edges: dict[Path, set[Path]]) -> list[set[Path]]:
    """The groups of more than one module that all reach each other (a handful of shared
    modules: reachability from each is cheap enough)."""
    reach = {start: _reachable(start, edges) for start in edges}
    groups: list[set[Path]] = []
    for start in sorted(edges):
        group = {p for p in reach[start] if start in reach[p]} | {start}
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def _reachable(start: Path, edges: dict[Path, set[Path]]) -> set[Path]:
    seen: set[Path] = set()
    todo = list(edges[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen
