"""Avro → the codegen IR: records become classes, enums and fixed become aliases."""

from __future__ import annotations

from typing import Any

from contractctl.core.codegen import naming
from contractctl.core.codegen.ir import AliasSpec, ClassSpec, FieldSpec, ModuleSpec
from contractctl.core.codegen.jsonschema import _py, rt
from contractctl.core.codegen.pyexpr import Expr, atom, call, kw, sub, union
from contractctl.core.errors import SchemaParseError

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_PRIMITIVES = {
    "null": atom("None"),
    "boolean": atom("StrictBool"),
    "string": atom("StrictStr"),
    "bytes": atom("StrictBytes"),
    "float": rt("Number"),
    "double": rt("Number"),
}
_LOGICAL = {
    ("string", "uuid"): "Uuid",
    ("int", "date"): "AvroDate",
    ("int", "time-millis"): "TimeMillis",
    ("long", "time-micros"): "TimeMicros",
    ("long", "timestamp-millis"): "TimestampMillis",
    ("long", "timestamp-micros"): "TimestampMicros",
    ("long", "local-timestamp-millis"): "TimestampMillis",
    ("long", "local-timestamp-micros"): "TimestampMicros",
}


class AvroTranslator:
    def __init__(
        self, module: ModuleSpec, external: dict[str, tuple[tuple[str, ...], str]] | None = None
    ) -> None:
        self.module = module
        self.external = external or {}  # full name -> (shared module path, Python name)
        self.names = naming.Names()
        self.named: dict[str, str] = {}  # Avro full name -> Python name
        self.short: dict[str, list[str]] = {}

    def translate_named(self, schema: Any) -> dict[str, str]:
        """Declare every named type in a reference file; full name → Python name."""
        self._collect(schema, None)
        self.type_of(schema, None)
        return dict(self.named)

    def translate_root(self, schema: Any, event: str) -> str:
        self._collect(schema, None)
        root = self.type_of(schema, None)
        if not (isinstance(schema, dict) and schema.get("type") == "record"):
            raise SchemaParseError(f"{event}: an Avro event schema must be a record")
        return root.head

    # Every named type gets its Python name first, so recursive and forward references work
    # and two records with one short name in different namespaces stay apart.
    def _collect(self, schema: Any, namespace: str | None) -> None:
        if isinstance(schema, list):
            for s in schema:
                self._collect(s, namespace)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in ("record", "error", "enum", "fixed"):
                full = _full_name(schema, namespace)
                self.short.setdefault(full.rsplit(".", 1)[-1], []).append(full)
                namespace = full.rpartition(".")[0] or None
                for f in schema.get("fields", []) if kind != "enum" else []:
                    self._collect(f.get("type"), namespace)
            elif kind in ("array", "map"):
                self._collect(schema.get("items", schema.get("values")), namespace)

    def _py_name(self, full: str) -> str:
        short = full.rsplit(".", 1)[-1]
        wanted = short if len(self.short.get(short, [])) <= 1 else full
        return self.names.claim(naming.class_name(wanted))

    def type_of(self, schema: Any, namespace: str | None) -> Expr:
        if isinstance(schema, list):
            return union(*(self.type_of(s, namespace) for s in schema))
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return _PRIMITIVES[schema]
            if schema in ("int", "long"):
                return _int(schema)
            full = schema if "." in schema or not namespace else f"{namespace}.{schema}"
            name = self.named.get(full) or self.named.get(schema)
            shared = self.external.get(full) or self.external.get(schema)
            if name is None and shared is not None:
                local = (
                    shared[1] if shared[1] not in self.names.taken else self.names.claim(shared[1])
                )
                self.names.taken.add(local)
                self.module.shared.add((shared[0], shared[1], local))
                return atom(local)
            if name is None:
                raise SchemaParseError(f"unknown Avro type {schema!r}")
            return atom(name)
        if not isinstance(schema, dict):
            raise SchemaParseError(f"not an Avro schema: {schema!r}")
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if isinstance(logical, str):
            if (str(kind), logical) in _LOGICAL:
                return rt(_LOGICAL[(str(kind), logical)])
            if logical == "decimal" and kind in ("bytes", "fixed"):
                if kind == "fixed":
                    self._named(schema, namespace)  # register the name for later references
                args = [kw("max_digits", atom(str(schema.get("precision"))))]
                args.append(kw("decimal_places", atom(str(schema.get("scale", 0)))))
                return sub("Annotated", atom("_decimal.Decimal"), call("Field", *args))
        if kind in ("record", "error", "enum", "fixed"):
            return atom(self._named(schema, namespace))
        if kind == "array":
            return sub("list", self.type_of(schema.get("items"), namespace))
        if kind == "map":
            return sub("dict", atom("str"), self.type_of(schema.get("values"), namespace))
        if isinstance(kind, str | list | dict):
            return self.type_of(kind, namespace)
        raise SchemaParseError(f"not an Avro schema: {schema!r}")

    def _named(self, schema: dict[str, Any], namespace: str | None) -> str:
        full = _full_name(schema, namespace)
        if full in self.named:
            return self.named[full]
        name = self._py_name(full)
        self.named[full] = name
        kind = schema["type"]
        doc = schema.get("doc") if isinstance(schema.get("doc"), str) else None
        doc = " ".join(doc.split()) if doc else None
        if kind == "enum":
            symbols = [atom(_py(s)) for s in schema.get("symbols", [])]
            self.module.aliases.append(AliasSpec(name, sub("Literal", *symbols), doc))
        elif kind == "fixed":
            size = atom(str(schema.get("size")))
            bounds = call("Field", kw("min_length", size), kw("max_length", size))
            self.module.aliases.append(
                AliasSpec(name, sub("Annotated", atom("StrictBytes"), bounds), doc)
            )
        else:
            self._record(name, schema, full.rpartition(".")[0] or None, doc)
        return name

    def _record(self, name: str, schema: dict[str, Any], ns: str | None, doc: str | None) -> None:
        spec = ClassSpec(name=name, extra="forbid", description=doc, pointer=name)
        self.module.classes.append(spec)
        names = naming.Names({"model_config"})
        for f in schema.get("fields", []):
            ann = self.type_of(f.get("type"), ns)
            field = FieldSpec(names.claim(naming.field_name(f["name"])), f["name"], ann, True)
            if "default" in f:
                default = _default(f["default"], f.get("type"))
                if default is not None:
                    field.required, field.default = False, default
            spec.fields.append(field)


