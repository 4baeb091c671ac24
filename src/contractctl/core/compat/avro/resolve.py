"""Avro reader/writer resolution: Apache Avro Java ``SchemaCompatibility``, step for step.

``Checker.check(reader, writer)`` returns every incompatibility, in Java's order and with
Java's JSON-pointer locations. Two details of the Java checker are kept on purpose because
they decide what a user sees:

* results are memoised per (reader node, writer node) identity, and a pair already in
  progress counts as compatible (that is what terminates recursive types);
* a union branch is tried with a *fresh* location stack, so only the union-level
  ``MISSING_UNION_BRANCH`` carries the outer location, and a memoised pair reused later
  reports the location it was first found at, exactly as Java does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from contractctl.core.compat.avro.model import MAX_DEPTH, PRIMITIVES, Field, Node
from contractctl.core.errors import SchemaParseError

# Writer kinds each reader kind accepts besides its own (Avro spec "schema resolution").
PROMOTIONS: Final[dict[str, frozenset[str]]] = {
    "long": frozenset({"int"}),
    "float": frozenset({"int", "long"}),
    "double": frozenset({"int", "long", "float"}),
    "bytes": frozenset({"string"}),
    "string": frozenset({"bytes"}),
}

NAME_MISMATCH: Final = "NAME_MISMATCH"
FIXED_SIZE_MISMATCH: Final = "FIXED_SIZE_MISMATCH"
MISSING_ENUM_SYMBOLS: Final = "MISSING_ENUM_SYMBOLS"
READER_FIELD_MISSING_DEFAULT_VALUE: Final = "READER_FIELD_MISSING_DEFAULT_VALUE"
TYPE_MISMATCH: Final = "TYPE_MISMATCH"
MISSING_UNION_BRANCH: Final = "MISSING_UNION_BRANCH"


@dataclass(frozen=True, slots=True)
class Incompatibility:
    """One Java ``Incompatibility``: kind, location, the two fragments, and the field it is in.

    ``old``/``new`` are the writer/reader values the kind is about (names, sizes, symbol
    lists, type names, the missing field's name); ``field`` is the dotted reader field path
    for messages, empty at the top level.
    """

    kind: str
    location: str
    old: object
    new: object
    field: str


_Result = list[Incompatibility]
_IN_PROGRESS: Final[_Result] = []


def _pointer(stack: list[str]) -> str:
    # Java: the root token "" is skipped, each token is JSON-pointer escaped.
    return "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in stack[1:])


def describe(node: Node) -> str:
    """A short human name of a schema: ``int``, ``record Foo``, ``array``, ``union``."""
    if node.fullname is not None:
        return f"{node.kind} `{node.fullname}`"
    return node.kind


class Checker:
    """One reader/writer check with its memo table (Java's ``ReaderWriterCompatibilityChecker``)."""

    __slots__ = ("_depth", "_fields", "_memo")

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], _Result] = {}
        self._fields: list[str] = []
        self._depth = 0

    def check(self, reader: Node, writer: Node) -> list[Incompatibility]:
        return list(self._get(reader, writer, "", []))

    def _get(self, reader: Node, writer: Node, token: str, stack: list[str]) -> _Result:
        stack.append(token)
        key = (id(reader), id(writer))
        result = self._memo.get(key)
        if result is None:
            self._depth += 1
            if self._depth > 2 * MAX_DEPTH:
                raise SchemaParseError(
                    f"Avro schemas nest too deeply to compare (at {_pointer(stack)})"
                )
            self._memo[key] = _IN_PROGRESS
            result = self._calculate(reader, writer, stack)
            self._memo[key] = result
            self._depth -= 1
        stack.pop()
        # An in-progress pair is compatible unless proven otherwise.
        return result

    def _fresh(self, reader: Node, writer: Node) -> _Result:
        # Java's two-argument getCompatibility: same memo, new location stack.
        return self._get(reader, writer, "", [])

    def _issue(self, kind: str, stack: list[str], old: object, new: object) -> Incompatibility:
        return Incompatibility(kind, _pointer(stack), old, new, ".".join(self._fields))

    def _calculate(self, reader: Node, writer: Node, stack: list[str]) -> _Result:
        rk, wk = reader.kind, writer.kind
        if rk == wk:
            if rk in PRIMITIVES:
                return []
            if rk in ("array", "map"):
                assert reader.items is not None
                assert writer.items is not None
                token = "items" if rk == "array" else "values"
                return list(self._get(reader.items, writer.items, token, stack))
            if rk == "union":
                return self._writer_union(reader, writer, stack)
            result = self._names(reader, writer, stack)
            if rk == "fixed":
                if reader.size != writer.size:
                    stack.append("size")
                    result.append(self._issue(FIXED_SIZE_MISMATCH, stack, writer.size, reader.size))
                    stack.pop()
                return result
            if rk == "enum":
                missing = set(writer.symbols).difference(reader.symbols)
                default = reader.enum_default
                if missing and not (default is not None and default in reader.symbols):
                    stack.append("symbols")
                    result.append(
                        self._issue(
                            MISSING_ENUM_SYMBOLS, stack, list(writer.symbols), list(reader.symbols)
                        )
                    )
                    stack.pop()
                return result
            result.extend(self._fields_of(reader, writer, stack))
            return result

        if wk == "union":
            # Every writer branch must be readable by this (non-union) reader.
            result = []
            for i, branch in enumerate(writer.branches):
                result.extend(self._get(reader, branch, str(i), stack))
            return result
        if rk == "union":
            for branch in reader.branches:
                if not self._fresh(branch, writer):
                    return []
            return [
                self._issue(
                    MISSING_UNION_BRANCH, stack, describe(writer), [b.kind for b in reader.branches]
                )
            ]
        promoted = PROMOTIONS.get(rk)
        if promoted is not None and wk in promoted:
            return []
        return [self._issue(TYPE_MISMATCH, stack, describe(writer), describe(reader))]

    def _writer_union(self, reader: Node, writer: Node, stack: list[str]) -> _Result:
        result: _Result = []
        for i, branch in enumerate(writer.branches):
            if self._fresh(reader, branch):
                stack.append(str(i))
                result.append(
                    self._issue(
                        MISSING_UNION_BRANCH,
                        stack,
                        describe(branch),
                        [b.kind for b in reader.branches],
                    )
                )
                stack.pop()
        return result

    def _names(self, reader: Node, writer: Node, stack: list[str]) -> _Result:
        # Unqualified names are compared; the reader's aliases may name the writer's full name.
        if reader.name == writer.name or (
            writer.fullname is not None and writer.fullname in reader.aliases
        ):
            return []
        stack.append("name")
        issue = self._issue(NAME_MISMATCH, stack, writer.fullname, reader.fullname)
        stack.pop()
        return [issue]

    def _fields_of(self, reader: Node, writer: Node, stack: list[str]) -> _Result:
        result: _Result = []
        stack.append("fields")
        for field in reader.fields:
            stack.append(str(field.pos))
            self._fields.append(field.name)
            found = _writer_field(writer, field)
            if found is not None:
                result.extend(self._get(field.type, found.type, "type", stack))
            elif not field.has_default:
                ftype = field.type
                if ftype.kind == "enum" and ftype.enum_default is not None:
                    # Java quirk: re-checked as the enum against the writer *record*.
                    result.extend(self._get(ftype, writer, "type", stack))
                else:
                    result.append(
                        self._issue(READER_FIELD_MISSING_DEFAULT_VALUE, stack, None, field.name)
                    )
            self._fields.pop()
            stack.pop()
        stack.pop()
        return result


def _writer_field(writer: Node, field: Field) -> Field | None:
    found = [f for f in (writer.field_by_name.get(n) for n in (field.name, *field.aliases)) if f]
    if len(found) > 1:
        raise SchemaParseError(
            f"reader field `{field.name}` matches several fields of writer record "
            f"`{writer.fullname}` through its aliases"
        )
    return found[0] if found else None
