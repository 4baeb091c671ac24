"""The Avro schema model the compatibility check runs on, built the way Avro Java parses.

Only what reader/writer resolution looks at is kept: kinds, names (short, full, reader
aliases), enum symbols and default, fixed size, record fields with their aliases and
whether they have a default. Logical types, ``doc``, ``order`` and custom properties are
dropped: the checker never reads them. Named types are shared nodes, so a recursive schema
is a cyclic graph; every other occurrence is a fresh node, as in Java, because the checker
memoises by node identity and that identity decides which locations it reports.

Parsing here is deliberately lenient (``contractctl.core.avro_schema`` is the validator):
a record without ``name`` is Java's anonymous record, unknown keys are ignored (the real
``namesapce`` typo), but an undefined name or a non-schema value is a ``SchemaParseError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from contractctl.core.errors import SchemaParseError

PRIMITIVES: Final = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)
NAMED_KINDS: Final = frozenset({"record", "enum", "fixed"})
# Nesting deeper than this is refused with a clear error instead of a RecursionError.
MAX_DEPTH: Final = 100


class Node:
    """One Avro schema: ``kind`` is the Avro type name (``"record"``, ``"int"``, ``"union"``…)."""

    __slots__ = (
        "aliases",
        "branches",
        "enum_default",
        "field_by_name",
        "fields",
        "fullname",
        "items",
        "kind",
        "name",
        "size",
        "symbols",
    )

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name: str | None = None  # unqualified; None for Java's anonymous record
        self.fullname: str | None = None
        self.aliases: frozenset[str] = frozenset()  # full names
        self.symbols: tuple[str, ...] = ()
        self.enum_default: str | None = None
        self.size: int = 0
        self.items: Node | None = None  # array items or map values
        self.branches: tuple[Node, ...] = ()
        self.fields: list[Field] = []
        self.field_by_name: dict[str, Field] = {}

    def __repr__(self) -> str:
        return f"Node({self.kind}{' ' + self.fullname if self.fullname else ''})"


class Field:
    """A record field: name, reader-side aliases, type and whether a ``default`` is declared."""

    __slots__ = ("aliases", "has_default", "name", "pos", "type")

    def __init__(
        self, name: str, pos: int, type_: Node, has_default: bool, aliases: tuple[str, ...]
    ) -> None:
        self.name = name
        self.pos = pos
        self.type = type_
        self.has_default = has_default
        self.aliases = aliases


def full_name(name: str, space: str | None) -> tuple[str, str | None, str]:
    """(short name, namespace, full name) of ``name`` in ``space``, like Java's ``Schema.Name``."""
    dot = name.rfind(".")
    if dot >= 0:
        space, name = name[:dot], name[dot + 1 :]
    if not space:
        return name, None, name
    return name, space, f"{space}.{name}"


