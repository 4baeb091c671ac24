"""Render planned modules (the codegen IR) to Python source through the Jinja templates."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from contractctl.adapters.templates import jinja_env
from contractctl.core.codegen import drafts
from contractctl.core.codegen.ir import ClassSpec, FieldSpec, ModuleSpec
from contractctl.core.codegen.jsonschema import _py
from contractctl.core.codegen.pyexpr import Expr, atom, layout, sub
from contractctl.core.errors import RenderError

RUNTIME_MODULE = "_runtime.py"
_PYDANTIC = ("BaseModel", "ConfigDict", "Field", "RootModel", "StrictBool", "StrictBytes",
             "StrictStr", "field_validator", "model_validator")  # fmt: skip
_TYPING = ("Annotated", "Any", "ClassVar", "Literal", "Self")
_STDLIB = {"_dt": "import datetime as _dt", "_decimal": "import decimal as _decimal",
           "_uuid": "import uuid as _uuid", "io": "import io", "json": "import json"}  # fmt: skip


class CodegenRenderer:
    """One Jinja environment, many modules."""

    def __init__(self, templates: Path | None = None) -> None:
        self.env = jinja_env("codegen/python", templates, html=False)
        self.env.filters["field_lines"] = field_lines
        self.env.filters["alias_lines"] = alias_lines
        self.env.filters["docstring"] = docstring
        self.env.filters["extra_lines"] = extra_lines
        self.env.filters["py"] = _py
        self.env.filters["json_literal"] = json_literal
        self.env.filters["import_name"] = import_name
        # The bundled templates do not change while a process runs: no stat of the file
        # before each render (an overriding folder is still checked, and reloaded).
        self.env.auto_reload = templates is not None
        self._runtime: tuple[jinja2.Template, str] | None = None

    def _template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateError as exc:
            raise RenderError(f"codegen template {name}: {exc}") from exc

    def module(self, module: ModuleSpec, python: tuple[int, int] = (3, 11)) -> str:
        """One module's source, for ``python`` (3.10 takes ``Self`` from typing_extensions)."""
        try:
            body = self._template("module.py.j2").render(m=module)
            used = imports(body, python)
            return self._template("header.py.j2").render(m=module, imports=used) + body
        except jinja2.TemplateError as exc:
            raise RenderError(f"rendering {'/'.join(module.path)}.py: {exc}") from exc

    def runtime(self) -> str:
        # The same text for every package: rendered again only when Jinja reloaded the
        # template (an overriding file edited since).
        template = self._template("_runtime.py.j2")
        if self._runtime is None or self._runtime[0] is not template:
            ignored = [(n, sorted(drafts.ignored(n))) for n in sorted(drafts.KEYWORDS)]
            self._runtime = (template, template.render(ignored=ignored))
        return self._runtime[1]

    def package_init(
        self, parts: tuple[str, ...], modules: Sequence[ModuleSpec] = (), package: str | None = None
    ) -> str:
        """A package's ``__init__``: re-exports the event models below it, versioned by
        name (``OrderPlacedV1_1_0``); the root package also maps (event, version) to each.
        ``package``: the root's import name (absolute imports), else relative ones."""
        exports = _exports(parts, modules, ".".join((package, *parts)) if package else "")
        names = [e.alias for e in exports] + (["MODELS", "model_for"] if not parts else [])
        # isort's order, as ruff checks ``__all__``: constants, classes, then the rest.
        names.sort(key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
        return self._template("__init__.py.j2").render(
            parts=parts, exports=exports, registry=not parts, all_names=names
        )


@dataclass(frozen=True, slots=True)
class Export:
    module: str  # dotted: relative (``.orders.x``) or absolute (``acme.events.orders.x``)
    name: str
    alias: str
    event: str
    version: str


def _exports(parts: tuple[str, ...], modules: Sequence[ModuleSpec], here: str) -> list[Export]:
    below = [m for m in modules if m.is_event and m.path[: len(parts)] == parts]
    out: list[Export] = []
    taken: set[str] = set()
    for m in sorted(below, key=lambda m: m.path):
        alias = f"{m.root}V{m.version.replace('.', '_').replace('-', '_').replace('+', '_')}"
        if alias in taken:  # one event name in two domains: the domain tells them apart
            alias = "".join(p.title().replace("_", "") for p in m.path[len(parts) : -1]) + alias
        if alias in taken:  # names merged by case (shop.OrderPlaced, shop.orderPlaced)
            key = f"{m.event}@{m.version}".encode("utf-8", "surrogatepass")
            alias = f"{alias}_{hashlib.sha256(key).hexdigest()[:8]}"
        taken.add(alias)
        below_here = ".".join(m.path[len(parts) :])
        module = f"{here}.{below_here}" if here else f".{below_here}"
        out.append(Export(module, m.root, alias, m.event, m.version))
    return out


def imports(body: str, python: tuple[int, int] = (3, 11)) -> dict[str, list[str]]:
    """Which names the rendered body uses, by origin (so the header imports only those)."""
    used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", body))
    backport = {"Self"} if python < (3, 11) else set()
    return {
        "stdlib": sorted(line for name, line in _STDLIB.items() if name in used),
        "typing": [n for n in _TYPING if n in used and n not in backport],
        "typing_extensions": sorted(n for n in backport if n in used),
        "pydantic": [n for n in _PYDANTIC if n in used],
        "fastavro": ["fastavro"] if "fastavro" in used else [],
        "runtime": ["_rt"] if "_rt" in used else [],
    }


def import_name(entry: tuple[str, str, str]) -> str:
    """``name`` or ``name as local`` for one (module, name, local) shared import."""
    _, name, local = entry
    return name if local == name else f"{name} as {local}"


def field_lines(field: FieldSpec) -> list[str]:
    rhs = field.default
    if field.aliased:
        alias = f"alias={_py(field.key)}"
        if rhs is None:
            rhs = f"Field({alias})"
        elif rhs.startswith("Field("):
            rhs = rhs[:-1] + f", {alias})"
        else:
            rhs = f"Field(default={rhs}, {alias})"
    return layout(field.annotation, f"{field.name}: ", f" = {rhs}" if rhs else "", indent=1)


def alias_lines(name: str, annotation: Expr) -> list[str]:
    return layout(annotation, f"{name} = ")


def extra_lines(cls: ClassSpec) -> list[str]:
    if cls.extra_type is None:
        return []
    return layout(
        sub("dict", atom("str"), cls.extra_type),
        "__pydantic_extra__: ",
        " = Field(init=False)",
        indent=1,
    )


def docstring(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if body.endswith('"'):
        body += " "
    return f'"""{body}"""'


def json_literal(value: Any) -> str:
    """A Python string literal holding ``value`` as compact, sorted JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return repr(text)
