"""JSON Schema drafts as codegen reads them: each draft's keywords, and a schema seen by its draft.

The same table is rendered into the generated ``_runtime.py``, so the typed model and the
fallback validator ignore exactly the keywords the schema's draft does not have.
"""

from __future__ import annotations

from typing import Any

from contractctl.core.schema import dialects

_CORE = frozenset({
    "$ref", "additionalItems", "additionalProperties", "allOf", "anyOf", "enum", "format",
    "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems", "minLength",
    "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern", "patternProperties",
    "properties", "required", "type", "uniqueItems",
})  # fmt: skip
_DRAFT6 = _CORE | {"const", "contains", "dependencies", "exclusiveMaximum", "exclusiveMinimum",
                   "propertyNames"}  # fmt: skip
_DRAFT7 = _DRAFT6 | {"if", "then", "else"}
_DRAFT2019 = (_DRAFT7 - {"dependencies"}) | {
    "dependentRequired", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties",
    "$recursiveRef", "minContains", "maxContains",
}  # fmt: skip
_DRAFT2020 = (_DRAFT2019 - {"additionalItems", "$recursiveRef"}) | {"prefixItems", "$dynamicRef"}

# The assertion and applicator keywords of each draft (annotations such as title are kept
# by every draft and are not listed).
KEYWORDS: dict[int, frozenset[str]] = {
    4: _CORE | {"dependencies", "exclusiveMaximum", "exclusiveMinimum"},  # booleans there
    6: _DRAFT6,
    7: _DRAFT7,
    2019: _DRAFT2019,
    2020: _DRAFT2020,
}
_ALL = frozenset().union(*KEYWORDS.values())
_IGNORED = {draft: _ALL - words for draft, words in KEYWORDS.items()}  # asked once per node
_NUMBERS = {
    dialects.DRAFT4: 4,
    dialects.DRAFT6: 6,
    dialects.DRAFT7: 7,
    dialects.DRAFT201909: 2019,
    dialects.DRAFT202012: 2020,
}
# Keywords beside a ``$ref`` that change nothing in any draft.
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default",
                         "definitions", "$defs", "$schema", "$id", "id", "$anchor", "deprecated",
                         "readOnly", "writeOnly"})  # fmt: skip


def draft_of(document: Any) -> int:
    """The draft number of ``document``'s ``$schema`` (draft-07, the default, when unknown)."""
    return _NUMBERS.get(dialects.dialect_of(document) or dialects.DEFAULT, 7)


def ignored(draft: int) -> frozenset[str]:
    """Keywords of other drafts that ``draft`` does not have (they assert nothing there)."""
    return _IGNORED[draft]


def id_keyword(draft: int) -> str:
    return "id" if draft == 4 else "$id"


def view(schema: Any, draft: int) -> Any:
    """``schema`` as ``draft`` reads it.

    Keywords of other drafts go. Up to draft-07 a ``$ref`` replaces its siblings; from
    2019-09 on both apply, so a ``$ref`` with siblings becomes an ``allOf`` of the two.
    """
    if not isinstance(schema, dict):
        return schema
    drop = _IGNORED[draft]
    if not drop.isdisjoint(schema):
        schema = {k: v for k, v in schema.items() if k not in drop}
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema
    siblings = {k: v for k, v in schema.items() if k not in ANNOTATIONS and k != "$ref"}
    if not siblings:
        return schema
    kept = {k: v for k, v in schema.items() if k in ANNOTATIONS}
    if draft <= 7:
        return {**kept, "$ref": ref}
    return {**kept, "allOf": [{"$ref": ref}, siblings]}
