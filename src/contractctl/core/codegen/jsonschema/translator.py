"""JSON Schema → the codegen IR: classes for objects, aliases for named non-objects, gaps.

The typed model is built to accept a superset of what the schema accepts; every place
where it is looser is recorded as a :class:`Gap`, and a module with gaps validates the raw
payload against the original schema (the fallback), so the result is never looser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urljoin

from contractctl.core.codegen import drafts, naming
from contractctl.core.codegen.ir import AliasSpec, ClassSpec, FieldSpec, Gap, ModuleSpec
from contractctl.core.codegen.jsonschema.facts import (
    FORMATS,
    PRIMITIVE,
    accepts_null,
    default_source,
    disjoint,
    doc_of,
    escape,
    has_combinator,
    is_fragment,
    json_type,
    locate,
    ordered_types,
    py_literal,
)
from contractctl.core.codegen.jsonschema.ops import (
    OBJECT_KEYWORDS,
    merge_all_of,
    resolve_pointer,
    type_set,
)
from contractctl.core.codegen.pyexpr import Expr, atom, call, kw, sub, text, union

# Keywords the typed model cannot express at all: always enforced by the fallback.
UNSUPPORTED = (
    "not", "if", "then", "else", "patternProperties", "propertyNames", "dependencies",
    "dependentRequired", "dependentSchemas", "minProperties", "maxProperties", "contains",
    "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef",
)  # fmt: skip
_DYNAMIC = ("$dynamicRef", "$recursiveRef", "$dynamicAnchor", "$recursiveAnchor")
_STRING_KEYS = ("minLength", "maxLength", "pattern", "format")
_NUMBER_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_ARRAY_KEYS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "additionalItems")


def rt(name: str) -> Expr:
    """A helper from the generated package's ``_runtime`` module."""
    return atom(f"_rt.{name}")


# Resolves the absolute URI of a $ref to another document to (shared module path, class or
# alias name), or None.
External = Callable[[str], tuple[tuple[str, ...], str] | None]


