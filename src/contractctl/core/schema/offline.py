"""Compiling JSON Schema validators that retrieve nothing on their own.

jsonschema-rs follows ``http://`` and ``file://`` refs by default (and python-jsonschema
fetches unknown remote refs); a schema must not make the tool open a socket or a file. Every
validator is compiled here with a retriever that serves only what the loader already
resolved, plus remote documents through the fetcher the config allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag

from contractctl.core.schema.jsonschema_refs import EMPTY_STORE, Fetcher, RefStore


def retriever(
    store: RefStore = EMPTY_STORE, fetcher: Fetcher | None = None
) -> Callable[[str], Any]:
    """A jsonschema-rs ``retriever``: documents from ``store``, remote ones via ``fetcher``."""

    def retrieve(uri: str) -> Any:
        url = urldefrag(uri)[0]
        if url in store.documents:
            return store.documents[url]
        if fetcher is not None and url.startswith(("http://", "https://")):
            return fetcher(url)
        raise LookupError(f"{uri} is not retrieved (only files the loader read are served)")

    return retrieve


def compile_validator(
    schema: Any,
    store: RefStore = EMPTY_STORE,
    fetcher: Fetcher | None = None,
    **options: Any,
) -> Any:
    """A jsonschema-rs validator for ``schema`` that cannot reach the network or the disk."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema, retriever=retriever(store, fetcher), **options)
