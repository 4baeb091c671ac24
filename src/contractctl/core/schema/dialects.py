"""JSON Schema dialects: recognising ``$schema`` URIs (with their common variants)."""

from __future__ import annotations

from typing import Any

DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT6 = "http://json-schema.org/draft-06/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"
DRAFT201909 = "https://json-schema.org/draft/2019-09/schema"
DRAFT202012 = "https://json-schema.org/draft/2020-12/schema"
DEFAULT = DRAFT7

_CANONICAL = {
    "json-schema.org/draft-04/schema": DRAFT4,
    "json-schema.org/draft-06/schema": DRAFT6,
    "json-schema.org/draft-07/schema": DRAFT7,
    "json-schema.org/draft/2019-09/schema": DRAFT201909,
    "json-schema.org/draft/2020-12/schema": DRAFT202012,
}


def canonical(uri: str) -> str | None:
    """The canonical URI for a known dialect (https/http, with or without '#'), else None."""
    key = uri.strip().removesuffix("#").removeprefix("https://").removeprefix("http://")
    return _CANONICAL.get(key)


def dialect_of(document: Any) -> str | None:
    """The document's dialect; DEFAULT (draft-07) when it declares none; None if unknown."""
    if not isinstance(document, dict) or "$schema" not in document:
        return DEFAULT
    declared = document["$schema"]
    return canonical(declared) if isinstance(declared, str) else None


def normalised(document: Any) -> Any:
    """``document`` with a canonical ``$schema`` (a shallow copy only when it changes)."""
    if not isinstance(document, dict):
        return document
    dialect = dialect_of(document)
    if dialect is None or document.get("$schema") == dialect:
        return document
    return {**document, "$schema": dialect}
