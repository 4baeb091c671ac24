"""A contract's schema in the form a registry stores: self-contained, plus Avro named types.

JSON Schema ``$ref``s to other files are bundled into the document's ``definitions`` (or
``$defs``), because not every registry supports JSON Schema references (Karapace answers
44302). Avro named types listed in ``schema.references`` stay separate: they are registered
as subjects of their own and passed as references, as Confluent's serializers expect.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractctl.core.errors import SchemaParseError
from contractctl.core.schema.avro_refs import full_name
from contractctl.core.schema.jsonschema_refs import ref_file, uri_path

if TYPE_CHECKING:
    from contractctl.core.contract.model import Contract


@dataclass(frozen=True, slots=True)
class NamedType:
    """An Avro named type defined in another file."""

    name: str  # full name, also the subject it is registered under
    document: Any
    file: Path


@dataclass(frozen=True, slots=True)
class RegistrySchema:
    document: Any
    schema_type: str
    named_types: tuple[NamedType, ...] = field(default=())

    @property
    def named(self) -> dict[str, Any]:
        return {t.name: t.document for t in self.named_types}


def _load(path: Path, fmt: str) -> Any:
    from contractctl.core.contract.loader import load_schema_text

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaParseError(f"cannot read {path}: {exc.strerror}") from None
    return load_schema_text(text, fmt, str(path))


def avro_references(contract: Contract) -> tuple[NamedType, ...]:
    """The named types a contract's Avro schema takes from the files in ``schema.references``."""
    refs = getattr(contract.schema, "references", None)
    if not refs:
        raw = contract.raw.get("schema") if isinstance(contract.raw, Mapping) else None
        refs = raw.get("references", ()) if isinstance(raw, Mapping) else ()
    found: list[NamedType] = []
    for ref in refs or ():
        if hasattr(ref, "document") and hasattr(ref, "file"):  # model.SchemaReference
            path, document = Path(ref.file), ref.document
            names = tuple(getattr(ref, "names", ()) or ())
            name = full_name(document) or (names[0] if names else None)
        else:
            path = ref if isinstance(ref, Path) else contract.path.parent / str(ref)
            document = _load(path.resolve(), "avro")
            name = full_name(document)
        if name is None:
            raise SchemaParseError(f"{path} does not define a named Avro type", file=str(path))
        found.append(NamedType(name, document, path.resolve()))
    return tuple(found)


def bundle_json(document: Any, base: Path, loaded: Mapping[str, Any]) -> Any:
    """``document`` with every ``$ref`` to another file moved into its definitions.

    ``loaded``: the files the loader read for the contract (by file URI), the only ones
    served; a file missing from it was outside the project roots or unreadable.
    """

    by_path = {uri_path(uri): document for uri, document in loaded.items()}

    def load(path: Path) -> Any:
        if path not in by_path:
            raise SchemaParseError(
                f"{path} was not loaded (outside the project roots or unreadable)"
            )
        return by_path[path]

    if not isinstance(document, dict):
        return document
    draft = str(document.get("$schema", ""))
    container = "definitions" if "definitions" in document or "draft-0" in draft else "$defs"
    defs: dict[str, Any] = {}
    keys: dict[Path, str] = {}

    def rewrite(node: Any, here: Path, prefix: str) -> Any:
        if isinstance(node, list):
            return [rewrite(n, here, prefix) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: rewrite(v, here, prefix) for k, v in node.items() if k != "$ref"}
        ref = node.get("$ref")
        if isinstance(ref, str):
            out["$ref"] = resolve(ref, here, prefix)
        return out

    def resolve(ref: str, here: Path, prefix: str) -> str:
        target, _, fragment = ref.partition("#")
        if not target:
            return f"#{prefix}{fragment}" if prefix and fragment.startswith("/") else ref
        if "://" in target:
            return ref  # remote references stay as they are
        path = ref_file(here, target)
        if path not in keys:
            key = path.stem
            while key in defs or key in document.get(container, {}):
                key += "_"
            keys[path] = key
            defs[key] = {}
            inner = f"/{container}/{key}"
            body = rewrite(load(path), path, inner)
            if isinstance(body, dict):
                body = {k: v for k, v in body.items() if k not in ("$schema", "$id")}
            defs[key] = body
        return f"#/{container}/{keys[path]}{fragment}"

    bundled = rewrite(document, base, "")
    if defs:
        bundled[container] = {**bundled.get(container, {}), **defs}
    return bundled


def registry_schema(contract: Contract) -> RegistrySchema:
    """The self-contained document to register for ``contract`` and its Avro named types."""
    spec = contract.schema
    if spec.schema_type == "AVRO":
        return RegistrySchema(spec.document, "AVRO", avro_references(contract))
    base = spec.file or contract.path
    return RegistrySchema(bundle_json(spec.document, base, spec.refs.documents), "JSON")


def schema_text(document: Any) -> str:
    """Compact JSON text; what goes over the wire."""
    return json.dumps(document, separators=(",", ":"))
