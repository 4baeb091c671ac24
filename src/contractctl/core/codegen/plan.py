"""Contracts → the modules to generate: package layout, metadata, fingerprint, imports."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

from contractctl.core.codegen import naming
from contractctl.core.codegen.avro import AvroTranslator
from contractctl.core.codegen.cycles import merge_cycles
from contractctl.core.codegen.fallback import fallback_bundle
from contractctl.core.codegen.ir import Gap, ModuleSpec
from contractctl.core.codegen.jsonschema import External, JsonTranslator
from contractctl.core.codegen.pyexpr import atom, text
from contractctl.core.contract.model import Contract
from contractctl.core.errors import ContractctlError, InputError, SchemaParseError
from contractctl.core.schema.jsonschema_refs import (
    EMPTY_STORE,
    RefStore,
    document_base,
    local_file,
    register_copy,
)

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


Reader = Callable[[Path], Any]


class RealPaths(dict[Path, Path]):
    """``path`` with symlinks resolved, once per path: resolving walks every folder of the
    path, and a plan asks for the same few files again and again."""

    def __call__(self, path: Path) -> Path:
        found = self.get(path)
        if found is None:
            found = self[path] = path.resolve()
        return found


class SharedTypes:
    """Modules under ``_shared/`` for schema files several contracts reference.

    A type defined in another file (a JSON Schema ``$ref`` to ``../common/address.json``, an
    Avro reference such as ``common/Money.avsc``) is generated once, there, and imported.
    """

    def __init__(
        self,
        read: Reader,
        strict_formats: frozenset[str] = frozenset(),
        real: Callable[[Path], Path] | None = None,
    ) -> None:
        self.read = read
        self.strict_formats = strict_formats
        self.copies: dict[str, Path] = {}  # see jsonschema_refs.local_file
        self.json: dict[Path, tuple[ModuleSpec, JsonTranslator]] = {}
        self.avro: dict[Path, dict[str, tuple[tuple[str, ...], str]]] = {}
        self.modules: list[ModuleSpec] = []
        self.store = RefStore()  # every file the planned contracts' refs reached
        self._paths: set[tuple[str, ...]] = set()
        # Symlinks resolved once per file per plan (or by the caller's memo).
        self.real: Callable[[Path], Path] = real or RealPaths()

    def _module(self, file: Path, document: Any, fmt: str) -> ModuleSpec:
        path = ("_shared", naming.bounded(naming.snake(file.stem)))
        n = 2
        while path in self._paths:
            path, n = ("_shared", f"{naming.snake(file.stem)}_{n}"), n + 1
        self._paths.add(path)
        module = ModuleSpec(path=path, event=f"types from {file.name}", version="",
                            channel=None, fingerprint=fingerprint(document), schema_format=fmt,
                            root="", is_event=False)  # fmt: skip
        self.modules.append(module)
        return module

    def base_of(self, document: Any, file: Path | None) -> str:
        """The document's base URI; an http(s) ``$id`` also makes its folder local copies."""
        real = self.real(file) if file is not None else None
        base = document_base(document, real.as_uri() if real is not None else "")
        if real is not None and base.startswith(("http://", "https://")):
            register_copy(self.copies, base, real)
        return base

    def json_resolver(self) -> External:
        """Resolves the absolute URI of a ref to a type in a local file (validate agrees)."""

        def resolve(absolute: str) -> tuple[tuple[str, ...], str] | None:
            url, fragment = urldefrag(absolute)
            found = local_file(url, self.copies)
            if found is None and urlparse(url).scheme == "file":
                raise InputError(f"$ref {absolute.rsplit('/', 1)[-1]!r}: no such file")
            if found is None:
                return None
            file = self.real(found)
            if file not in self.json:
                document = self.read(file)
                module = self._module(file, document, "jsonschema")
                base = self.base_of(document, file)
                translator = JsonTranslator(module, document, self.json_resolver(), base=base)
                translator.strict_formats = self.strict_formats
                self.json[file] = (module, translator)
            module, translator = self.json[file]
            wanted = (
                fragment.rsplit("/", 1)[-1]
                if fragment.strip("/")
                else _title(translator.root, file)
            )
            name = translator.declare_ref(
                f"{translator.base}#{fragment}", naming.class_name(wanted)
            )
            if name is not None and fragment in ("", "/"):
                module.root = name
            return None if name is None else (module.path, name)

        return resolve

    def avro_names(self, contract: Contract) -> dict[str, tuple[tuple[str, ...], str]]:
        found: dict[str, tuple[tuple[str, ...], str]] = {}
        for ref in contract.schema.references:
            file = self.real(ref.file)
            if file not in self.avro:
                module = self._module(file, ref.document, "avro")
                names = AvroTranslator(module).translate_named(ref.document)
                self.avro[file] = {full: (module.path, py) for full, py in names.items()}
            found.update(self.avro[file])
        return found

    def remember(self, store: RefStore) -> None:
        """Keep the files a contract's refs reached: shared modules' fallbacks serve them."""
        self.store.documents.update(store.documents)
        self.store.files.update(store.files)

    def finish(self, importers: Iterable[ModuleSpec] = ()) -> list[ModuleSpec]:
        """The shared modules, finished; files that reference each other share one module
        (``cycles``), and ``importers`` import from it."""
        self.modules = merge_cycles(self.modules, importers)
        documents = {id(m): (t.root, file) for file, (m, t) in self.json.items()}
        for module in self.modules:
            document, file = documents.get(id(module), (None, None))
            _finish(module, document, file, self.store, self.real)
        return self.modules


