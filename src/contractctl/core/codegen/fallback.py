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
) -> dict[str, Any]:
    """``{"draft", "root", "resources"}`` for ``document`` (read from ``file``, if any);
    ``store``: the documents the loader read for its refs, the only ones served;
    ``real``: resolves symlinks (a planner passes its memo of them)."""
    if not has_external_refs(document):
        # The document alone: the same bundle, without walking its refs again.
        uri = real(file).as_uri() if file is not None else ""
        base = document_base(document, uri)
        prefix = uri.rsplit("/", 1)[0] + "/" if uri else None
        root = _ROOT + base[len(prefix) :] if prefix and base.startswith(prefix) else base
        root = root or _ROOT + "schema.json"
        return {"draft": draft_of(document), "root": root, "resources": {root: document}}
    resolver = RefResolver(document, file, store=store)
    resolver.check()  # loads every document a ref reaches; what fails stays unresolved
    files = [real(d.file) for d in resolver.docs.values() if d.file is not None]
    folder = Path(os.path.commonpath([str(f.parent) for f in files])) if files else None
    prefix = folder.as_uri().rstrip("/") + "/" if folder is not None else None

    def portable(uri: str) -> str:
        if prefix is not None and uri.startswith(prefix):
            return _ROOT + uri[len(prefix) :]
        return uri

    root = portable(resolver.root.base) or _ROOT + "schema.json"
    resources = {portable(url) or root: doc.document for url, doc in resolver.docs.items()}
    return {"draft": draft_of(document), "root": root, "resources": resources}
