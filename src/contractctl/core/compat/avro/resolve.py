"""Avro reader/writer resolution: Apache Avro Java ``SchemaCompatibility``, step for step.

``Checker.check(reader, writer)`` returns every incompatibility, in Java's order and with
Java's JSON-pointer locations. Two details of the Java checker are kept on purpose because
they decide what a user sees:

* results are memoised per (reader node, writer node) identity, and a pair already in
  progress counts as compatible (that is what terminates recursive types);
* a union branch is tried with a *fresh* location, so only the union-level
  ``MISSING_UNION_BRANCH`` carries the outer location, and a memoised pair reused later
  reports the location it was first found at, exactly as Java does.

Pairs with a primitive side skip the memo: in Java each primitive occurrence is its own
object with one parent, so such a pair is reached at most once and memoising it changes
nothing; here primitives are shared nodes, and skipping the memo keeps them exact.
A union trial of two records whose names differ, one of them *leafy* (no named type in any
field), is answered "no" without comparing fields: Java compares them anyway, but every
pair that work reaches has a side that belongs to the leafy record alone, so no other pair
can reach its memo entry, and the trial only uses the yes/no. (A reader field typed by an
enum with a default is the exception: Java then compares that enum with the writer record
itself, so such a reader only qualifies when it is leafy.) If the same pair is later needed
in full, it is computed then, at the location Java used.
Locations are parent-linked tuples ``(token, parent, field name)``, turned into pointers
only for the incompatibilities that are returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from contractctl.core.compat.avro.model import MAX_DEPTH, PRIMITIVE_NODES, Field, Node
from contractctl.core.errors import SchemaParseError

# Writer kinds each reader kind accepts besides its own (Avro spec "schema resolution").
PROMOTIONS: Final[dict[str, frozenset[str]]] = {
    "long": frozenset({"int"}),
    "float": frozenset({"int", "long"}),
    "double": frozenset({"int", "long", "float"}),
    "bytes": frozenset({"string"}),
    "string": frozenset({"bytes"}),
}
_NO_PROMOTION: Final[frozenset[str]] = frozenset()

NAME_MISMATCH: Final = "NAME_MISMATCH"
FIXED_SIZE_MISMATCH: Final = "FIXED_SIZE_MISMATCH"
MISSING_ENUM_SYMBOLS: Final = "MISSING_ENUM_SYMBOLS"
READER_FIELD_MISSING_DEFAULT_VALUE: Final = "READER_FIELD_MISSING_DEFAULT_VALUE"
TYPE_MISMATCH: Final = "TYPE_MISMATCH"
MISSING_UNION_BRANCH: Final = "MISSING_UNION_BRANCH"

# (token, parent, reader field name or None); the root is ("", None, None).
_Loc = tuple[str, "_Loc | None", str | None]
# (kind, location, writer fragment, reader fragment)
_Raw = tuple[str, _Loc, Node, Node]
_Result = list[_Raw]
_IN_PROGRESS: Final[_Result] = []
_ROOT: Final[_Loc] = ("", None, None)
# Stands for a union trial's "no": never merged into a result, only tested for emptiness.
_NAMES_DIFFER: Final[_Result] = [
    (NAME_MISMATCH, _ROOT, PRIMITIVE_NODES["null"], PRIMITIVE_NODES["null"])
]


@dataclass(frozen=True, slots=True)
class Incompatibility:
    """One Java ``Incompatibility``: kind, location, the values at issue, the field it is in.

    ``old``/``new`` are the writer/reader values the kind is about: full names (NAME),
    sizes (FIXED), symbol lists (ENUM), type descriptions (TYPE, UNION: ``new`` lists the
    reader's branch kinds), the missing field's name (READER_FIELD). ``field`` is the dotted
    reader field path for messages, empty at the top level.
    """

    kind: str
    location: str
    old: object
    new: object
    field: str


def describe(node: Node) -> str:
    """A short human name of a schema: ``int``, ``record `ns.Foo```, ``array``, ``union``."""
    if node.fullname is not None:
        return f"{node.kind} `{node.fullname}`"
    return node.kind


def _finish(raw: _Raw) -> Incompatibility:
    kind, loc, writer, reader = raw
    tokens: list[str] = []
    fields: list[str] = []
    at: _Loc | None = loc
    while at is not None:
        tokens.append(at[0])
        if at[2] is not None:
            fields.append(at[2])
        at = at[1]
    tokens.reverse()
    fields.reverse()
    # Java skips the root token "" and escapes each token as a JSON pointer.
    pointer = "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens[1:])
    old: object
    new: object
    if kind == NAME_MISMATCH:
        old, new = writer.fullname, reader.fullname
    elif kind == FIXED_SIZE_MISMATCH:
        old, new = writer.size, reader.size
    elif kind == MISSING_ENUM_SYMBOLS:
        old, new = list(writer.symbols), list(reader.symbols)
    elif kind == READER_FIELD_MISSING_DEFAULT_VALUE:
        old, new = None, fields[-1]
    elif kind == MISSING_UNION_BRANCH:
        old, new = describe(writer), [b.kind for b in reader.branches]
    else:
        old, new = describe(writer), describe(reader)
    return Incompatibility(kind, pointer, old, new, ".".join(fields))


class Checker:
    """One reader/writer check with its memo table (Java's ``ReaderWriterCompatibilityChecker``)."""

    __slots__ = ("_deferred", "_depth", "_memo")

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], _Result] = {}
        self._deferred: dict[tuple[int, int], _Loc] = {}  # trial-only pairs, see module doc
        self._depth = 0

    def check(self, reader: Node, writer: Node) -> list[Incompatibility]:
        return [_finish(raw) for raw in self._get(reader, writer, _ROOT)]

    def _get(self, reader: Node, writer: Node, loc: _Loc, trial: bool = False) -> _Result:
        if reader.primitive or writer.primitive:
            return self._calculate(reader, writer, loc)
        key = (id(reader), id(writer))
        result = self._memo.get(key)
        if result is None:
            if (
                (reader.leafy or (writer.leafy and not reader.enum_default_field))
                and reader.kind == writer.kind == "record"
                and not _same_name(reader, writer)
            ):
                if trial:
                    self._deferred.setdefault(key, loc)
                    return _NAMES_DIFFER
                loc = self._deferred.pop(key, loc)
            self._depth += 1
            if self._depth > 2 * MAX_DEPTH:
                raise SchemaParseError("Avro schemas nest too deeply to compare")
            self._memo[key] = _IN_PROGRESS  # an in-progress pair counts as compatible
            result = self._calculate(reader, writer, loc)
            self._memo[key] = result
            self._depth -= 1
        return result

    def _calculate(self, reader: Node, writer: Node, loc: _Loc) -> _Result:
        rk, wk = reader.kind, writer.kind
        if rk == wk:
            if reader.primitive:
                return []
            if rk == "record":
                if reader.raw is not None and reader.raw == writer.raw:
                    return []  # equal self-contained records: reading is the identity
                result = self._names(reader, writer, loc)
                result.extend(self._fields_of(reader, writer, loc))
                return result
            if rk == "union":
                return self._writer_union(reader, writer, loc)
            if rk in ("array", "map"):
                token = "items" if rk == "array" else "values"
                assert reader.items is not None
                assert writer.items is not None
                return list(self._get(reader.items, writer.items, (token, loc, None)))
            result = self._names(reader, writer, loc)
            if rk == "fixed":
                if reader.size != writer.size:
                    result.append((FIXED_SIZE_MISMATCH, ("size", loc, None), writer, reader))
                return result
            # enum: a reader `default` symbol absorbs unknown writer symbols
            if not set(writer.symbols).issubset(reader.symbols) and not (
                reader.enum_default is not None and reader.enum_default in reader.symbols
            ):
                result.append((MISSING_ENUM_SYMBOLS, ("symbols", loc, None), writer, reader))
            return result

        if wk == "union":
            # Every writer branch must be readable by this (non-union) reader.
            result = []
            for i, branch in enumerate(writer.branches):
                result.extend(self._get(reader, branch, (str(i), loc, None)))
            return result
        if rk == "union":
            for branch in reader.branches:
                if not self._get(branch, writer, _ROOT, trial=True):  # Java: fresh location
                    return []
            return [(MISSING_UNION_BRANCH, loc, writer, reader)]
        if wk in PROMOTIONS.get(rk, _NO_PROMOTION):
            return []
        return [(TYPE_MISMATCH, loc, writer, reader)]

    def _writer_union(self, reader: Node, writer: Node, loc: _Loc) -> _Result:
        result: _Result = []
        for i, branch in enumerate(writer.branches):
            if self._get(reader, branch, _ROOT, trial=True):  # Java: fresh location
                result.append((MISSING_UNION_BRANCH, (str(i), loc, None), branch, reader))
        return result

    def _names(self, reader: Node, writer: Node, loc: _Loc) -> _Result:
        if _same_name(reader, writer):
            return []
        return [(NAME_MISMATCH, ("name", loc, None), writer, reader)]

    def _fields_of(self, reader: Node, writer: Node, loc: _Loc) -> _Result:
        result: _Result = []
        fields_loc: _Loc = ("fields", loc, None)
        by_name = writer.field_by_name
        for field in reader.fields:
            found = by_name.get(field.name) if not field.aliases else _writer_field(writer, field)
            if found is not None:
                rtype, wtype = field.type, found.type
                if rtype is wtype and rtype.primitive:
                    continue  # the common case, decided without building a location
                type_loc: _Loc = ("type", (str(field.pos), fields_loc, field.name), None)
                result.extend(self._get(rtype, wtype, type_loc))
            elif not field.has_default:
                ftype = field.type
                field_loc: _Loc = (str(field.pos), fields_loc, field.name)
                if ftype.kind == "enum" and ftype.enum_default is not None:
                    # Java quirk: re-checked as the enum against the writer *record*.
                    result.extend(self._get(ftype, writer, ("type", field_loc, None)))
                else:
                    result.append((READER_FIELD_MISSING_DEFAULT_VALUE, field_loc, writer, reader))
        return result


def _same_name(reader: Node, writer: Node) -> bool:
    # Unqualified names are compared; the reader's aliases may name the writer's full name.
    return reader.name == writer.name or (
        writer.fullname is not None and writer.fullname in reader.aliases
    )


def _writer_field(writer: Node, field: Field) -> Field | None:
    by_name = writer.field_by_name
    found = [f for f in (by_name.get(n) for n in (field.name, *field.aliases)) if f is not None]
    if len(found) > 1:
        raise SchemaParseError(
            f"reader field `{field.name}` matches several fields of writer record "
            f"`{writer.fullname}` through its aliases"
        )
    return found[0] if found else None
