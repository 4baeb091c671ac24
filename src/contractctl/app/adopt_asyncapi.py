"""``import asyncapi``: an AsyncAPI 2.x/3.x document (and the local files it ``$ref``s) as
contract files, written like a registry import (manifest, hand edits kept)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractctl.app.adopt_write import ImportReport, Writer, apply_plan, read_manifest
from contractctl.core.adoption.asyncapi_import import read_asyncapi
from contractctl.core.adoption.asyncapi_refs import Resolver
from contractctl.core.adoption.contract_files import plan_drafts
from contractctl.core.contract.loader import display_path
from contractctl.core.errors import LoadError
from contractctl.core.source.documents import parse_yaml, read_text


@dataclass(frozen=True, slots=True)
class AsyncApiImportRequest:
    document: Path
    output: Path
    dry_run: bool = False


def load_document(path: Path) -> Any:
    """A YAML or JSON file (YAML reads both), with the loader's limits and one-line errors."""
    shown = display_path(path)
    if not path.is_file():
        raise LoadError(f"{shown}: no such file")
    return parse_yaml(read_text(path, display=shown), shown)[0]


def import_asyncapi(request: AsyncApiImportRequest) -> ImportReport:
    path = request.document.resolve()
    resolver = Resolver(path, load_document(path), load_document)
    reading = read_asyncapi(resolver, resolver.document(resolver.root))
    previous, manifest_text = read_manifest(request.output)
    plan = plan_drafts(reading.drafts, previous, source=display_path(path), skipped=reading.skipped)
    with Writer(request.output, previous, dry_run=request.dry_run) as writer:
        return apply_plan(writer, plan, manifest_text)
