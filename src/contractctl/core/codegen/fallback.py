"""The fallback validator's data: a schema with every document its refs reach, by URI.

A generated module whose typed model is looser than its schema validates each payload
against this bundle (``_runtime.Schema``). The documents are the ones ``validate`` and the
generator resolve (``RefResolver``: local files, local copies of http(s) ``$id``s), keyed
by the URI they were asked for, so the runtime resolves exactly what the generator did.
File URIs are rewritten below ``file:///schemas/`` so the output does not depend on where
the project sits on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contractctl.core.codegen.drafts import draft_of
from contractctl.core.schema.jsonschema_refs import (
    EMPTY_STORE,
    RefResolver,
    RefStore,
    document_base,
    has_external_refs,
)

_ROOT = "file:///schemas/"


def fallback_bundle(
    document: Any,
    file: Path | None,
    store: RefStore = EMPTY_STORE,
    real: Callable[[Path], Path] = Path.resolve,
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """``{"draft", "root", "resources"}`` for ``document`` (read from ``file``, if any);
    ``store``: the documents the loader read for its refs, the only ones served;
    ``real``: resolves symlinks (a planner passes its memo of them); ``complete``: the
    store is the loader's own for ``document`` (every document its refs reach, and no
    other), so it is the bundle as it stands, without walking the refs again."""
    if complete or not has_external_refs(document):
        # The bundle as it stands (without external refs: the document alone).
        reached = store if complete else EMPTY_STORE
        uri = real(file).as_uri() if file is not None else ""
        base = document_base(document, uri)
        files = [real(f) for f in (file, *reached.files.values()) if f is not None]
        return _bundle(document, base, {base: document, **reached.documents}, files)
    resolver = RefResolver(document, file, store=store)
    resolver.check()  # loads every document a ref reaches; what fails stays unresolved
    files = [real(d.file) for d in resolver.docs.values() if d.file is not None]
    documents = {url: doc.document for url, doc in resolver.docs.items()}
    return _bundle(document, resolver.root.base, documents, files)


def _bundle(
    document: Any, base: str, documents: dict[str, Any], files: list[Path]
) -> dict[str, Any]:
    folder = Path(os.path.commonpath([str(f.parent) for f in files])) if files else None
    prefix = folder.as_uri().rstrip("/") + "/" if folder is not None else None

    def portable(uri: str) -> str:
        if prefix is not None and uri.startswith(prefix):
            return _ROOT + uri[len(prefix) :]
        return uri

    root = portable(base) or _ROOT + "schema.json"
    resources = {portable(url) or root: doc for url, doc in documents.items()}
    return {"draft": draft_of(document), "root": root, "resources": resources}
