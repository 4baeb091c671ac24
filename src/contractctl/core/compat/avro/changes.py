"""Every structural change between two Avro schemas, compatible ones included.

Avro's resolution rules only report what fails; a changelog needs what happened: a field
added or removed (with or without a default), an enum symbol added or removed, a type
promoted or changed, a union branch added or removed, a rename, an alias, a doc, a default,
a logical type, a namespace. Fields are paired by name (or a new field's alias naming the
old one), union branches by their type name. Named types are compared once per pair of full
names, so recursive schemas end. ``path`` is a JSON pointer into the new schema; what exists
only in the old schema also carries ``old_path`` (a pointer into the old schema).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from contractctl.core.schema.avro_refs import defined_types

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
# Avro's promotions: writer type → reader types that read it.
_PROMOTES = {
    "int": {"long", "float", "double"},
    "long": {"float", "double"},
    "float": {"double"},
    "string": {"bytes"},
    "bytes": {"string"},
}


@dataclass(frozen=True, slots=True)
class Step:
    """One structural change: kind, where (new and old pointers), the values, the field."""

    kind: str
    path: str
    old_path: str
    old: object
    new: object
    field: str = ""


class _Side:
    def __init__(self, schema: Any, named: Mapping[str, Any] | None) -> None:
        self._schema = schema
        self._named = named
        self._types: dict[str, Any] | None = None

    @property
    def types(self) -> dict[str, Any]:
        # Made when a name is first looked up: schemas that define every type inline and
        # refer to none by name never need the table.
        if self._types is None:
            self._types = {}
            for name, definition in (self._named or {}).items():
                self._types.update(defined_types(definition))
                self._types.setdefault(name, definition)
            self._types.update(defined_types(self._schema))
        return self._types

    def resolve(self, schema: Any, space: str) -> tuple[Any, str]:
        """A type reference as its definition; a ``{"type": "int"}`` wrapper as ``"int"``."""
        if isinstance(schema, str) and schema not in PRIMITIVES:
            full = schema if "." in schema or not space else f"{space}.{schema}"
            types = self.types
            found = types.get(full, types.get(schema))
            if found is not None:
                return found, _space_of(found, space)
        kind = schema.get("type") if isinstance(schema, dict) else None
        if isinstance(kind, str) and kind in PRIMITIVES and len(schema) == 1:
            return kind, space
        if isinstance(kind, list | dict):
            return self.resolve(kind, space)  # {"type": [...]} is the union itself
        if isinstance(schema, dict) and schema.get("type") in ("record", "enum", "fixed", "error"):
            return schema, _space_of(schema, space)
        return schema, space


def _anonymous(schema: Any) -> bool:
    """Built of primitives, arrays, maps and unions only: no name defined or referred to, so
    two equal such types have no change between them, whatever the schemas around them."""
    if isinstance(schema, str):
        return schema in PRIMITIVES
    if isinstance(schema, list):
        return all(_anonymous(branch) for branch in schema)
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "array":
            return _anonymous(schema.get("items"))
        if kind == "map":
            return _anonymous(schema.get("values"))
        return isinstance(kind, str) and kind in PRIMITIVES
    return False


def _space_of(schema: Any, space: str) -> str:
    if not isinstance(schema, dict):
        return space
    name = str(schema.get("name", ""))
    if "." in name:
        return name.rpartition(".")[0]
    ns = schema.get("namespace")
    return ns if isinstance(ns, str) else space


def _kind(schema: Any) -> str:
    if isinstance(schema, list):
        return "union"
    if isinstance(schema, str):
        return schema
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, str):
            return "record" if kind == "error" else kind
        return _kind(kind)
    return "?"


def _full(schema: Any, space: str) -> str | None:
    if not isinstance(schema, dict) or not isinstance(schema.get("name"), str):
        return None
    name: str = schema["name"]
    return name if "." in name or not space else f"{space}.{name}"


def _branch_key(schema: Any, side: _Side, space: str) -> str:
    resolved, inner = side.resolve(schema, space)
    return _full(resolved, inner) or _kind(resolved)


def _label(schema: Any, side: _Side, space: str) -> str:
    resolved, inner = side.resolve(schema, space)
    full = _full(resolved, inner)
    return f"{_kind(resolved)} `{full}`" if full else _kind(resolved)


class _Walk:
    def __init__(self, old: Any, new: Any, named: Mapping[str, Any] | None) -> None:
        self.o = _Side(old, named)
        self.n = _Side(new, named)
        self.done: set[tuple[str, str]] = set()

    def run(self, old: Any, new: Any) -> Iterator[Step]:
        yield from self.node(old, new, "", "", "", "", "")

    def node(
        self, old: Any, new: Any, op: str, np: str, ospace: str, nspace: str, field: str
    ) -> Iterator[Step]:
        old, ospace = self.o.resolve(old, ospace)
        new, nspace = self.n.resolve(new, nspace)
        ok, nk = _kind(old), _kind(new)
        if ok == "union" or nk == "union":
            yield from self.union(old, new, op, np, ospace, nspace, field)
            return
        if ok != nk:
            promoted = nk in _PROMOTES.get(ok, set())
            kind = "AVRO_TYPE_PROMOTED" if promoted else "AVRO_TYPE_CHANGED"
            yield Step(
                kind, np, op, _label(old, self.o, ospace), _label(new, self.n, nspace), field
            )
            return
        if isinstance(old, dict) and isinstance(new, dict):
            yield from self.annotations(old, new, op, np, ospace, nspace, field)
        if ok in ("record", "enum", "fixed"):
            key = (_full(old, ospace) or "", _full(new, nspace) or "")
            if key in self.done:
                return
            self.done.add(key)
        if ok == "record":
            yield from self.record(old, new, op, np, ospace, nspace, field)
        elif ok == "enum":
            yield from self.enum(old, new, op, np, field)
        elif ok == "fixed" and old.get("size") != new.get("size"):
            yield Step(
                "AVRO_FIXED_SIZE_CHANGED",
                np + "/size",
                op + "/size",
                old.get("size"),
                new.get("size"),
                field,
            )
        elif ok in ("array", "map"):
            token = "items" if ok == "array" else "values"
            yield from self.node(
                old.get(token),
                new.get(token),
                f"{op}/{token}",
                f"{np}/{token}",
                ospace,
                nspace,
                field,
            )

    def annotations(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        op: str,
        np: str,
        ospace: str,
        nspace: str,
        field: str,
    ) -> Iterator[Step]:
        if old.get("logicalType") != new.get("logicalType"):
            yield Step(
                "AVRO_LOGICAL_TYPE_CHANGED",
                np,
                op,
                old.get("logicalType"),
                new.get("logicalType"),
                field,
            )
        if "name" not in old or "name" not in new:
            return
        old_full, new_full = _full(old, ospace), _full(new, nspace)
        if old_full != new_full:
            old_short = (old_full or "").rpartition(".")[2]
            new_short = (new_full or "").rpartition(".")[2]
            kind = "AVRO_NAMESPACE_CHANGED" if old_short == new_short else "AVRO_NAME_CHANGED"
            yield Step(kind, np + "/name", op + "/name", old_full, new_full, field)
        for key, kind in (("aliases", "AVRO_ALIASES_CHANGED"), ("doc", "AVRO_DOC_CHANGED")):
            if old.get(key) != new.get(key):
                yield Step(kind, f"{np}/{key}", f"{op}/{key}", old.get(key), new.get(key), field)

    def record(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        op: str,
        np: str,
        ospace: str,
        nspace: str,
        field: str,
    ) -> Iterator[Step]:
        old_fields = [f for f in old.get("fields") or [] if isinstance(f, dict)]
        new_fields = [f for f in new.get("fields") or [] if isinstance(f, dict)]
        by_name = {f.get("name"): i for i, f in enumerate(old_fields)}
        matched: set[int] = set()
        prefix = f"{field}." if field else ""
        for j, nf in enumerate(new_fields):
            name = str(nf.get("name"))
            at = f"{np}/fields/{j}"
            i = by_name.get(name)
            renamed = False
            if i is None:
                for alias in nf.get("aliases") or []:
                    if alias in by_name and by_name[alias] not in matched:
                        i, renamed = by_name[alias], True
                        break
            if i is None or i in matched:
                kind = "WITH" if "default" in nf else "WITHOUT"
                yield Step(
                    f"AVRO_FIELD_ADDED_{kind}_DEFAULT",
                    at,
                    f"{op}/fields",
                    None,
                    name,
                    prefix + name,
                )
                continue
            matched.add(i)
            of = old_fields[i]
            if not renamed and of == nf and _anonymous(nf.get("type")):
                continue  # the same field of the same unnamed type: nothing changed in it
            was = f"{op}/fields/{i}"
            if renamed:
                yield Step(
                    "AVRO_FIELD_RENAMED",
                    at + "/name",
                    was + "/name",
                    of.get("name"),
                    name,
                    prefix + name,
                )
            yield from self.field(of, nf, was, at, ospace, nspace, prefix + name)
        for i, of in enumerate(old_fields):
            if i not in matched:
                name = str(of.get("name"))
                kind = "WITH" if "default" in of else "WITHOUT"
                yield Step(
                    f"AVRO_FIELD_REMOVED_{kind}_DEFAULT",
                    f"{np}/fields",
                    f"{op}/fields/{i}",
                    name,
                    None,
                    prefix + name,
                )

    def field(
        self,
        of: dict[str, Any],
        nf: dict[str, Any],
        op: str,
        np: str,
        ospace: str,
        nspace: str,
        name: str,
    ) -> Iterator[Step]:
        if of.get("default", _ABSENT) != nf.get("default", _ABSENT):
            yield Step(
                "AVRO_DEFAULT_CHANGED",
                np + "/default",
                op + "/default",
                of.get("default"),
                nf.get("default"),
                name,
            )
        for key, kind in (("aliases", "AVRO_ALIASES_CHANGED"), ("doc", "AVRO_DOC_CHANGED")):
            if of.get(key) != nf.get(key):
                yield Step(kind, f"{np}/{key}", f"{op}/{key}", of.get(key), nf.get(key), name)
        yield from self.node(
            of.get("type"), nf.get("type"), op + "/type", np + "/type", ospace, nspace, name
        )

    def enum(
        self, old: dict[str, Any], new: dict[str, Any], op: str, np: str, field: str
    ) -> Iterator[Step]:
        old_symbols = [s for s in old.get("symbols") or [] if isinstance(s, str)]
        new_symbols = [s for s in new.get("symbols") or [] if isinstance(s, str)]
        for symbol in new_symbols:
            if symbol not in old_symbols:
                yield Step(
                    "AVRO_ENUM_SYMBOL_ADDED", np + "/symbols", op + "/symbols", None, symbol, field
                )
        for symbol in old_symbols:
            if symbol not in new_symbols:
                yield Step(
                    "AVRO_ENUM_SYMBOL_REMOVED",
                    np + "/symbols",
                    op + "/symbols",
                    symbol,
                    None,
                    field,
                )
        if old.get("default") != new.get("default"):
            yield Step(
                "AVRO_DEFAULT_CHANGED",
                np + "/default",
                op + "/default",
                old.get("default"),
                new.get("default"),
                field,
            )

    def union(
        self, old: Any, new: Any, op: str, np: str, ospace: str, nspace: str, field: str
    ) -> Iterator[Step]:
        # A non-union side counts as a one-branch union: T → ["null", T] adds a branch.
        old_branches = old if isinstance(old, list) else [old]
        new_branches = new if isinstance(new, list) else [new]
        old_keys = {_branch_key(b, self.o, ospace): i for i, b in enumerate(old_branches)}
        new_keys = {_branch_key(b, self.n, nspace): j for j, b in enumerate(new_branches)}

        def at(base: str, side: Any, index: int) -> str:
            return f"{base}/{index}" if isinstance(side, list) else base

        for key, j in new_keys.items():
            i = old_keys.get(key)
            if i is None:
                yield Step(
                    "AVRO_UNION_BRANCH_ADDED",
                    at(np, new, j),
                    op,
                    None,
                    _label(new_branches[j], self.n, nspace),
                    field,
                )
            else:
                yield from self.node(
                    old_branches[i],
                    new_branches[j],
                    at(op, old, i),
                    at(np, new, j),
                    ospace,
                    nspace,
                    field,
                )
        for key, i in old_keys.items():
            if key not in new_keys:
                yield Step(
                    "AVRO_UNION_BRANCH_REMOVED",
                    np,
                    at(op, old, i),
                    _label(old_branches[i], self.o, ospace),
                    None,
                    field,
                )


_ABSENT = object()


def structural_changes(old: Any, new: Any, named: Mapping[str, Any] | None = None) -> list[Step]:
    """Every change from ``old`` to ``new`` (parsed Avro JSON), in schema order."""
    return list(_Walk(old, new, named).run(old, new))