class JsonTranslator:
    """Translates one JSON Schema document into the declarations of one module.

    ``base`` is the document's base URI (its absolute ``$id``, else its file's URI): a
    ``$ref`` is resolved against it, so a document naming itself by file name or ``$id``
    stays local, and embedded resources (``$id``/draft-04 ``id``) and anchors are found.
    """

    def __init__(
        self,
        module: ModuleSpec,
        document: Any,
        external: External | None = None,
        base: str = "",
        draft: int | None = None,
    ) -> None:
        self.module = module
        self.root = document
        self.external = external
        self.draft = drafts.draft_of(document) if draft is None else draft
        self.base = base
        self._located: dict[str, str] | None = None
        self.strict_formats: frozenset[str] = frozenset()  # formats the model asserts
        self.names = naming.Names()
        self.decls: dict[str, str] = {}  # pointer -> declared name
        self.schemas: dict[str, Any] = {}  # declared name -> the schema it came from

    @property
    def located(self) -> dict[str, str]:
        """Embedded resources and anchors by URI: walked for the first ref that needs them
        (most documents only have ``#/…`` pointers)."""
        if self._located is None:
            self._located = locate(self.root, self.base, drafts.id_keyword(self.draft))
        return self._located

    # -- entry points ---------------------------------------------------------------------

    def translate_root(self, event: str) -> str:
        wanted = naming.class_name(event)
        seen = drafts.view(self.root, self.draft)
        if isinstance(seen, dict) and set(seen) - drafts.ANNOTATIONS == {"$ref"}:
            # The payload is exactly one definition: that definition is the event model.
            target = self._target(seen["$ref"])
            if target is not None and target[0] != "#" and self._is_object(target[1]):
                name = self._declare(target[0], target[1], wanted)
                self.decls["#"] = name
                return name
        name = self._declare("#", self.root, wanted)
        if name not in {c.name for c in self.module.classes}:
            # A non-object payload: wrap it so every event has a model class.
            alias = next(a for a in self.module.aliases if a.name == name)
            alias.name = self.names.claim(name + "Value")
            self.decls["#"] = alias.name
            self.module.classes.append(
                ClassSpec(
                    name=name,
                    fields=[FieldSpec("root", "root", atom(alias.name), True)],
                    extra="root",
                    pointer="#",
                )
            )
        return name

    def declare_ref(self, ref: str, wanted: str) -> str | None:
        """Declare what ``ref`` names in this document (for a shared schema file)."""
        target = self._target(ref)
        return None if target is None else self._declare(target[0], target[1], wanted)

    def gap(self, pointer: str, keyword: str, reason: str) -> None:
        self.module.gaps.append(Gap(pointer, keyword, reason))

    # -- declarations -----------------------------------------------------------------------

    def _declare(self, pointer: str, schema: Any, wanted: str) -> str:
        if pointer in self.decls:
            return self.decls[pointer]
        name = self.names.claim(wanted)
        self.decls[pointer] = name
        self.schemas[name] = schema
        schema = self._view(schema, pointer)
        if isinstance(schema, dict) and "allOf" in schema:
            schema, problems = merge_all_of(self.root, schema)
            for problem in problems:
                self.gap(pointer, "allOf", problem)
        if self._is_object(schema):
            self._class(name, schema, pointer)
        else:
            alias = AliasSpec(name, atom("Any"), doc_of(schema))
            self.module.aliases.append(alias)
            alias.annotation = self.type_of(schema, pointer, name, top=True)
        return name

    def _is_object(self, schema: Any) -> bool:
        if not isinstance(schema, dict) or has_combinator(schema) or "enum" in schema:
            return False
        if "const" in schema or "allOf" in schema:
            return False
        # Without a type, ``properties`` constrain objects but let every other value through:
        # such a schema is a union (see ``type_of``), except the event payload itself.
        return type_set(schema) == {"object"}

    def _class(self, name: str, schema: dict[str, Any], pointer: str) -> None:
        spec = ClassSpec(name=name, description=doc_of(schema), pointer=pointer)
        self.module.classes.append(spec)
        self._unsupported(schema, pointer)
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        props: dict[str, Any] = schema.get("properties", {}) or {}
        missing = [r for r in required if r not in props]
        if missing:
            self.gap(pointer, "required", f"required keys without a property: {missing}")
        fields = naming.Names({"model_config"})
        for key, sub_schema in props.items():
            fpointer = f"{pointer}/properties/{escape(key)}"
            hint = name + naming.class_name(key)
            ann = self.type_of(sub_schema, fpointer, hint)
            nullable = accepts_null(self.root, sub_schema)
            field = FieldSpec(
                name=fields.claim(naming.field_name(key)),
                key=key,
                annotation=ann,
                required=key in required,
            )
            if not field.required:
                default = default_source(self.root, sub_schema)
                if default is None:
                    field.annotation = union(ann, atom("None"))
                    field.default = "None"
                    field.reject_null = not nullable
                else:
                    field.default = default
            spec.fields.append(field)
        extra = schema.get("additionalProperties", True)
        if schema.get("patternProperties"):
            pass  # keys matching a pattern are allowed: the fallback checks them
        elif extra is False:
            spec.extra = "forbid"
        elif isinstance(extra, dict) and extra:
            spec.extra_type = self.type_of(extra, f"{pointer}/additionalProperties", name + "Extra")

    def _unsupported(self, schema: dict[str, Any], pointer: str) -> None:
        for key in UNSUPPORTED:
            if key in schema:
                self.gap(pointer, key, "not expressible in pydantic")

    # -- types --------------------------------------------------------------------------------

    def type_of(self, schema: Any, pointer: str, hint: str, *, top: bool = False) -> Expr:
        """The annotation for ``schema``; named things become classes or aliases."""
        schema = self._view(schema, pointer)
        if schema is True or schema == {}:
            return atom("Any")
        if schema is False:
            self.gap(pointer, "false", "a schema that rejects everything")
            return atom("Any")
        if not isinstance(schema, dict):
            self.gap(pointer, "schema", "not a schema object")
            return atom("Any")
        static = self._dynamic_ref(schema)
        if static is not None:
            schema = {k: v for k, v in schema.items() if k not in _DYNAMIC} | {"$ref": static}
            return self.type_of(schema, pointer, hint, top=top)
        if isinstance(schema.get("$ref"), str):
            return self._ref(schema, pointer, hint)
        if "allOf" in schema:
            merged, problems = merge_all_of(self.root, schema)
            for problem in problems:
                self.gap(pointer, "allOf", problem)
            return self.type_of(merged, pointer, hint, top=top)
        if has_combinator(schema):
            return self._union(schema, pointer, hint)
        self._unsupported(schema, pointer)
        if "const" in schema:
            return self._literal([schema["const"]], schema, pointer)
        if "enum" in schema and isinstance(schema["enum"], list):
            return self._literal(schema["enum"], schema, pointer)
        types = type_set(schema)
        if "type" not in schema:
            used = [k for k in (*_STRING_KEYS, *_NUMBER_KEYS, *_ARRAY_KEYS) if k in schema]
            if used:
                self.gap(pointer, used[0], "a constraint on an untyped schema")
            if used or not any(k in schema for k in OBJECT_KEYWORDS):
                return atom("Any")
        return union(*(self._typed(t, schema, pointer, hint) for t in ordered_types(types)))

    def _view(self, schema: Any, pointer: str) -> Any:
        seen = drafts.view(schema, self.draft)
        if isinstance(schema, dict) and "allOf" in seen and "allOf" not in schema:
            # From 2019-09 a $ref with siblings is read as an allOf of both (drafts.view).
            self.gap(pointer, "$ref", "keywords beside a $ref apply too")
        return seen

    def _dynamic_ref(self, schema: dict[str, Any]) -> str | None:
        """The local ``$ref`` a ``$dynamicRef`` (2020-12) or ``$recursiveRef`` (2019-09)
        always stands for in this event's schema, else None (the fallback decides).

        Such a ref is a plain ref unless its target declares the dynamic anchor; then it
        names the outermost resource of the dynamic scope that declares it too. The event
        schema's root resource is always the outermost: when it declares the anchor, every
        evaluation resolves there. A shared file's types are used from other roots: left
        to the fallback.
        """
        if "$ref" in schema:
            return None
        ref, anchor = schema.get("$dynamicRef"), "$dynamicAnchor"
        if self.draft == 2019:
            ref, anchor = schema.get("$recursiveRef"), "$recursiveAnchor"
        if not isinstance(ref, str) or self.draft < 2019:
            return None
        target = self._target(ref)
        if target is None:
            return None
        name: Any = urldefrag(ref)[1] if anchor == "$dynamicAnchor" else True
        declares = isinstance(target[1], dict) and target[1].get(anchor) == name
        if not declares:
            return target[0]  # no dynamic anchor there: an ordinary $ref
        if not self.module.is_event:
            return None
        if anchor == "$recursiveAnchor":
            return "#" if isinstance(self.root, dict) and self.root.get(anchor) is True else None
        outer = self.located.get(f"{self.base}#{name}")
        if outer is None:
            return None
        found = resolve_pointer(self.root, outer)
        node = found[1] if found is not None else None
        return outer if isinstance(node, dict) and node.get(anchor) == name else None

    def _target(self, ref: str) -> tuple[str, Any] | None:
        """The (pointer, subschema) in this document that ``ref`` names, or None."""
        if ref.startswith("#/") or ref == "#":
            return resolve_pointer(self.root, ref)
        url, fragment = urldefrag(urljoin(self.base, ref) if self.base else ref)
        if fragment and not fragment.startswith("/"):
            pointer = self.located.get(f"{url or self.base}#{fragment}")
            return None if pointer is None else resolve_pointer(self.root, pointer)
        start = "#" if not url or url == self.base else self.located.get(url)
        return None if start is None else resolve_pointer(self.root, start + fragment)

    def _ref(self, schema: dict[str, Any], pointer: str, hint: str) -> Expr:
        ref = schema["$ref"]
        target = self._target(ref)
        if target is None and self.external is not None and not ref.startswith("#"):
            found = self.external(urljoin(self.base, ref) if self.base else ref)
            if found is not None and found[0] == self.module.path:
                return atom(found[1])
            if found is not None:
                module_path, name = found
                local = name if name not in self.names.taken else self.names.claim(name)
                self.names.taken.add(local)
                self.module.shared.add((module_path, name, local))
                return atom(local)
        if target is None:
            self.gap(pointer, "$ref", f"unresolvable reference {ref!r}")
            return atom("Any")
        tpointer, tschema = target
        wanted = naming.class_name(tpointer.rsplit("/", 1)[-1]) if tpointer != "#" else hint
        return atom(self._declare(tpointer, tschema, wanted))

    def _literal(self, values: list[Any], schema: dict[str, Any], pointer: str) -> Expr:
        if not all(isinstance(v, PRIMITIVE) and not isinstance(v, float) for v in values):
            self.gap(pointer, "enum", "non-scalar or float values")
            return atom("Any")
        if not values:
            self.gap(pointer, "enum", "an empty enum rejects everything")
            return atom("Any")
        allowed = type_set(schema)
        kept = [v for v in values if json_type(v) in allowed]
        if not kept:
            self.gap(pointer, "enum", "no value matches the declared type")
            return atom("Any")
        scalars = [v for v in kept if v is not None]
        parts: list[Expr] = []
        if scalars:
            parts.append(sub("Literal", *(atom(py_literal(v)) for v in scalars)))
        if len(scalars) < len(kept):
            parts.append(atom("None"))
        return union(*parts)

    def _union(self, schema: dict[str, Any], pointer: str, hint: str) -> Expr:
        word = "oneOf" if "oneOf" in schema else "anyOf"
        if "oneOf" in schema and "anyOf" in schema:
            self.gap(pointer, "anyOf", "both oneOf and anyOf")
        branches = schema[word]
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        typed = [b for b in branches if not is_fragment(b)]
        if len(typed) < len(branches) or not isinstance(branches, list):
            self.gap(pointer, word, "branches that only constrain the surrounding schema")
            return self.type_of(base, pointer, hint)
        if set(base) - {
            "title",
            "description",
            "$comment",
            "default",
            "examples",
            "$id",
            "$schema",
            "definitions",
            "$defs",
        }:
            if any(isinstance(b, dict) and "$ref" in b for b in branches):
                # Inlining a referenced branch into a merge would copy a recursive schema
                # forever: type the branches alone, the fallback applies the rest.
                self.gap(pointer, word, "keywords beside referenced branches")
            else:
                branches = [{"allOf": [base, b]} for b in branches]
        members: list[Expr] = []
        for i, branch in enumerate(branches):
            bhint = hint if len(branches) == 1 else f"{hint}{i + 1}"
            if isinstance(branch, dict) and isinstance(branch.get("title"), str):
                bhint = naming.class_name(branch["title"])
            members.append(self.type_of(branch, f"{pointer}/{word}/{i}", bhint))
        disc = self._discriminator(members, pointer)
        result = union(*members)
        if disc is not None:
            non_null = (
                [m for m in result.args if m.head != "None"] if result.kind == "union" else [result]
            )
            tagged = sub(
                "Annotated",
                union(*non_null),
                call("Field", kw("discriminator", atom(py_literal(disc)))),
            )
            return union(tagged, atom("None")) if len(non_null) < len(result.args) else tagged
        if word == "oneOf" and not disjoint(self.root, branches):
            self.gap(pointer, "oneOf", "a value may match several branches (exclusivity)")
        return result

    def _discriminator(self, members: list[Expr], pointer: str) -> str | None:
        """The field name that tells the class branches apart, when one exists."""
        classes = {c.name: c for c in self.module.classes}
        named = [m for m in members if m.head != "None"]
        if len(named) < 2 or not all(m.head in classes for m in named):
            return None
        candidates: set[str] | None = None
        values: dict[str, list[str]] = {}
        for m in named:
            tags = {
                f.name: text(f.annotation)
                for f in classes[m.head].fields
                if f.required and _single_literal(f.annotation)
            }
            candidates = set(tags) if candidates is None else candidates & set(tags)
            for fname, lit in tags.items():
                values.setdefault(fname, []).append(lit)
        for fname in sorted(candidates or ()):
            if len(set(values[fname])) == len(named):
                return fname
        return None

    def _typed(self, kind: str, schema: dict[str, Any], pointer: str, hint: str) -> Expr:
        if kind == "null":
            return atom("None")
        if kind == "boolean":
            return atom("StrictBool")
        if kind in ("integer", "number"):
            return _constrained(
                rt("Int" if kind == "integer" else "Number"), _number_constraints(schema)
            )
        if kind == "string":
            return self._string(schema, pointer)
        if kind == "array":
            return self._array(schema, pointer, hint)
        return self._object_type(schema, pointer, hint)

    def _string(self, schema: dict[str, Any], pointer: str) -> Expr:
        fmt = schema.get("format")
        base = rt(FORMATS[fmt]) if fmt in FORMATS else atom("StrictStr")
        args: list[Expr] = []
        if fmt not in FORMATS:
            args = [
                kw(k, atom(str(schema[j])))
                for j, k in (("minLength", "min_length"), ("maxLength", "max_length"))
                if isinstance(schema.get(j), int)
            ]
        extra: list[Expr] = []
        if fmt in self.strict_formats:
            extra.append(call("_rt.assert_format", atom(py_literal(fmt))))
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
                extra.append(call("_rt.pattern", atom(py_literal(pattern))))
            except re.error:
                self.gap(pointer, "pattern", "not a Python regular expression")
        return _constrained(base, args, extra)

    def _array(self, schema: dict[str, Any], pointer: str, hint: str) -> Expr:
        prefix = schema.get("prefixItems")
        items = schema.get("items", True)
        rest = items
        if isinstance(items, list):  # draft-07 tuple form
            prefix, rest = items, schema.get("additionalItems", True)
        args = [
            kw(k, atom(str(schema[j])))
            for j, k in (("minItems", "min_length"), ("maxItems", "max_length"))
            if isinstance(schema.get(j), int)
        ]
        extra = [rt("unique")] if schema.get("uniqueItems") is True else []
        if isinstance(prefix, list):
            members = [
                self.type_of(s, f"{pointer}/items/{i}", f"{hint}Item{i + 1}")
                for i, s in enumerate(prefix)
            ]
            exact = rest is False and schema.get("minItems", 0) >= len(prefix)
            if exact and members:
                return _constrained(sub("tuple", *members), [], extra)
            self.gap(pointer, "prefixItems", "a tuple that may be shorter or longer")
            return _constrained(sub("list", atom("Any")), args, extra)
        item = self.type_of(rest, f"{pointer}/items", hint + "Item")
        return _constrained(sub("list", item), args, extra)

    def _object_type(self, schema: dict[str, Any], pointer: str, hint: str) -> Expr:
        if any(schema.get(k) for k in ("properties", "required")) or (
            schema.get("additionalProperties") is False
        ):
            if pointer in self.decls:  # a nullable or multi-type definition: its object part
                return atom(
                    self._declare(
                        pointer + "@object", {**schema, "type": "object"}, hint + "Object"
                    )
                )
            return atom(self._declare(pointer, {**schema, "type": "object"}, hint))
        extra = schema.get("additionalProperties", True)
        value = self.type_of(extra, f"{pointer}/additionalProperties", hint + "Value")
        return sub("dict", atom("str"), value)


def _constrained(base: Expr, args: list[Expr], extra: list[Expr] | None = None) -> Expr:
    metadata = ([call("Field", *args)] if args else []) + (extra or [])
    return sub("Annotated", base, *metadata) if metadata else base


def _number_constraints(schema: dict[str, Any]) -> list[Expr]:
    out: list[Expr] = []
    for key, arg, excl in (("minimum", "ge", "gt"), ("maximum", "le", "lt")):
        value = schema.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            # draft-04 boolean exclusiveMinimum/Maximum
            out.append(
                kw(
                    excl if schema.get("exclusive" + key.title()) is True else arg,
                    atom(repr(value)),
                )
            )
    for key, arg in (("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
        value = schema.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append(kw(arg, atom(repr(value))))
    multiple = schema.get("multipleOf")
    if isinstance(multiple, int | float) and not isinstance(multiple, bool):
        out.append(kw("multiple_of", atom(repr(multiple))))
    return out


def _single_literal(expr: Expr) -> bool:
    return (
        expr.kind == "subscript"
        and expr.head == "Literal"
        and len(expr.args) == 1
        and expr.args[0].head.startswith('"')
    )


_py = py_literal  # the name the Avro translator and the renderer import
