"""The layers and core's subpackages, with the imports each may make, stated as data.

cli → app → core and adapters; adapters → core; within core, each subpackage imports only
the neighbours listed for it. An import under ``if TYPE_CHECKING:`` is no arrow (it never
runs); an import inside a function is one (it runs when called). The core stays pure and the
public API cheap: no CLI, HTTP or template stack at import.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import contractctl
import contractctl.core

HEAVY = ("typer", "rich", "httpx", "jinja2", "click")
ROOT = Path(contractctl.__file__).parent

# Each top-level part of the package and the parts it may import.
LAYERS: dict[str, set[str]] = {
    "__main__": {"cli"},
    "__init__": {"_version", "core", "app"},  # the public API, loaded lazily
    "_version": set(),
    "cli": {"app", "core", "reporting", "_version"},
    "reporting": {"core", "_version"},
    "app": {"core", "adapters"},
    "adapters": {"core", "_version"},
    "core": set(),
}

# Within core: each subpackage (or lone module) and the neighbours it may import.
CORE: dict[str, set[str]] = {
    "__init__": set(),
    "errors": set(),
    "vocab": set(),
    "source": {"vocab"},
    "rules": {"vocab"},
    "schema": {"source", "vocab"},
    "contract": {"schema", "source", "rules", "vocab"},
    "compat": {"schema", "rules", "vocab"},
    "lint": {"contract", "schema", "source", "rules", "vocab"},
    "registry": {"contract", "schema", "compat", "vocab"},
    "flow": {"contract", "schema", "rules", "vocab"},
    "catalog": {"flow", "compat", "contract", "schema", "vocab"},
    "review": {"contract", "schema", "rules", "vocab"},
    "codegen": {"contract", "schema", "vocab"},
    "adoption": {"registry", "flow", "compat", "contract", "schema", "source", "vocab"},
    # Real events against contracts: matching needs registered forms, sagas come from flow.
    "verify": {"flow", "registry", "contract", "schema", "rules", "vocab"},
}
EVERYONE_MAY_IMPORT = {"errors"}  # the error hierarchy is shared by every part of core
MAX_SUBPACKAGE_LINES = 2_000


def _module_name(path: Path) -> str:
    parts = ["contractctl", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def _graph() -> dict[str, set[str]]:
    """Module → the project modules it imports at run time."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _part(module: str) -> str:
    """The top-level part of the package a module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _core_part(module: str) -> str:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else "__init__"


def _arrows(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(a, b) for a, targets in graph.items() for b in sorted(targets)]


def _against_layers(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{a} -> {b}"
        for a, b in _arrows(graph)
        if _part(a) != _part(b) and _part(b) not in LAYERS[_part(a)]
    ]


def _outside_neighbours(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{a} -> {b}"
        for a, b in _arrows(graph)
        if _part(a) == _part(b) == "core"
        and _core_part(a) != _core_part(b)
        and _core_part(b) not in CORE[_core_part(a)] | EVERYONE_MAY_IMPORT
    ]


def test_every_part_is_stated() -> None:
    assert {_part(m) for m in _modules()} <= set(LAYERS)
    core_parts = {_core_part(m) for m in _modules() if _part(m) == "core"}
    assert core_parts == set(CORE), "state each core subpackage and its neighbours in CORE"


def test_arrows_run_down_the_layers() -> None:
    wrong = _against_layers(_graph())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_core_subpackages_import_only_their_neighbours() -> None:
    wrong = _outside_neighbours(_graph())
    assert not wrong, "core imports outside the stated neighbours:\n" + "\n".join(wrong)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_circle_between_modules() -> None:
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_no_circle_between_packages() -> None:
    packages: dict[str, set[str]] = {}
    for a, b in _arrows(_graph()):
        pa, pb = a.rpartition(".")[0], b.rpartition(".")[0]
        if _modules()[a].name == "__init__.py":
            pa = a
        if _modules()[b].name == "__init__.py":
            pb = b
        if pa != pb and not pb.startswith(pa + ".") and not pa.startswith(pb + "."):
            packages.setdefault(pa, set()).add(pb)
    assert _cycle(packages) is None, " -> ".join(_cycle(packages) or [])


def test_the_stated_maps_have_no_circle() -> None:
    assert _cycle(LAYERS) is None
    assert _cycle(CORE) is None


def test_the_checks_fail_on_bad_arrows() -> None:
    """Each check catches what it is there to catch, on a graph made to break it."""
    bad = {
        "contractctl.adapters.site_render": {"contractctl.app.docs"},  # up a layer
        "contractctl.cli.check": {"contractctl.adapters.registry.baseline"},  # past app
        "contractctl.core.schema.table": {"contractctl.core.lint.schemas"},  # not a neighbour
        "contractctl.core.lint.schemas": {"contractctl.core.errors"},  # allowed
    }
    assert _against_layers(bad) == [
        "contractctl.adapters.site_render -> contractctl.app.docs",
        "contractctl.cli.check -> contractctl.adapters.registry.baseline",
    ]
    assert _outside_neighbours(bad) == [
        "contractctl.core.schema.table -> contractctl.core.lint.schemas"
    ]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_core_holds_only_subpackages() -> None:
    core = ROOT / "core"
    loose = sorted(p.name for p in core.glob("*.py") if p.name not in {"__init__.py", "errors.py"})
    assert not loose, f"modules outside a subpackage of core: {loose}"


def test_subpackages_stay_small() -> None:
    """A subpackage past ~2,000 lines splits by responsibility (into sub-subpackages)."""
    for package in (p for p in (ROOT / "core").rglob("__init__.py")):
        own = list(package.parent.glob("*.py"))
        lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in own)
        assert lines <= MAX_SUBPACKAGE_LINES, f"{package.parent.name}: {lines} lines"


def test_subpackages_say_what_they_own() -> None:
    for package in (ROOT / "core").rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(package.read_text(encoding="utf-8")))
        assert doc, f"{package.parent.relative_to(ROOT)} has no docstring"


def _core_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(contractctl.core.__path__, prefix="contractctl.core.")
    )


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_imports_no_cli_http_or_template_stack() -> None:
    imports = "\n".join(f"import {m}" for m in _core_modules())
    leaked = _imported_after(imports) & set(HEAVY)
    assert not leaked, f"contractctl.core imports {leaked}"


def test_public_api_import_is_light() -> None:
    leaked = _imported_after("import contractctl") & set(HEAVY)
    assert not leaked
