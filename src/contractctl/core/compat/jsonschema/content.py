"""Content models: how objects and arrays compare (``ObjectSchemaDiff``/``ArraySchemaDiff``).

A property or tuple item present on one side only is judged by the content model of the side
that would have to accept it: removed → the new schema's model, added → the old schema's.
Open (anything else allowed), partially open (a ``patternProperties``/additional/unevaluated
schema covers it) and closed models give the different difference types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractctl.core.compat.jsonschema.model import FALSE, Node, label, materialise, pattern_finds
from contractctl.core.compat.jsonschema.scalars import Diff, at, bound

if TYPE_CHECKING:
    from contractctl.core.compat.jsonschema.diff import Differ


def compare_object(differ: Differ, o: Node, n: Node, out: list[Diff]) -> None:
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
            found = differ.compare(o_prop, n_prop)
            if found:
                out.extend(at(segment, found))
            continue
        # Removed: only the new schema's content model decides.
        if n_open is None:
            n_open = _object_open(n)
        if n_open:
            out.append(("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", segment, label(o_prop), None))
            continue
        partial = _object_partial(n, key)
        if partial is not None:
            found = differ.compare(o_prop, partial)
            out.extend(at(segment, found))
            covered = differ.ok(found)
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
            out.append(("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", segment, label(o_prop), None))
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
            found = differ.compare(partial, n_prop)
            out.extend(at(segment, found))
            out.append(
                (
                    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    if differ.ok(found)
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
    _dependencies(differ, o, n, out)
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
        out.extend(at("additionalProperties", differ.compare(o.additional, n.additional)))
    _unevaluated(differ, o.unevaluated, n.unevaluated, "unevaluatedProperties", "PROPERTIES", out)
    bound(out, "maxProperties", "MAX_PROPERTIES", o.max_properties, n.max_properties)
    bound(out, "minProperties", "MIN_PROPERTIES", o.min_properties, n.min_properties)


def _dependencies(differ: Differ, o: Node, n: Node, out: list[Diff]) -> None:
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
                out.extend(at(segment, differ.compare(old_s, new_s)))


def _unevaluated(
    differ: Differ, old: Node | None, new: Node | None, keyword: str, noun: str, out: list[Diff]
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
        out.extend(at(keyword, differ.compare(old, new)))
        return
    out.append((f"{prefix}_{kind}", keyword, label(old), label(new)))


def compare_array(differ: Differ, o: Node, n: Node, out: list[Diff]) -> None:
    if o.all_items is not None or n.all_items is not None:
        out.extend(at("items", differ.compare(o.all_items, n.all_items)))
    olds = o.item_schemas or []
    news = n.item_schemas or []
    common = min(len(olds), len(news))
    for i in range(common):
        out.extend(at(f"items/{i}", differ.compare(olds[i], news[i])))
    for i in range(common, len(olds)):
        segment = f"items/{i}"
        old_item = olds[i]
        if _array_open(n):
            out.append(("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", segment, label(old_item), None))
            continue
        partial = _array_partial(n)
        if partial is not None:
            found = differ.compare(old_item, partial)
            out.extend(at(segment, found))
            out.append(
                (
                    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    if differ.ok(found)
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
            out.append(("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", segment, label(old_item), None))
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
            found = differ.compare(partial, new_item)
            out.extend(at(segment, found))
            out.append(
                (
                    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    if differ.ok(found)
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
            "ADDITIONAL_ITEMS_REMOVED" if o.permits_additional_items else "ADDITIONAL_ITEMS_ADDED"
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
        out.extend(at("additionalItems", differ.compare(o.additional_items, n.additional_items)))
    _unevaluated(differ, o.unevaluated_items, n.unevaluated_items, "unevaluatedItems", "ITEMS", out)
    bound(out, "maxItems", "MAX_ITEMS", o.max_items, n.max_items)
    bound(out, "minItems", "MIN_ITEMS", o.min_items, n.min_items)
    if o.unique_items != n.unique_items:
        kind = "UNIQUE_ITEMS_REMOVED" if o.unique_items else "UNIQUE_ITEMS_ADDED"
        out.append((kind, "uniqueItems", o.unique_items, n.unique_items))
    bound(out, "maxContains", "MAX_CONTAINS", _int(o.max_contains), _int(n.max_contains))
    bound(out, "minContains", "MIN_CONTAINS", _int(o.min_contains), _int(n.min_contains))


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


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