def _int(kind: str) -> Expr:
    low, high = _INT32 if kind == "int" else _INT64
    return sub(
        "Annotated", rt("Int"), call("Field", kw("ge", atom(str(low))), kw("le", atom(str(high))))
    )


def _default(value: Any, schema: Any) -> str | None:
    """Python source for an Avro default (which matches the union's first branch)."""
    first = schema[0] if isinstance(schema, list) and schema else schema
    kind = first.get("type") if isinstance(first, dict) else first
    if isinstance(first, dict) and first.get("logicalType"):
        return None  # defaults of logical types are raw encodings; leave them required
    if value is None and kind == "null":
        return "None"
    if kind in ("boolean", "int", "long", "float", "double", "string", "enum") and isinstance(
        value, bool | int | float | str
    ):
        if kind in ("float", "double") and isinstance(value, int | float):
            return repr(float(value))
        return _py(value)
    if kind in ("bytes", "fixed") and isinstance(value, str):
        raw = value.encode("latin-1")
        text = repr(raw)
        return f'b"{text[2:-1]}"' if text.startswith("b'") and '"' not in text else text
    if kind == "array" and value == []:
        return "Field(default_factory=list)"
    if kind == "map" and value == {}:
        return "Field(default_factory=dict)"
    return None


def _full_name(schema: dict[str, Any], namespace: str | None) -> str:
    name = str(schema.get("name", ""))
    if "." in name:
        return name
    ns = schema.get("namespace", namespace)
    return f"{ns}.{name}" if ns else name
