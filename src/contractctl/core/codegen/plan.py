"""Contracts → the modules to generate: package layout, metadata, fingerprint, imports."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from contractctl.core.codegen import naming
from contractctl.core.codegen.avro import AvroTranslator
from contractctl.core.codegen.ir import Gap, ModuleSpec
from contractctl.core.codegen.jsonschema import JsonTranslator
from contractctl.core.codegen.pyexpr import atom, text
from contractctl.core.errors import SchemaParseError
from contractctl.core.model import Contract

_DRAFT07_HTTPS = "https://json-schema.org/draft-07/schema"


def fingerprint(document: Any) -> str:
    """sha256 of the schema's canonical JSON (sorted keys, no whitespace)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def normalise(document: Any) -> Any:
    """The schema as the fallback validator should read it (Wikimedia's https draft-07 URI)."""
    if isinstance(document, dict) and str(document.get("$schema", "")).startswith(_DRAFT07_HTTPS):
        return {**document, "$schema": "http://json-schema.org/draft-07/schema#"}
    return document


def plan_module(contract: Contract, source: str | None = None) -> ModuleSpec:
    """The module for one contract (one event version)."""
    document = contract.schema.document
    module = ModuleSpec(
        path=(
            *naming.package_parts(contract.domain),
            naming.module_name(contract.event, contract.version),
        ),
        event=contract.name,
        version=contract.version,
        channel=contract.channel,
        fingerprint=fingerprint(document),
        schema_format=contract.schema.format,
        root="",
        summary=contract.summary,
        source=source,
    )
    if contract.schema.format == "avro":
        module.root = AvroTranslator(module).translate_root(document, contract.name)
        module.avro_schema = document
    elif contract.schema.format == "jsonschema":
        if not isinstance(document, dict | bool):
            raise SchemaParseError(
                f"{contract.id}: the payload schema is not a JSON object", file=source
            )
        module.root = JsonTranslator(module, document).translate_root(contract.event)
    else:
        raise SchemaParseError(f"{contract.id}: unknown schema format {contract.schema.format!r}")
    _avoid_shadowing(module)
    _order_aliases(module)
    module.gaps = sorted(set(module.gaps), key=lambda g: (g.pointer, g.keyword, g.reason))
    if module.gaps and module.schema_format == "jsonschema":
        module.fallback_schema = normalise(document)
    return module


def plan(contracts: Iterable[Contract], sources: dict[str, str] | None = None) -> list[ModuleSpec]:
    """One module per contract, sorted by path; two contracts on one path is an error."""
    modules: dict[tuple[str, ...], ModuleSpec] = {}
    for contract in contracts:
        module = plan_module(contract, (sources or {}).get(contract.id))
        if module.path in modules:
            raise SchemaParseError(
                f"{contract.id} and {modules[module.path].event}@{modules[module.path].version}"
                f" would both generate {'/'.join(module.path)}.py"
            )
        modules[module.path] = module
    return [modules[p] for p in sorted(modules)]


def _avoid_shadowing(module: ModuleSpec) -> None:
    """Rename fields whose name is also a class or alias in the module (pydantic would
    resolve the annotation to the field's default instead of the type)."""
    declared = {c.name for c in module.classes} | {a.name for a in module.aliases}
    for cls in module.classes:
        taken = {f.name for f in cls.fields}
        for field in cls.fields:
            if field.name in declared:
                new = field.name + "_"
                while new in taken or new in declared:
                    new += "_"
                taken.add(new)
                field.name = new


def _order_aliases(module: ModuleSpec) -> None:
    """Aliases are evaluated at import time: each must follow the aliases it uses."""
    by_name = {a.name: a for a in module.aliases}
    uses = {
        a.name: set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text(a.annotation))) & set(by_name)
        for a in module.aliases
    }
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:  # a cycle of plain aliases: pydantic cannot resolve it
            by_name[name].annotation = atom("Any")
            uses[name] = set()
            module.gaps.append(Gap(name, "$ref", "a recursive non-object type"))
            return
        state[name] = 1
        for dep in sorted(uses[name] - {name}):
            visit(dep)
        state[name] = 2
        ordered.append(name)

    for alias in module.aliases:
        visit(alias.name)
    module.aliases = [by_name[n] for n in ordered]
