"""Build the model of one schema document, lazily, the way everit loads it.

``Document`` owns one JSON document: its draft, its ``$id``/anchor index and a node per JSON
object, modelled on first use (``materialise``). ``load_schema`` returns the root node.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import unquote, urldefrag, urljoin

from contractctl.core.compat.jsonschema.model import (
    ALL_OF,
    ANY_OF,
    ARRAY,
    BOOLEAN,
    COMBINED,
    CONDITIONAL,
    CONST,
    DRAFT4,
    DRAFT7,
    DRAFT2019,
    DRAFT2020,
    EMPTY,
    ENUM,
    FALSE,
    LAZY,
    MAX_DEPTH,
    NOT,
    NULL,
    NUMBER,
    OBJECT,
    ONE_OF,
    REF,
    REF_RE,
    STRING,
    TRUE,
    Node,
    detect_draft,
    encode,
    freeze,
)
from contractctl.core.errors import SchemaParseError

_NUMBER_KW = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_STRING_KW = ("minLength", "maxLength", "pattern", "format")
_ARRAY_KW_4 = ("items", "additionalItems", "minItems", "maxItems", "uniqueItems")
_ARRAY_KW_6 = (*_ARRAY_KW_4, "contains")
_ARRAY_KW_2019 = (*_ARRAY_KW_6, "unevaluatedItems", "minContains", "maxContains")
_ARRAY_KW_2020 = (*_ARRAY_KW_2019, "prefixItems")
_OBJECT_KW_4 = (
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "dependencies",
    "patternProperties",
    "additionalProperties",
)
_OBJECT_KW_6 = (*_OBJECT_KW_4, "propertyNames")
_OBJECT_KW_2019 = (*_OBJECT_KW_6, "dependentRequired", "dependentSchemas", "unevaluatedProperties")
_CONDITIONAL_KW = ("if", "then", "else")
# Keywords that never make a `$ref`'s siblings a schema of their own (draft 2019+).
_REF_NEUTRAL = frozenset(
    {
        "$ref",
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$comment",
        "$defs",
        "definitions",
        "$vocabulary",
        "title",
        "description",
        "default",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
    }
)


def _number(value: object) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _split(uri: str) -> tuple[str, str]:
    base, fragment = urldefrag(uri)
    return base, fragment


class Document:
    """Models one document lazily; every JSON object gets exactly one node."""

    def __init__(self, root: object) -> None:
        self.root = root
        self.draft = detect_draft(root)
        self.modern = self.draft >= DRAFT2019
        self.id_kw = "id" if self.draft == DRAFT4 else "$id"
        if self.draft == DRAFT4:
            self.array_kw: tuple[str, ...] = _ARRAY_KW_4
            self.object_kw: tuple[str, ...] = _OBJECT_KW_4
        elif self.draft < DRAFT2019:
            self.array_kw, self.object_kw = _ARRAY_KW_6, _OBJECT_KW_6
        elif self.draft == DRAFT2019:
            self.array_kw, self.object_kw = _ARRAY_KW_2019, _OBJECT_KW_2019
        else:
            self.array_kw, self.object_kw = _ARRAY_KW_2020, _OBJECT_KW_2019
        self.nodes: dict[int, Node] = {}
        self.true = Node(TRUE, True, "true")
        self.false = Node(FALSE, False, "false")
        root_id = root.get(self.id_kw) if isinstance(root, Mapping) else None
        self.root_base = _split(root_id)[0] if isinstance(root_id, str) else ""
        self.documents: dict[str, object] = {self.root_base: root}
        self.anchors: dict[str, object] = {}
        self.indexed = False
        self._text: str | None = None
        self._nested_ids: bool | None = None
        self._ref_texts: dict[str, str | None] = {}

    # -- identifiers and references ------------------------------------------------------
    def _index_ids(self) -> None:
        """Record every embedded ``$id``/anchor (built on the first reference that needs it)."""
        self.indexed = True
        stack: list[tuple[object, str]] = [(self.root, self.root_base)]
        while stack:
            value, base = stack.pop()
            if isinstance(value, dict):
                ident = value.get(self.id_kw)
                if isinstance(ident, str):
                    full = urljoin(base, ident) if base else ident
                    doc, frag = _split(full)
                    if frag:
                        self.anchors[f"{doc}#{frag}"] = value
                    else:
                        self.documents.setdefault(doc, value)
                        base = doc
                for anchor_kw in ("$anchor", "$dynamicAnchor"):
                    anchor = value.get(anchor_kw)
                    if isinstance(anchor, str):
                        self.anchors.setdefault(f"{base}#{anchor}", value)
                stack.extend((v, base) for v in value.values() if isinstance(v, dict | list))
            elif isinstance(value, list):
                stack.extend((v, base) for v in value if isinstance(v, dict | list))

    def _lookup(self, ref: str, base: str) -> tuple[object, str]:
        if ref.startswith("#"):
            doc_uri, fragment = base, ref[1:]
        else:
            doc_uri, fragment = _split(urljoin(base, ref) if base else ref)
        if doc_uri not in self.documents and not self.indexed:
            self._index_ids()
        if doc_uri not in self.documents:
            raise SchemaParseError(
                f"cannot resolve $ref {ref!r}: {doc_uri!r} is not this document or one of its "
                "embedded $id schemas (external references are not fetched)"
            )
        if fragment and not fragment.startswith("/"):
            if not self.indexed:
                self._index_ids()
            target = self.anchors.get(f"{doc_uri}#{fragment}")
            if target is None:
                raise SchemaParseError(f"cannot resolve $ref {ref!r}: no anchor {fragment!r}")
            return target, doc_uri
        value: object = self.documents[doc_uri]
        for raw_token in fragment.split("/")[1:] if fragment else ():
            token = unquote(raw_token).replace("~1", "/").replace("~0", "~")
            if isinstance(value, Mapping) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                raise SchemaParseError(
                    f"cannot resolve $ref {ref!r}: JSON pointer segment {token!r} not found"
                )
        return value, doc_uri

    def resolve_ref(self, node: Node) -> Node:
        """The node a ``$ref`` node points at (modelled lazily, shared by every ref to it)."""
        if node.target is None:
            target, base = self._lookup(node.ref, node.base)
            node.target = self.shell(target, base, node.depth)
        return node.target

    @property
    def text(self) -> str:
        """The document as compact JSON (computed once)."""
        if self._text is None:
            try:
                self._text = encode(self.root)
            except (TypeError, ValueError) as exc:
                raise SchemaParseError(f"schema is not JSON data: {exc}") from None
        return self._text

    @property
    def nested_ids(self) -> bool:
        """Whether some subschema sets its own base URI or anchor (refs may be relative)."""
        if self._nested_ids is None:
            text = self.text
            own = 1 if self.root_base else 0
            self._nested_ids = text.count(f'"{self.id_kw}"') > own or '"$anchor"' in text
        return self._nested_ids

    def ref_text(self, ref: str) -> str | None:
        """The compact JSON of a root-relative ``$ref``'s target, None if it cannot resolve."""
        if ref not in self._ref_texts:
            try:
                target, _ = self._lookup(ref, self.root_base)
                self._ref_texts[ref] = encode(target)
            except SchemaParseError:
                self._ref_texts[ref] = None
        return self._ref_texts[ref]

    def check_refs(self) -> None:
        """Fail early on a ``$ref`` that can never resolve, even in parts never compared."""
        text = self.text
        if '"$ref"' not in text:
            return
        nested = self.nested_ids
        for quoted in set(REF_RE.findall(text)):
            ref = json.loads(quoted)
            if not isinstance(ref, str):
                continue
            try:
                self._lookup(ref, self.root_base)
            except SchemaParseError:
                # Relative to an embedded $id we cannot place from here: resolved lazily.
                if not nested:
                    raise

    # -- modelling -----------------------------------------------------------------------
    def shell(self, value: object, base: str, depth: int) -> Node:
        """The (possibly not yet modelled) node of a subschema."""
        if value is True:
            return self.true
        if value is False:
            return self.false
        if not isinstance(value, dict):
            raise SchemaParseError(
                f"a schema must be an object or a boolean, not {type(value).__name__}"
            )
        node = self.nodes.get(id(value))
        if node is None:
            node = Node(LAZY, value)
            node.loader = self
            node.base = base
            node.depth = depth
            self.nodes[id(value)] = node
        return node

    def fill(self, node: Node) -> None:
        o = node.raw
        assert isinstance(o, dict)
        depth = node.depth
        if depth > MAX_DEPTH:
            raise SchemaParseError(
                f"schema nested too deeply: more than {MAX_DEPTH} levels of subschemas"
            )
        base = node.base
        ident = o.get(self.id_kw)
        if isinstance(ident, str):
            doc, _ = _split(urljoin(base, ident) if base else ident)
            if doc:
                base = doc
                self.documents.setdefault(doc, o)
        node.kind = EMPTY  # placeholder until modelled; guards against re-entry
        if "$ref" in o:
            ref_node = self._ref(o, base, depth)
            modelled = ref_node
            if self.modern and any(k not in _REF_NEUTRAL for k in o):
                rest = {k: v for k, v in o.items() if k != "$ref"}
                parts = self._extract(rest, base, depth)
                if parts:
                    modelled = Node(COMBINED, o, "ref+")
                    modelled.criterion = ALL_OF
                    modelled.subschemas = [ref_node, *parts]
        else:
            parts = self._extract(o, base, depth)
            if not parts:
                modelled = Node(EMPTY, o)
            elif len(parts) == 1:
                modelled = parts[0]
            else:
                modelled = Node(COMBINED, o, "synthetic")
                modelled.criterion = ALL_OF
                modelled.subschemas = parts
        attrs = node.__dict__
        attrs.update(modelled.__dict__)
        attrs["raw"] = o
        attrs["canon_tag"] = ""
        self._common(node, o)

    def _ref(self, o: Mapping[str, object], base: str, depth: int) -> Node:
        ref = o["$ref"]
        if not isinstance(ref, str):
            raise SchemaParseError(f"$ref must be a string, not {type(ref).__name__}")
        node = Node(REF, o, "ref")
        node.ref = ref
        node.loader = self
        node.base = base
        node.depth = depth + 1
        return node

    def _common(self, node: Node, o: Mapping[str, object]) -> None:
        if not self.modern:
            ident = o.get(self.id_kw)
            node.id = ident if isinstance(ident, str) else None
        title, description = o.get("title"), o.get("description")
        node.title = title if isinstance(title, str) else None
        node.description = description if isinstance(description, str) else None
        if "default" in o:
            node.has_default = True
            node.default = o["default"]
        node.connect_bytes = o.get("connect.type") == "bytes"

    def _child(self, value: object, base: str, depth: int) -> Node:
        return self.shell(value, base, depth + 1)

    def _extract(self, o: Mapping[str, object], base: str, depth: int) -> list[Node]:
        parts: list[Node] = []
        consumed: set[str] = set()
        if "enum" in o:
            consumed.add("enum")
            values = o["enum"]
            node = Node(ENUM, o, "enum")
            node.enum = (
                frozenset(freeze(v) for v in values) if isinstance(values, list) else (frozenset())
            )
            parts.append(node)
        for criterion in (ALL_OF, ANY_OF, ONE_OF):
            if criterion in o:
                consumed.add(criterion)
                members = o[criterion]
                if not isinstance(members, list):
                    raise SchemaParseError(f"{criterion} must be an array of schemas")
                node = Node(COMBINED, o, criterion)
                node.criterion = criterion
                node.subschemas = [self._child(m, base, depth) for m in members]
                parts.append(node)
        if "not" in o:
            consumed.add("not")
            node = Node(NOT, o, "not")
            node.must_not = self._child(o["not"], base, depth)
            parts.append(node)
        if "const" in o and self.draft != DRAFT4:
            consumed.add("const")
            node = Node(CONST, o, "const")
            node.const = freeze(o["const"])
            parts.append(node)
        if "type" in o:
            consumed.add("type")
            declared = o["type"]
            if isinstance(declared, str):
                parts.append(self._typed(o, declared, consumed, base, depth))
            elif isinstance(declared, list):
                node = Node(COMBINED, o, "types")
                node.criterion = ANY_OF
                node.subschemas = [self._typed(o, str(t), consumed, base, depth) for t in declared]
                parts.append(node)
            else:
                raise SchemaParseError("type must be a string or an array of strings")
        remaining = [k for k in o if k not in consumed]
        if remaining:
            keys = set(remaining)
            if self.modern and o.get("properties") == {}:
                # json-sKema drops an empty `properties`, so it does not make an object schema.
                keys.discard("properties")
            if keys.intersection(self.array_kw):
                parts.append(self._array(o, base, depth, "sniffed-array"))
            if keys.intersection(self.object_kw):
                parts.append(self._object(o, base, depth, "sniffed-object"))
            if keys.intersection(_NUMBER_KW):
                parts.append(self._number(o, "sniffed-number"))
            if keys.intersection(_STRING_KW):
                parts.append(self._string(o, "sniffed-string"))
            if self.draft >= DRAFT7 and keys.intersection(_CONDITIONAL_KW):
                parts.append(Node(CONDITIONAL, o, "conditional"))
        return parts

    def _typed(
        self, o: Mapping[str, object], name: str, consumed: set[str], base: str, depth: int
    ) -> Node:
        tag = f"type:{name}"
        if name == "string":
            consumed.update(_STRING_KW)
            return self._string(o, tag)
        if name in ("integer", "number"):
            consumed.update(_NUMBER_KW)
            node = self._number(o, tag)
            node.requires_integer = name == "integer"
            return node
        if name == "boolean":
            return Node(BOOLEAN, o, tag)
        if name == "null":
            return Node(NULL, o, tag)
        if name == "array":
            consumed.update(self.array_kw)
            return self._array(o, base, depth, tag)
        if name == "object":
            consumed.update(self.object_kw)
            return self._object(o, base, depth, tag)
        raise SchemaParseError(f"unknown type {name!r}")

    def _string(self, o: Mapping[str, object], tag: str) -> Node:
        node = Node(STRING, o, tag)
        min_length, max_length = _number(o.get("minLength")), _number(o.get("maxLength"))
        node.min_length = int(min_length) if min_length is not None else None
        node.max_length = int(max_length) if max_length is not None else None
        pattern = o.get("pattern")
        node.pattern = pattern if isinstance(pattern, str) else None
        return node

    def _number(self, o: Mapping[str, object], tag: str) -> Node:
        node = Node(NUMBER, o, tag)
        node.minimum = _number(o.get("minimum"))
        node.maximum = _number(o.get("maximum"))
        node.multiple_of = _number(o.get("multipleOf"))
        if self.draft != DRAFT4:  # draft 4's boolean exclusive flags carry no limit
            node.excl_min = _number(o.get("exclusiveMinimum"))
            node.excl_max = _number(o.get("exclusiveMaximum"))
        return node

    def _object(self, o: Mapping[str, object], base: str, depth: int, tag: str) -> Node:
        node = Node(OBJECT, o, tag)
        props = o.get("properties")
        if isinstance(props, dict):
            node.properties = {k: self._child(v, base, depth) for k, v in props.items()}
        required = o.get("required")
        if isinstance(required, list):
            node.required = frozenset(r for r in required if isinstance(r, str))
        node.min_properties = _number(o.get("minProperties"))
        node.max_properties = _number(o.get("maxProperties"))
        dep_sources: list[object] = [o.get("dependencies")]
        if self.modern:
            dep_sources += [o.get("dependentRequired"), o.get("dependentSchemas")]
        prop_deps: dict[str, frozenset[str]] = {}
        schema_deps: dict[str, Node] = {}
        for deps in dep_sources:
            if not isinstance(deps, dict):
                continue
            for key, dep in deps.items():
                if isinstance(dep, list):
                    prop_deps[key] = frozenset(d for d in dep if isinstance(d, str))
                else:
                    schema_deps[key] = self._child(dep, base, depth)
        if prop_deps:
            node.prop_deps = prop_deps
        if schema_deps:
            node.schema_deps = schema_deps
        additional = o.get("additionalProperties")
        if isinstance(additional, bool):
            node.permits_additional = additional
        elif additional is not None:
            node.additional = self._child(additional, base, depth)
        patterns = o.get("patternProperties")
        if isinstance(patterns, dict):
            node.pattern_properties = [
                (p, self._child(v, base, depth)) for p, v in patterns.items()
            ]
        if self.modern and "unevaluatedProperties" in o:
            node.unevaluated = self._child(o["unevaluatedProperties"], base, depth)
        return node

    def _array(self, o: Mapping[str, object], base: str, depth: int, tag: str) -> Node:
        node = Node(ARRAY, o, tag)
        items = o.get("items")
        if self.draft == DRAFT2020:
            prefix = o.get("prefixItems")
            if isinstance(prefix, list):
                node.item_schemas = [self._child(v, base, depth) for v in prefix]
                self._additional_items(node, items, base, depth)
            elif isinstance(items, bool):
                node.permits_additional_items = items
            elif items is not None:
                node.all_items = self._child(items, base, depth)
        else:
            if isinstance(items, list):
                node.item_schemas = [self._child(v, base, depth) for v in items]
            elif items is not None:
                node.all_items = self._child(items, base, depth)
            self._additional_items(node, o.get("additionalItems"), base, depth)
        node.unique_items = o.get("uniqueItems") is True
        node.min_items = _number(o.get("minItems"))
        node.max_items = _number(o.get("maxItems"))
        node.min_contains = _number(o.get("minContains"))
        node.max_contains = _number(o.get("maxContains"))
        if self.modern:
            if node.min_contains is None and "contains" in o:
                node.min_contains = 1  # json-sKema materialises the default
            if "unevaluatedItems" in o:
                node.unevaluated_items = self._child(o["unevaluatedItems"], base, depth)
        return node

    def _additional_items(self, node: Node, value: object, base: str, depth: int) -> None:
        if isinstance(value, bool):
            node.permits_additional_items = value
        elif value is not None:
            node.additional_items = self._child(value, base, depth)


def load_schema(schema: object) -> Node:
    """The model of one schema document (``dict`` or ``bool``), modelled lazily.

    Raises ``SchemaParseError`` for a ``$ref`` that cannot resolve; malformed keywords and
    nesting deeper than ``MAX_DEPTH`` are reported when the differ reaches them.
    """
    loader = Document(schema)
    loader.check_refs()
    return loader.shell(schema, loader.root_base, 0)


#: A ``"$ref": "<string>"`` member in compact or spaced JSON text; group 1 is the quoted value.