def _title(document: Any, file: Path) -> str:
    title = document.get("title") if isinstance(document, dict) else None
    return title if isinstance(title, str) and title.strip() else file.stem


def plan_module(
    contract: Contract, source: str | None = None, shared: SharedTypes | None = None
) -> ModuleSpec:
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
    shared = shared or SharedTypes(_no_files)
    if contract.schema.format == "avro":
        external = shared.avro_names(contract)
        module.root = AvroTranslator(module, external).translate_root(document, contract.name)
        module.avro_schema = document
        module.avro_named = [ref.document for ref in contract.schema.references]
    elif contract.schema.format == "jsonschema":
        if not isinstance(document, dict | bool):
            raise SchemaParseError(
                f"{contract.id}: the payload schema is not a JSON object", file=source
            )
        base = shared.base_of(document, contract.schema.file)
        translator = JsonTranslator(module, document, shared.json_resolver(), base=base)
        translator.strict_formats = shared.strict_formats
        module.root = translator.translate_root(contract.event)
    else:
        raise SchemaParseError(f"{contract.id}: unknown schema format {contract.schema.format!r}")
    shared.remember(contract.schema.refs)
    return _finish(
        module, document, contract.schema.file, contract.schema.refs, shared.real, complete=True
    )


def _finish(
    module: ModuleSpec,
    document: Any,
    file: Path | None = None,
    store: RefStore = EMPTY_STORE,
    real: Callable[[Path], Path] = Path.resolve,
    *,
    complete: bool = False,  # ``store`` is the loader's own for ``document`` (fallback_bundle)
) -> ModuleSpec:
    _avoid_shadowing(module)
    _order_aliases(module)
    module.gaps = sorted(set(module.gaps), key=lambda g: (g.pointer, g.keyword, g.reason))
    if module.gaps and module.schema_format == "jsonschema":
        module.fallback_schema = fallback_bundle(document, file, store, real, complete=complete)
    return module


def _no_files(path: Path) -> Any:
    raise SchemaParseError(f"cannot read referenced schema {path}: no reader given")


