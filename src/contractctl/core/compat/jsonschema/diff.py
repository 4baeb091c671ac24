"""Confluent's ``SchemaDiff.compare(original, update)`` over the everit-like model.

A difference is ``(type, path, old, new)`` with ``path`` relative to the pair being compared
(``""`` is the pair itself); parents prefix their segment, so a memoised pair's result can be
reused wherever the pair recurs. Pairs are memoised by node identity; a pair met again while
it is still being compared is a recursive cycle and is assumed compatible, then
``diff`` re-runs with the incompatible pairs found so far as a seed until nothing new turns up.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from contractctl.core.compat.jsonschema.model import (
    ALL_OF,
    ANY_OF,
    ARRAY,
    COMBINED,
    CONST,
    ENUM,
    FALSE,
    NOT,
    NUMBER,
    OBJECT,
    ONE_OF,
    REF,
    REF_RE,
    STRING,
    Document,
    Node,
    encode,
    freeze,
    materialise,
    pattern_finds,
)
from contractctl.core.errors import SchemaParseError

Diff = tuple[str, str, object, object]

# Deepest nesting of pair comparisons; each costs a handful of Python frames.
MAX_COMPARE_DEPTH = 1500
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


def _at(segment: str, diffs: list[Diff]) -> list[Diff]:
    return [(t, f"{segment}/{p}" if p else segment, o, n) for t, p, o, n in diffs]


def _bound(
    out: list[Diff], keyword: str, prefix: str, old: float | None, new: float | None
) -> None:
    if old == new:
        return
    if old is None:
        out.append((f"{prefix}_ADDED", keyword, None, new))
    elif new is None:
        out.append((f"{prefix}_REMOVED", keyword, old, None))
    elif old < new:
        out.append((f"{prefix}_INCREASED", keyword, old, new))
    elif old > new:
        out.append((f"{prefix}_DECREASED", keyword, old, new))


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


class Differ:
    """One comparison pass: memo, cycle guard and the seed of known-incompatible pairs."""

    def __init__(
        self,
        compatible: frozenset[str],
        seed: dict[tuple[int, int], list[Diff]],
        documents: tuple[Document, Document] | None = None,
        same_refs: dict[str, bool] | None = None,
    ) -> None:
        self.compatible = compatible
        # Identical JSON means identical models only when both documents share a draft.
        self.documents = documents
        self.same_draft = documents is not None and documents[0].draft == documents[1].draft
        self.same_refs: dict[str, bool] = {} if same_refs is None else same_refs
        self.seed = seed
        self.memo: dict[tuple[int, int], list[Diff]] = {}
        self.in_progress: set[tuple[int, int]] = set()
        self.optimism = False
        self.depth = 0

    def _identical(self, old: object, new: object) -> bool:
        """Whether two equal JSON subtrees are the same schema, so their diff is empty.

        Type-exact text equality, and every ``$ref`` inside must lead (transitively) to
        identical targets in both documents; anything fancier is left to the full diff.
        """
        text = encode(old)
        if text != encode(new):
            return False
        if 'Ref"' in text:  # $dynamicRef / $recursiveRef
            return False
        if '"$ref"' not in text:
            return True
        return all(self._same_ref(json.loads(q)) for q in set(REF_RE.findall(text)))

    def _same_ref(self, ref: object) -> bool:
        if not isinstance(ref, str) or self.documents is None:
            return False
        known = self.same_refs.get(ref)
        if known is not None:
            return known
        old_doc, new_doc = self.documents
        if old_doc.nested_ids or new_doc.nested_ids:
            self.same_refs[ref] = False
            return False
        visited = {ref}
        queue = [ref]
        while queue:
            current = queue.pop()
            old_text, new_text = old_doc.ref_text(current), new_doc.ref_text(current)
            if old_text is None or old_text != new_text or 'Ref"' in old_text:
                self.same_refs[ref] = False
                return False
            for quoted in REF_RE.findall(old_text):
                inner = json.loads(quoted)
                if not isinstance(inner, str):
                    self.same_refs[ref] = False
                    return False
                if self.same_refs.get(inner) is False:
                    self.same_refs[ref] = False
                    return False
                if inner not in visited and inner not in self.same_refs:
                    visited.add(inner)
                    queue.append(inner)
        # Every target reachable from `ref` is identical, so is every target reachable from
        # any of them.
        for seen in visited:
            self.same_refs[seen] = True
        return True

    def ok(self, diffs: list[Diff]) -> bool:
        compatible = self.compatible
        return all(d[0] in compatible for d in diffs)

    # -- entry ---------------------------------------------------------------------------
    def compare(self, original: Node | None, update: Node | None) -> list[Diff]:
        if original is None:
            return [] if update is None else [("SCHEMA_ADDED", "", None, label(update))]
        if update is None:
            return [("SCHEMA_REMOVED", "", label(original), None)]
        if self.same_draft and original.canon_tag == update.canon_tag:
            old_raw, new_raw = original.raw, update.raw
            if old_raw == new_raw and self._identical(old_raw, new_raw):
                return []
        o = resolve(original)
        n = resolve(update)
        if o.kind != COMBINED and n.kind == COMBINED:
            subs = n.subschemas
            if len(subs) == 1:
                found = self.compare(o, subs[0])
                if self.ok(found):
                    return found
            elif n.criterion in (ANY_OF, ONE_OF):
                for sub in subs:
                    found = self.compare(o, sub)
                    if self.ok(found):
                        return [*found, ("SUM_TYPE_EXTENDED", "", label(o), n.criterion)]
        elif o.kind == COMBINED and n.kind != COMBINED:
            subs = o.subschemas
            if len(subs) == 1:
                found = self.compare(subs[0], n)
                if self.ok(found):
                    return found
            elif o.criterion == ALL_OF:
                for sub in subs:
                    found = self.compare(sub, n)
                    if self.ok(found):
                        return [*found, ("PRODUCT_TYPE_NARROWED", "", ALL_OF, label(n))]
        if o.kind != n.kind:
            if o.kind == FALSE or n.is_empty or (o.connect_bytes and n.connect_bytes):
                return []
            return [("TYPE_CHANGED", "", label(o), label(n))]
        return self._memoised(o, n)

    def _memoised(self, o: Node, n: Node) -> list[Diff]:
        key = (id(o), id(n))
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if key in self.in_progress:
            seeded = self.seed.get(key)
            if seeded is not None:
                return seeded
            self.optimism = True
            return []
        if self.depth >= MAX_COMPARE_DEPTH:
            raise SchemaParseError(
                f"schema nested too deeply: more than {MAX_COMPARE_DEPTH} levels compared"
            )
        self.in_progress.add(key)
        self.depth += 1
        try:
            result = self._same_kind(o, n)
        finally:
            self.depth -= 1
            self.in_progress.discard(key)
        self.memo[key] = result
        return result

    # -- same kind -------------------------------------------------------------------------
    def _same_kind(self, o: Node, n: Node) -> list[Diff]:
        out: list[Diff] = []
        if o.id != n.id:
            out.append(("ID_CHANGED", "", o.id, n.id))
        if o.title != n.title:
            out.append(("TITLE_CHANGED", "", o.title, n.title))
        if o.description != n.description:
            out.append(("DESCRIPTION_CHANGED", "", o.description, n.description))
        if (o.has_default or n.has_default) and (
            o.has_default != n.has_default or freeze(o.default) != freeze(n.default)
        ):
            out.append(("DEFAULT_CHANGED", "", o.default, n.default))
        kind = o.kind
        if kind == OBJECT:
            self._object(o, n, out)
        elif kind == ARRAY:
            self._array(o, n, out)
        elif kind == STRING:
            _string(o, n, out)
        elif kind == NUMBER:
            _number(o, n, out)
        elif kind == COMBINED:
            self._combined(o, n, out)
        elif kind == ENUM:
            if o.enum != n.enum:
                if n.enum >= o.enum:
                    kind_ = "ENUM_ARRAY_EXTENDED"
                elif o.enum >= n.enum:
                    kind_ = "ENUM_ARRAY_NARROWED"
                else:
                    kind_ = "ENUM_ARRAY_CHANGED"
                out.append((kind_, "enum", _enum_values(o), _enum_values(n)))
        elif kind == CONST:
            if o.const != n.const:
                out.append(("ENUM_ARRAY_CHANGED", "const", _raw(o, "const"), _raw(n, "const")))
        elif kind == NOT:
            # Reversed: excluding less is the compatible direction.
            found = self.compare(n.must_not, o.must_not)
            verdict = "NOT_TYPE_NARROWED" if self.ok(found) else "NOT_TYPE_EXTENDED"
            out.append((verdict, "not", label(o.must_not), label(n.must_not)))
        return out

    # -- combinators -----------------------------------------------------------------------
    def _combined(self, o: Node, n: Node, out: list[Diff]) -> None:
        change = _criterion_change(o, n)
        if change is not None:
            out.append((change, "", o.criterion, n.criterion))
            if change == "COMBINED_TYPE_CHANGED":
                return
        olds = _dedupe(o.subschemas)
        news = _dedupe(n.subschemas)
        if len(olds) < len(news):
            grew = "PRODUCT_TYPE_EXTENDED" if n.criterion == ALL_OF else "SUM_TYPE_EXTENDED"
            out.append((grew, "", len(olds), len(news)))
        elif len(olds) > len(news):
            shrank = "PRODUCT_TYPE_NARROWED" if o.criterion == ALL_OF else "SUM_TYPE_NARROWED"
            out.append((shrank, "", len(olds), len(news)))
        # Compatible (old_i, new_j) pairs, cheapest first so identical members pair up.
        candidates: list[list[tuple[int, list[Diff]]]] = []
        for old_sub in olds:
            row = []
            for j, new_sub in enumerate(news):
                found = self.compare(old_sub, new_sub)
                if self.ok(found):
                    row.append((j, found))
            row.sort(key=lambda c: (len(c[1]), c[0]))
            candidates.append(row)
        matched = _max_matching(candidates, len(news))
        for i, (_, found) in sorted(matched.items()):
            out.extend(_at(f"{o.criterion}/{i}", found))
        if len(matched) < min(len(olds), len(news)):
            out.append(("COMBINED_TYPE_SUBSCHEMAS_CHANGED", "", len(olds), len(news)))

    # -- objects ---------------------------------------------------------------------------
    def _object(self, o: Node, n: Node, out: list[Diff]) -> None:
        o_props, n_props = o.properties, n.properties
        for key in o_props:
            if key in n_props:
                was, now = key in o.required, key in n.required
                if was and not now:
                    out.append(("REQUIRED_ATTRIBUTE_REMOVED", f"required/{key}", True, False))
                elif now and not was:
                    kind = (
                        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
                        if materialise(n_props[key]).has_default
                        else "REQUIRED_ATTRIBUTE_ADDED"
                    )
                    out.append((kind, f"required/{key}", False, True))
        o_open: bool | None = None
        n_open: bool | None = None
        for key, o_prop in o_props.items():
            segment = f"properties/{key}"
            n_prop = n_props.get(key)
            if n_prop is not None:
                found = self.compare(o_prop, n_prop)
                if found:
                    out.extend(_at(segment, found))
                continue
            # Removed: only the new schema's content model decides.
            if n_open is None:
                n_open = _object_open(n)
            if n_open:
                out.append(
                    ("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", segment, label(o_prop), None)
                )
                continue
            partial = _object_partial(n, key)
            if partial is not None:
                found = self.compare(o_prop, partial)
                out.extend(_at(segment, found))
                covered = self.ok(found)
                out.append(
                    (
                        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if covered
                        else "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
                        segment,
                        label(o_prop),
                        label(partial),
                    )
                )
            elif materialise(o_prop).kind == FALSE:
                out.append(
                    (
                        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                        segment,
                        "false",
                        None,
                    )
                )
            else:
                out.append(
                    ("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", segment, label(o_prop), None)
                )
        for key, n_prop in n_props.items():
            if key in o_props:
                continue
            # Added: only the old schema's content model decides.
            segment = f"properties/{key}"
            required = key in n.required
            materialise(n_prop)
            if o_open is None:
                o_open = _object_open(o)
            if o_open:
                if n_prop.is_empty:
                    kind = "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                elif required:
                    kind = (
                        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                        if n_prop.has_default
                        else "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
                    )
                else:
                    kind = "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
                out.append((kind, segment, None, label(n_prop)))
                continue
            partial = _object_partial(o, key)
            if partial is not None:
                found = self.compare(partial, n_prop)
                out.extend(_at(segment, found))
                out.append(
                    (
                        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if self.ok(found)
                        else "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
                        segment,
                        label(partial),
                        label(n_prop),
                    )
                )
            if required:
                kind = (
                    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
                    if n_prop.has_default
                    else "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
                )
            else:
                kind = "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            out.append((kind, segment, None, label(n_prop)))
        self._dependencies(o, n, out)
        # additionalProperties
        if o.permits_additional != n.permits_additional:
            kind = (
                "ADDITIONAL_PROPERTIES_ADDED"
                if n.permits_additional
                else "ADDITIONAL_PROPERTIES_REMOVED"
            )
            out.append((kind, "additionalProperties", o.permits_additional, n.permits_additional))
        elif o.additional is None and n.additional is not None:
            out.append(
                (
                    "ADDITIONAL_PROPERTIES_NARROWED",
                    "additionalProperties",
                    None,
                    label(n.additional),
                )
            )
        elif n.additional is None and o.additional is not None:
            out.append(
                (
                    "ADDITIONAL_PROPERTIES_EXTENDED",
                    "additionalProperties",
                    label(o.additional),
                    None,
                )
            )
        elif o.additional is not None:
            out.extend(_at("additionalProperties", self.compare(o.additional, n.additional)))
        self._unevaluated(o.unevaluated, n.unevaluated, "unevaluatedProperties", "PROPERTIES", out)
        _bound(out, "maxProperties", "MAX_PROPERTIES", o.max_properties, n.max_properties)
        _bound(out, "minProperties", "MIN_PROPERTIES", o.min_properties, n.min_properties)

    def _dependencies(self, o: Node, n: Node, out: list[Diff]) -> None:
        if o.prop_deps or n.prop_deps:
            for key in {**o.prop_deps, **n.prop_deps}:
                segment = f"dependencies/{key}"
                old, new = o.prop_deps.get(key), n.prop_deps.get(key)
                if new is None:
                    out.append(("DEPENDENCY_ARRAY_REMOVED", segment, sorted(old or ()), None))
                elif old is None:
                    out.append(("DEPENDENCY_ARRAY_ADDED", segment, None, sorted(new)))
                elif old != new:
                    if new >= old:
                        kind = "DEPENDENCY_ARRAY_EXTENDED"
                    elif old >= new:
                        kind = "DEPENDENCY_ARRAY_NARROWED"
                    else:
                        kind = "DEPENDENCY_ARRAY_CHANGED"
                    out.append((kind, segment, sorted(old), sorted(new)))
        if o.schema_deps or n.schema_deps:
            for key in {**o.schema_deps, **n.schema_deps}:
                segment = f"dependencies/{key}"
                old_s, new_s = o.schema_deps.get(key), n.schema_deps.get(key)
                if new_s is None:
                    out.append(("DEPENDENCY_SCHEMA_REMOVED", segment, label(old_s), None))
                elif old_s is None:
                    out.append(("DEPENDENCY_SCHEMA_ADDED", segment, None, label(new_s)))
                else:
                    out.extend(_at(segment, self.compare(old_s, new_s)))

    def _unevaluated(
        self, old: Node | None, new: Node | None, keyword: str, noun: str, out: list[Diff]
    ) -> None:
        if old is None and new is None:
            return
        prefix = f"UNEVALUATED_{noun}"
        if old is not None:
            materialise(old)
        if new is not None:
            materialise(new)
        if old is None:
            assert new is not None
            kind = "REMOVED" if new.kind == FALSE else "NARROWED"
        elif new is None:
            kind = "ADDED" if old.kind == FALSE else "EXTENDED"
        elif old.kind == FALSE and new.kind != FALSE:
            kind = "ADDED"
        elif old.kind != FALSE and new.kind == FALSE:
            kind = "REMOVED"
        elif old.is_empty and not new.is_empty:
            kind = "NARROWED"
        elif not old.is_empty and new.is_empty:
            kind = "EXTENDED"
        else:
            out.extend(_at(keyword, self.compare(old, new)))
            return
        out.append((f"{prefix}_{kind}", keyword, label(old), label(new)))

    # -- arrays ----------------------------------------------------------------------------
    def _array(self, o: Node, n: Node, out: list[Diff]) -> None:
        if o.all_items is not None or n.all_items is not None:
            out.extend(_at("items", self.compare(o.all_items, n.all_items)))
        olds = o.item_schemas or []
        news = n.item_schemas or []
        common = min(len(olds), len(news))
        for i in range(common):
            out.extend(_at(f"items/{i}", self.compare(olds[i], news[i])))
        for i in range(common, len(olds)):
            segment = f"items/{i}"
            old_item = olds[i]
            if _array_open(n):
                out.append(("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", segment, label(old_item), None))
                continue
            partial = _array_partial(n)
            if partial is not None:
                found = self.compare(old_item, partial)
                out.extend(_at(segment, found))
                out.append(
                    (
                        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if self.ok(found)
                        else "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
                        segment,
                        label(old_item),
                        label(partial),
                    )
                )
            elif materialise(old_item).kind == FALSE:
                out.append(
                    ("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", segment, "false", None)
                )
            else:
                out.append(
                    ("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", segment, label(old_item), None)
                )
        for i in range(common, len(news)):
            segment = f"items/{i}"
            new_item = news[i]
            if _array_open(o):
                kind = (
                    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                    if new_item.is_empty
                    else "ITEM_ADDED_TO_OPEN_CONTENT_MODEL"
                )
                out.append((kind, segment, None, label(new_item)))
                continue
            partial = _array_partial(o)
            if partial is not None:
                found = self.compare(partial, new_item)
                out.extend(_at(segment, found))
                out.append(
                    (
                        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if self.ok(found)
                        else "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
                        segment,
                        label(partial),
                        label(new_item),
                    )
                )
            else:
                out.append(("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", segment, None, label(new_item)))
        # additionalItems
        if o.permits_additional_items != n.permits_additional_items:
            kind = (
                "ADDITIONAL_ITEMS_REMOVED"
                if o.permits_additional_items
                else "ADDITIONAL_ITEMS_ADDED"
            )
            out.append(
                (kind, "additionalItems", o.permits_additional_items, n.permits_additional_items)
            )
        elif o.additional_items is None and n.additional_items is not None:
            out.append(
                ("ADDITIONAL_ITEMS_NARROWED", "additionalItems", None, label(n.additional_items))
            )
        elif n.additional_items is None and o.additional_items is not None:
            out.append(
                ("ADDITIONAL_ITEMS_EXTENDED", "additionalItems", label(o.additional_items), None)
            )
        elif o.additional_items is not None:
            out.extend(_at("additionalItems", self.compare(o.additional_items, n.additional_items)))
        self._unevaluated(
            o.unevaluated_items, n.unevaluated_items, "unevaluatedItems", "ITEMS", out
        )
        _bound(out, "maxItems", "MAX_ITEMS", o.max_items, n.max_items)
        _bound(out, "minItems", "MIN_ITEMS", o.min_items, n.min_items)
        if o.unique_items != n.unique_items:
            kind = "UNIQUE_ITEMS_REMOVED" if o.unique_items else "UNIQUE_ITEMS_ADDED"
            out.append((kind, "uniqueItems", o.unique_items, n.unique_items))
        _bound(out, "maxContains", "MAX_CONTAINS", _int(o.max_contains), _int(n.max_contains))
        _bound(out, "minContains", "MIN_CONTAINS", _int(o.min_contains), _int(n.min_contains))


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _raw(node: Node, keyword: str) -> object:
    return node.raw.get(keyword) if isinstance(node.raw, dict) else None


def _enum_values(node: Node) -> object:
    return _raw(node, "enum")


def _string(o: Node, n: Node, out: list[Diff]) -> None:
    _bound(out, "maxLength", "MAX_LENGTH", o.max_length, n.max_length)
    _bound(out, "minLength", "MIN_LENGTH", o.min_length, n.min_length)
    if o.pattern != n.pattern:
        if o.pattern is None:
            out.append(("PATTERN_ADDED", "pattern", None, n.pattern))
        elif n.pattern is None:
            out.append(("PATTERN_REMOVED", "pattern", o.pattern, None))
        else:
            out.append(("PATTERN_CHANGED", "pattern", o.pattern, n.pattern))


def _number(o: Node, n: Node, out: list[Diff]) -> None:
    _bound(out, "maximum", "MAXIMUM", o.maximum, n.maximum)
    _bound(out, "minimum", "MINIMUM", o.minimum, n.minimum)
    old_x, new_x = o.excl_max, n.excl_max
    if old_x != new_x:
        if old_x is None:
            out.append(("EXCLUSIVE_MAXIMUM_ADDED", "exclusiveMaximum", None, new_x))
        elif new_x is None:
            out.append(("EXCLUSIVE_MAXIMUM_REMOVED", "exclusiveMaximum", old_x, None))
        elif old_x < new_x:
            out.append(("EXCLUSIVE_MAXIMUM_INCREASED", "exclusiveMaximum", old_x, new_x))
        elif n.maximum is None or old_x > n.maximum:
            # Confluent compares against the new *maximum* here (a quirk kept on purpose);
            # where it would fail on a missing maximum we report the plain decrease.
            out.append(("EXCLUSIVE_MAXIMUM_DECREASED", "exclusiveMaximum", old_x, new_x))
    _bound(out, "exclusiveMinimum", "EXCLUSIVE_MINIMUM", o.excl_min, n.excl_min)
    old_m, new_m = o.multiple_of, n.multiple_of
    if old_m != new_m:
        if old_m is None:
            out.append(("MULTIPLE_OF_ADDED", "multipleOf", None, new_m))
        elif new_m is None:
            out.append(("MULTIPLE_OF_REMOVED", "multipleOf", old_m, None))
        else:
            out.append((_multiple_kind(old_m, new_m), "multipleOf", old_m, new_m))
    if o.requires_integer != n.requires_integer:
        kind = "TYPE_EXTENDED" if o.requires_integer else "TYPE_NARROWED"
        out.append((kind, "", label(o), label(n)))


def _multiple_kind(old: float, new: float) -> str:
    try:
        old_d, new_d = _decimal(old), _decimal(new)
        if old_d != 0 and new_d % old_d == 0:
            return "MULTIPLE_OF_EXPANDED"
        if new_d != 0 and old_d % new_d == 0:
            return "MULTIPLE_OF_REDUCED"
    except InvalidOperation:
        pass
    return "MULTIPLE_OF_CHANGED"


def _criterion_change(o: Node, n: Node) -> str | None:
    old_c, new_c = o.criterion, n.criterion
    if old_c == new_c:
        return None
    old_single, new_single = len(o.subschemas) == 1, len(n.subschemas) == 1
    if new_c == ANY_OF:
        return "COMBINED_TYPE_EXTENDED"
    if old_single and new_single:
        return "COMBINED_TYPE_EXTENDED"
    if old_single and new_c == ONE_OF:
        return "COMBINED_TYPE_EXTENDED"
    if new_single and old_c == ALL_OF:
        return "COMBINED_TYPE_EXTENDED"
    return "COMBINED_TYPE_CHANGED"


def _dedupe(subschemas: list[Node]) -> list[Node]:
    if len(subschemas) < 2:
        return subschemas
    seen: set[str] = set()
    unique: list[Node] = []
    for sub in subschemas:
        key = sub.canon
        if key not in seen:
            seen.add(key)
            unique.append(sub)
    return unique


def _max_matching(
    candidates: list[list[tuple[int, list[Diff]]]], right_size: int
) -> dict[int, tuple[int, list[Diff]]]:
    """Maximum bipartite matching (augmenting paths), trying cheaper edges first."""
    owner: list[int] = [-1] * right_size
    choice: dict[int, tuple[int, list[Diff]]] = {}

    def augment(i: int, visited: set[int]) -> bool:
        for j, found in candidates[i]:
            if j in visited:
                continue
            visited.add(j)
            if owner[j] == -1 or augment(owner[j], visited):
                owner[j] = i
                choice[i] = (j, found)
                return True
        return False

    for i in range(len(candidates)):
        if candidates[i]:
            augment(i, set())
    return choice


def _object_open(node: Node) -> bool:
    uneval = node.unevaluated
    return (
        not node.pattern_properties
        and node.additional is None
        and node.permits_additional
        and (uneval is None or uneval.is_empty)
    )


def _object_partial(node: Node, key: str) -> Node | None:
    for pattern, schema in node.pattern_properties:
        if pattern_finds(pattern, key):
            return schema
    if node.additional is not None:
        return node.additional
    uneval = node.unevaluated
    if node.permits_additional and uneval is not None and materialise(uneval).kind != FALSE:
        return None if uneval.is_empty else uneval
    return None


def _array_open(node: Node) -> bool:
    uneval = node.unevaluated_items
    return (
        node.permits_additional_items
        and node.additional_items is None
        and (uneval is None or uneval.is_empty)
    )


def _array_partial(node: Node) -> Node | None:
    if node.additional_items is not None:
        return node.additional_items
    uneval = node.unevaluated_items
    if node.permits_additional_items and uneval is not None and materialise(uneval).kind != FALSE:
        return None if uneval.is_empty else uneval
    return None


def diff(old: Node, new: Node, compatible: frozenset[str]) -> list[Diff]:
    """Every difference a reader on ``new`` sees in data written with ``old``."""
    seed: dict[tuple[int, int], list[Diff]] = {}
    documents = (old.loader, new.loader) if old.loader and new.loader else None
    same_refs: dict[str, bool] = {}
    while True:
        differ = Differ(compatible, seed, documents, same_refs)
        result = differ.compare(old, new)
        if not differ.optimism:
            return result
        incompatible = {k: v for k, v in differ.memo.items() if not differ.ok(v)}
        if incompatible.keys() <= seed.keys():
            return result
        seed = {**seed, **incompatible}