class _Parser:
    def __init__(self, names: dict[str, Node]) -> None:
        self.names = names

    def parse(self, schema: object, space: str | None, pointer: str, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise SchemaParseError(
                f"Avro schema nests deeper than {MAX_DEPTH} levels at {pointer or '/'}"
            )
        if isinstance(schema, str):
            return self.reference(schema, space, pointer)
        if isinstance(schema, list):
            union = Node("union")
            union.branches = tuple(
                self.parse(b, space, f"{pointer}/{i}", depth + 1) for i, b in enumerate(schema)
            )
            return union
        if not isinstance(schema, dict):
            raise SchemaParseError(
                f"not an Avro schema at {pointer or '/'}: expected a type name, an object "
                f"or a union list, got {type(schema).__name__}"
            )
        kind = schema.get("type")
        if isinstance(kind, dict | list):  # lenient: {"type": {...}} wraps a schema
            return self.parse(kind, space, f"{pointer}/type", depth + 1)
        if not isinstance(kind, str):
            raise SchemaParseError(f"Avro schema at {pointer or '/'} has no string `type`")
        if kind in PRIMITIVES:
            return Node(kind)
        if kind in ("record", "error"):
            return self.record(schema, space, pointer, depth)
        if kind == "enum":
            node = self.named(Node("enum"), schema, space, pointer)
            symbols = schema.get("symbols")
            node.symbols = (
                tuple(s for s in symbols if isinstance(s, str)) if isinstance(symbols, list) else ()
            )
            default = schema.get("default")
            node.enum_default = default if isinstance(default, str) else None
            return node
        if kind == "fixed":
            node = self.named(Node("fixed"), schema, space, pointer)
            size = schema.get("size")
            if not isinstance(size, int) or isinstance(size, bool):
                raise SchemaParseError(f"fixed at {pointer or '/'} needs an integer `size`")
            node.size = size
            return node
        if kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            if key not in schema:
                raise SchemaParseError(f"{kind} at {pointer or '/'} has no `{key}`")
            node = Node(kind)
            node.items = self.parse(schema[key], space, f"{pointer}/{key}", depth + 1)
            return node
        return self.reference(kind, space, f"{pointer}/type")

    def reference(self, name: str, space: str | None, pointer: str) -> Node:
        if name in PRIMITIVES:
            return Node(name)
        found = self.names.get(full_name(name, space)[2]) or self.names.get(name)
        if found is None:
            raise SchemaParseError(f"undefined Avro type name `{name}` at {pointer or '/'}")
        return found

    def named(self, node: Node, schema: dict[str, object], space: str | None, pointer: str) -> Node:
        name = schema.get("name")
        if name is None and node.kind == "record":
            return node  # Java's anonymous record (Schema.createRecord(fields))
        if not isinstance(name, str) or not name:
            raise SchemaParseError(f"{node.kind} at {pointer or '/'} has no `name`")
        own_space = schema.get("namespace")
        short, ns, full = full_name(name, own_space if isinstance(own_space, str) else space)
        node.name, node.fullname = short, full
        aliases = schema.get("aliases")
        if isinstance(aliases, list):
            node.aliases = frozenset(full_name(a, ns)[2] for a in aliases if isinstance(a, str))
        self.names[full] = node
        return node

    def record(
        self, schema: dict[str, object], space: str | None, pointer: str, depth: int
    ) -> Node:
        node = self.named(Node("record"), schema, space, pointer)
        if node.fullname is not None:
            space = full_name(node.fullname, None)[1]
        fields = schema.get("fields")
        if not isinstance(fields, list):
            raise SchemaParseError(f"record at {pointer or '/'} has no `fields` list")
        for pos, raw in enumerate(fields):
            where = f"{pointer}/fields/{pos}"
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                raise SchemaParseError(f"record field at {where} needs a string `name`")
            if "type" not in raw:
                raise SchemaParseError(f"record field at {where} has no `type`")
            aliases = raw.get("aliases")
            field = Field(
                raw["name"],
                pos,
                self.parse(raw["type"], space, f"{where}/type", depth + 1),
                "default" in raw,
                tuple(a for a in aliases if isinstance(a, str))
                if isinstance(aliases, list)
                else (),
            )
            node.fields.append(field)
            node.field_by_name.setdefault(field.name, field)
        return node


def parse_schema(schema: object, *, named: Mapping[str, object] | None = None) -> Node:
    """Build the compatibility model of a parsed Avro schema.

    ``named`` holds named types defined in other files (full name → schema), as a schema
    registry's references do; they may refer to each other in any order.
    """
    names: dict[str, Node] = {}
    parser = _Parser(names)
    if named:
        _register_external(parser, named)
    return parser.parse(schema, None, "", 0)


def _register_external(parser: _Parser, named: Mapping[str, object]) -> None:
    pending = dict(named)
    while pending:
        progress = False
        errors: dict[str, SchemaParseError] = {}
        for key, schema in list(pending.items()):
            try:
                node = parser.parse(schema, None, "", 0)
            except SchemaParseError as exc:
                errors[key] = exc
                continue
            if node.fullname is not None:
                parser.names.setdefault(key, node)
            del pending[key]
            progress = True
        if not progress:
            key, first = next(iter(errors.items()))
            raise SchemaParseError(f"named type `{key}`: {first.message}")
