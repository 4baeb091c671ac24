"""The Avro schema model the compatibility check runs on, built the way Avro Java parses.

Only what reader/writer resolution looks at is kept: kinds, names (short, full, reader
aliases), enum symbols and default, fixed size, record fields with their aliases and
whether they have a default. Logical types, ``doc``, ``order`` and custom properties are
dropped: the checker never reads them. Named types are shared nodes, so a recursive schema
is a cyclic graph; every other occurrence is a fresh node, as in Java, because the checker
memoises by node identity and that identity decides which locations it reports.

Parsing here is deliberately lenient (``contractctl.core.schema.avro_schema`` is the validator):
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
    """One Avro schema: ``kind`` is the Avro type name (``"record"``, ``"int"``, ``"union"``…).

    Attributes not relevant to a kind keep their class-level defaults, which keeps parsing
    large schemas cheap. Primitive nodes are shared singletons (see ``PRIMITIVE_NODES``).
    """

    name: str | None = None  # unqualified; None for Java's anonymous record
    fullname: str | None = None
    aliases: frozenset[str] = frozenset()  # full names
    symbols: tuple[str, ...] = ()
    enum_default: str | None = None
    size: int = 0
    items: Node | None = None  # array items or map values
    branches: tuple[Node, ...] = ()
    fields: tuple[Field, ...] = ()
    field_by_name: Mapping[str, Field] = {}
    seq: int = -1  # definition order within its parse (named types)
    # A record's JSON when the record is self-contained (every name it uses is defined
    # inside it): two such records with equal JSON are isomorphic, hence compatible.
    raw: object = None
    # plain: no named type anywhere inside (primitives, and arrays/maps/unions of them);
    # leafy: a record whose fields are all plain.
    plain: bool = False
    leafy: bool = False
    # a record with a field typed by an enum with an enum default (see the checker's quirk)
    enum_default_field: bool = False

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.primitive = self.plain = kind in PRIMITIVES

    def __repr__(self) -> str:
        return f"Node({self.kind}{' ' + self.fullname if self.fullname else ''})"


# The checker never memoises a pair with a primitive side (each such pair is reached at
# most once, as in Java where every primitive occurrence is its own object), so primitive
# nodes can be shared.
PRIMITIVE_NODES: Final[Mapping[str, Node]] = {k: Node(k) for k in PRIMITIVES}


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


# Parse positions are parent-linked tuples, rendered as a JSON pointer only for errors.
_Ptr = tuple[object, "_Ptr"] | None


def _render(ptr: _Ptr) -> str:
    tokens: list[str] = []
    while ptr is not None:
        tokens.append(str(ptr[0]))
        ptr = ptr[1]
    return "/" + "/".join(reversed(tokens))


class _Parser:
    def __init__(self, names: dict[str, Node]) -> None:
        self.names = names
        self.seq = 0  # definition order of named types
        # [definition number, closed?] of every record being parsed, outermost first
        self.enclosing: list[list[int | bool]] = []

    def parse(self, schema: object, space: str | None, ptr: _Ptr, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise SchemaParseError(
                f"Avro schema nests deeper than {MAX_DEPTH} levels at {_render(ptr)}"
            )
        if isinstance(schema, str):
            prim = PRIMITIVE_NODES.get(schema)
            return prim if prim is not None else self.reference(schema, space, ptr)
        if isinstance(schema, list):
            union = Node("union")
            union.branches = tuple(
                PRIMITIVE_NODES.get(b) or self.parse(b, space, (i, ptr), depth + 1)
                if b.__class__ is str
                else self.parse(b, space, (i, ptr), depth + 1)
                for i, b in enumerate(schema)
            )
            union.plain = all(b.plain for b in union.branches)
            return union
        if not isinstance(schema, dict):
            raise SchemaParseError(
                f"not an Avro schema at {_render(ptr)}: expected a type name, an object "
                f"or a union list, got {type(schema).__name__}"
            )
        kind = schema.get("type")
        if isinstance(kind, str):
            prim = PRIMITIVE_NODES.get(kind)
            if prim is not None:
                return prim
        elif isinstance(kind, dict | list):  # lenient: {"type": {...}} wraps a schema
            return self.parse(kind, space, ("type", ptr), depth + 1)
        else:
            raise SchemaParseError(f"Avro schema at {_render(ptr)} has no string `type`")
        if kind in ("record", "error"):
            return self.record(schema, space, ptr, depth)
        if kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            if key not in schema:
                raise SchemaParseError(f"{kind} at {_render(ptr)} has no `{key}`")
            node = Node(kind)
            node.items = self.parse(schema[key], space, (key, ptr), depth + 1)
            node.plain = node.items.plain
            return node
        if kind == "enum":
            node = self.named(Node("enum"), schema, space, ptr)
            symbols = schema.get("symbols")
            if isinstance(symbols, list):
                node.symbols = tuple(s for s in symbols if isinstance(s, str))
            default = schema.get("default")
            node.enum_default = default if isinstance(default, str) else None
            return node
        if kind == "fixed":
            node = self.named(Node("fixed"), schema, space, ptr)
            size = schema.get("size")
            if not isinstance(size, int) or isinstance(size, bool):
                raise SchemaParseError(f"fixed at {_render(ptr)} needs an integer `size`")
            node.size = size
            return node
        return self.reference(kind, space, ("type", ptr))

    def reference(self, name: str, space: str | None, ptr: _Ptr) -> Node:
        if name in PRIMITIVES:
            return PRIMITIVE_NODES[name]
        found = self.names.get(full_name(name, space)[2]) or self.names.get(name)
        if found is None:
            raise SchemaParseError(f"undefined Avro type name `{name}` at {_render(ptr)}")
        # Records being parsed that began after `found` was defined now depend on the outside.
        for entry in reversed(self.enclosing):
            if entry[0] <= found.seq:
                break
            entry[1] = False
        return found

    def named(self, node: Node, schema: dict[str, object], space: str | None, ptr: _Ptr) -> Node:
        node.seq = self.seq
        self.seq += 1
        name = schema.get("name")
        if name is None and node.kind == "record":
            return node  # Java's anonymous record (Schema.createRecord(fields))
        if not isinstance(name, str) or not name:
            raise SchemaParseError(f"{node.kind} at {_render(ptr)} has no `name`")
        own_space = schema.get("namespace")
        short, ns, full = full_name(name, own_space if isinstance(own_space, str) else space)
        node.name, node.fullname = short, full
        aliases = schema.get("aliases")
        if isinstance(aliases, list):
            node.aliases = frozenset(full_name(a, ns)[2] for a in aliases if isinstance(a, str))
        self.names[full] = node
        return node

    def record(self, schema: dict[str, object], space: str | None, ptr: _Ptr, depth: int) -> Node:
        node = self.named(Node("record"), schema, space, ptr)
        if node.fullname is not None:
            space = full_name(node.fullname, None)[1]
        fields = schema.get("fields")
        if not isinstance(fields, list):
            raise SchemaParseError(f"record at {_render(ptr)} has no `fields` list")
        entry: list[int | bool] = [node.seq, True]
        self.enclosing.append(entry)
        parsed: list[Field] = []
        by_name: dict[str, Field] = {}
        fields_ptr: _Ptr = ("fields", ptr)
        leafy = closed = True
        prims, parse, append = PRIMITIVE_NODES, self.parse, parsed.append
        for pos, raw in enumerate(fields):
            if raw.__class__ is not dict and not isinstance(raw, dict):
                raise SchemaParseError(
                    f"record field at {_render((pos, fields_ptr))} is not an object"
                )
            name, ftype = raw.get("name"), raw.get("type")
            if name.__class__ is not str or ftype is None:
                what = "a string `name`" if name.__class__ is not str else "a `type`"
                raise SchemaParseError(f"record field at {_render((pos, fields_ptr))} needs {what}")
            # Most field types are primitives: resolve them without a call.
            if ftype.__class__ is str:
                type_ = prims.get(ftype)
            elif ftype.__class__ is dict:
                key = ftype.get("type")
                type_ = prims.get(key) if key.__class__ is str else None
            else:
                type_ = None
            if type_ is None:
                type_ = parse(ftype, space, ("type", (pos, fields_ptr)), depth + 1)
                leafy = leafy and type_.plain
                if type_.enum_default is not None:
                    node.enum_default_field = True
            aliases = _strings(raw["aliases"]) if "aliases" in raw else ()
            field = Field(name, pos, type_, "default" in raw, aliases)
            append(field)
            if aliases or name in by_name:
                closed = False  # alias/duplicate lookups must run: no shortcut
            if name not in by_name:
                by_name[name] = field
        if not closed:
            entry[1] = False
        self.enclosing.pop()
        node.fields, node.field_by_name = tuple(parsed), by_name
        node.leafy = leafy
        if entry[1]:
            node.raw = schema
        return node


def _strings(values: object) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()


def parse_schema(schema: object, *, named: Mapping[str, object] | None = None) -> Node:
    """Build the compatibility model of a parsed Avro schema.

    ``named`` holds named types defined in other files (full name → schema), as a schema
    registry's references do; they may refer to each other in any order.
    """
    names: dict[str, Node] = {}
    parser = _Parser(names)
    if named:
        _register_external(parser, named)
    return parser.parse(schema, None, None, 0)


def _register_external(parser: _Parser, named: Mapping[str, object]) -> None:
    pending = dict(named)
    while pending:
        progress = False
        errors: dict[str, SchemaParseError] = {}
        for key, schema in list(pending.items()):
            try:
                node = parser.parse(schema, None, None, 0)
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
