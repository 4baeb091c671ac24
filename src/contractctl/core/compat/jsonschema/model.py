"""The schema model Confluent's SchemaDiff compares (everit's classes); ``loader`` builds it.

Confluent diffs everit ``Schema`` objects, not JSON, so reproducing its verdicts means building
the same shapes: extractors run in the order enum, allOf/anyOf/oneOf, not, const, type,
property sniffer, each consuming its keywords; one result is the schema, several become a
*synthetic* ``allOf``. ``true``/``{}``/``false`` are distinct kinds, ``"type": [a, b]`` is an
``anyOf``, and ``$ref`` nodes point at the node built once for their target (so cycles are
object cycles, and identity is what the differ memoises on).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from contractctl.core.errors import SchemaParseError

if TYPE_CHECKING:
    from contractctl.core.compat.jsonschema.loader import Document

# Deepest schema nesting the loader accepts (subschema hops, not JSON levels). Real event
# schemas stay well under 50; the limit turns pathological input into a clear error instead
# of a RecursionError.
MAX_DEPTH = 500

# Node kinds; two nodes are "the same class" for the differ iff their kinds are equal.
EMPTY = "EmptySchema"
TRUE = "TrueSchema"
FALSE = "FalseSchema"
REF = "ReferenceSchema"
STRING = "StringSchema"
NUMBER = "NumberSchema"
BOOLEAN = "BooleanSchema"
NULL = "NullSchema"
ARRAY = "ArraySchema"
OBJECT = "ObjectSchema"
ENUM = "EnumSchema"
CONST = "ConstSchema"
COMBINED = "CombinedSchema"
NOT = "NotSchema"
CONDITIONAL = "ConditionalSchema"
LAZY = "Lazy"

ALL_OF = "allOf"
ANY_OF = "anyOf"
ONE_OF = "oneOf"

DRAFT4, DRAFT6, DRAFT7, DRAFT2019, DRAFT2020 = 4, 6, 7, 2019, 2020


def freeze(value: object) -> object:
    """A hashable, type-exact key for a JSON value (1, 1.0 and true stay distinct, as in Java)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int):
        return ("i", value)
    if isinstance(value, float):
        return ("f", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("n",)
    if isinstance(value, Mapping):
        return ("o", frozenset((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, Sequence):
        return ("a", tuple(freeze(v) for v in value))
    return ("?", repr(value))


class Node:
    """One schema in the model. Which attributes matter depends on ``kind``.

    Attributes default at class level, so a node stores only what its kind sets (cheap to
    build). A ``LAZY`` node is a placeholder for a JSON object not yet modelled;
    ``materialise`` fills it in place, so identity (what the differ memoises on) is stable.
    """

    loader: Document | None = None
    base = ""
    depth = 0
    _canon: str | None = None
    id: str | None = None
    title: str | None = None
    description: str | None = None
    has_default = False
    default: object = None
    connect_bytes = False
    # string
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    # number
    requires_integer = False
    minimum: int | float | None = None
    maximum: int | float | None = None
    excl_min: int | float | None = None
    excl_max: int | float | None = None
    multiple_of: int | float | None = None
    # enum / const
    enum: frozenset[object] = frozenset()
    const: object = None
    # combined / not / ref
    criterion = ""
    subschemas: list[Node] = []  # noqa: RUF012 - replaced, never mutated
    must_not: Node | None = None
    ref = ""
    target: Node | None = None
    # object
    properties: dict[str, Node] = {}  # noqa: RUF012 - replaced, never mutated
    required: frozenset[str] = frozenset()
    min_properties: int | float | None = None
    max_properties: int | float | None = None
    prop_deps: dict[str, frozenset[str]] = {}  # noqa: RUF012 - replaced, never mutated
    schema_deps: dict[str, Node] = {}  # noqa: RUF012 - replaced, never mutated
    permits_additional = True
    additional: Node | None = None
    pattern_properties: list[tuple[str, Node]] = []  # noqa: RUF012 - replaced, never mutated
    unevaluated: Node | None = None
    # array
    all_items: Node | None = None
    item_schemas: list[Node] | None = None
    permits_additional_items = True
    additional_items: Node | None = None
    unevaluated_items: Node | None = None
    unique_items = False
    min_items: int | float | None = None
    max_items: int | float | None = None
    min_contains: int | float | None = None
    max_contains: int | float | None = None

    def __init__(self, kind: str, raw: object = None, canon_tag: str = "") -> None:
        self.kind = kind
        self.raw = raw
        self.canon_tag = canon_tag

    @property
    def canon(self) -> str:
        """Structural identity used to collapse duplicate combinator members."""
        if self._canon is None:
            try:
                body = json.dumps(self.raw, sort_keys=True, separators=(",", ":"))
            except (TypeError, ValueError):
                body = repr(self.raw)
            self._canon = f"{self.canon_tag}|{body}"
        return self._canon

    @property
    def is_empty(self) -> bool:
        """everit's ``instanceof EmptySchema`` (TrueSchema extends EmptySchema)."""
        return materialise(self).kind in (EMPTY, TRUE)

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.canon[:60]!r})"


def materialise(node: Node) -> Node:
    """Model a ``LAZY`` node in place (no-op for any other node); returns the node."""
    if node.kind == LAZY and node.loader is not None:
        node.loader.fill(node)
    return node


def detect_draft(schema: object) -> int:
    """The draft named by a root ``$schema`` (draft 7 when absent or unknown)."""
    uri = schema.get("$schema") if isinstance(schema, Mapping) else None
    if not isinstance(uri, str):
        return DRAFT7
    if "draft-04" in uri:
        return DRAFT4
    if "draft-06" in uri:
        return DRAFT6
    if "2019-09" in uri:
        return DRAFT2019
    if "2020-12" in uri:
        return DRAFT2020
    return DRAFT7


_MAX_REF_HOPS = 64


def resolve(node: Node) -> Node:
    """Follow ``$ref`` nodes to the schema they name (Confluent's ``normalizeSchema``)."""
    hops = 0
    node = materialise(node)
    while node.kind == REF:
        if node.loader is None:
            raise SchemaParseError(f"unresolved $ref {node.ref!r}")
        ref = node.ref
        node = materialise(node.loader.resolve_ref(node))
        hops += 1
        if hops > _MAX_REF_HOPS:
            raise SchemaParseError(f"$ref {ref!r} only leads to other $refs (a $ref loop)")
    return node


def label(node: Node | None) -> str:
    """A short human name for a schema's kind, for messages."""
    if node is None:
        return "absent"
    node = resolve(node)
    if node.kind == NUMBER:
        return "integer" if node.requires_integer else "number"
    if node.kind == COMBINED:
        return node.criterion
    names = {
        "EmptySchema": "{}",
        "TrueSchema": "true",
        "FalseSchema": "false",
        "StringSchema": "string",
        "BooleanSchema": "boolean",
        "NullSchema": "null",
        "ArraySchema": "array",
        "ObjectSchema": "object",
        "EnumSchema": "enum",
        "ConstSchema": "const",
        "NotSchema": "not",
        "ConditionalSchema": "if/then/else",
    }
    return names.get(node.kind, node.kind)


#: A ``"$ref": "<string>"`` member in compact or spaced JSON text; group 1 is the quoted value.
REF_RE = re.compile(r'"\$ref":\s?("(?:[^"\\]|\\.)*")')


def _no_default(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON data")


_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODER = (
    _make_encoder(
        None, _no_default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
    )
    if _make_encoder is not None
    else None
)


def encode(value: object) -> str:
    """Compact, type-exact JSON text of a value (1, 1.0 and true differ), keys in given order.

    Uses the C encoder directly: ``json.dumps`` costs several times more per small value,
    and the differ encodes every unchanged subtree once.
    """
    if _C_ENCODER is not None:
        return "".join(_C_ENCODER(value, 0))
    return json.dumps(value, separators=(",", ":"))


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def pattern_finds(pattern: str, name: str) -> bool:
    """Java ``Pattern.matcher(name).find()``; an invalid regex matches nothing."""
    if pattern in _PATTERNS:
        compiled = _PATTERNS[pattern]
    else:
        try:
            compiled = re.compile(pattern)
        except re.error:
            compiled = None
        _PATTERNS[pattern] = compiled
    return compiled is not None and compiled.search(name) is not None