def plan(
    contracts: Iterable[Contract],
    sources: dict[str, str] | None = None,
    read: Reader | None = None,
    failures: list[tuple[Contract, ContractctlError]] | None = None,
    strict_formats: frozenset[str] = frozenset(),
    package: str | None = None,
    real: Callable[[Path], Path] | None = None,
) -> list[ModuleSpec]:
    """One module per contract plus shared modules, sorted by path; ``package``: the
    package's import name, which makes the imports between its modules absolute; ``real``
    resolves symlinks (the caller's memo), else each file is resolved once per plan.

    Events whose module paths would be one file (``shop.OrderPlaced`` and
    ``shop.orderPlaced``, or paths differing only in case) are kept apart by ``_apart``. A
    contract that cannot be generated raises, unless ``failures`` collects it (the others
    go on).
    """
    shared = SharedTypes(read or _no_files, strict_formats, real)
    generated: list[tuple[ModuleSpec, Contract]] = []
    for contract in contracts:
        try:
            module = plan_module(contract, (sources or {}).get(contract.id), shared)
        except ContractctlError as exc:
            if failures is None:
                raise
            failures.append((contract, exc))
            continue
        generated.append((module, contract))
    _apart(generated)
    modules = {module.path: module for module, _ in generated}
    planned = {module.path: contract for module, contract in generated}
    events = list(modules.values())
    for module in shared.finish(events):
        modules[module.path] = module
    for module in events:
        _check_shared_gaps(module, modules, planned[module.path], shared.real)
    for module in modules.values():
        module.package = package
    return [modules[p] for p in sorted(modules)]


def _apart(generated: list[tuple[ModuleSpec, Contract]]) -> None:
    """Give every event of a group that would share a module file (snake-casing and case
    folding merge names) a suffix from a hash of its exact name and version: the same
    module name in every run and on every file system, whatever else the group holds."""
    groups: dict[tuple[str, ...], list[ModuleSpec]] = {}
    for module, _ in generated:
        groups.setdefault(tuple(part.casefold() for part in module.path), []).append(module)
    for group in groups.values():
        if len(group) < 2:
            continue
        for module in group:
            key = f"{module.event}@{module.version}".encode("utf-8", "surrogatepass")
            digest = hashlib.sha256(key).hexdigest()[:8]
            module.path = (*module.path[:-1], f"{module.path[-1]}_{digest}")


def _check_shared_gaps(
    module: ModuleSpec,
    modules: dict[tuple[str, ...], ModuleSpec],
    contract: Contract,
    real: Callable[[Path], Path],
) -> None:
    """An event whose shared types (or theirs) are looser than their schema validates its
    payloads against the whole schema too: a shared class checks only itself, and only
    when validated on its own."""
    if module.schema_format != "jsonschema" or module.fallback_schema is not None:
        return
    seen: set[tuple[str, ...]] = set()
    todo = [path for path, _, _ in module.shared]
    while todo:
        path = todo.pop()
        if path in seen or path not in modules:
            continue
        seen.add(path)
        if modules[path].gaps:
            module.gaps.append(Gap("#", "$ref", f"types from {'/'.join(path)}.py have gaps"))
            schema = contract.schema
            module.fallback_schema = fallback_bundle(
                schema.document, schema.file, schema.refs, real, complete=True
            )
            return
        todo.extend(p for p, _, _ in modules[path].shared)


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

    def untype(name: str) -> None:
        by_name[name].annotation = atom("Any")
        uses[name] = set()
        module.gaps.append(Gap(name, "$ref", "a recursive non-object type"))

    def visit(name: str) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:  # a cycle of plain aliases: pydantic cannot resolve it
            untype(name)
            return
        state[name] = 1
        if name in uses[name]:  # an alias naming itself: evaluated before it exists
            untype(name)
        for dep in sorted(uses[name]):
            visit(dep)
        state[name] = 2
        ordered.append(name)

    for alias in module.aliases:
        visit(alias.name)
    module.aliases = [by_name[n] for n in ordered]
