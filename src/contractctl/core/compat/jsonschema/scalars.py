"""Scalar keywords: string and number bounds, patterns and ``multipleOf`` (Confluent
``StringSchemaDiff``/``NumberSchemaDiff``), plus the small helpers every comparison shares.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from contractctl.core.compat.jsonschema.model import Node, label

#: One difference: (Confluent type, path relative to the compared pair, old value, new value).
Diff = tuple[str, str, object, object]


def at(segment: str, diffs: list[Diff]) -> list[Diff]:
    """Re-root pair-relative differences under ``segment``."""
    return [(t, f"{segment}/{p}" if p else segment, o, n) for t, p, o, n in diffs]


def bound(out: list[Diff], keyword: str, prefix: str, old: float | None, new: float | None) -> None:
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


def compare_string(o: Node, n: Node, out: list[Diff]) -> None:
    bound(out, "maxLength", "MAX_LENGTH", o.max_length, n.max_length)
    bound(out, "minLength", "MIN_LENGTH", o.min_length, n.min_length)
    if o.pattern != n.pattern:
        if o.pattern is None:
            out.append(("PATTERN_ADDED", "pattern", None, n.pattern))
        elif n.pattern is None:
            out.append(("PATTERN_REMOVED", "pattern", o.pattern, None))
        else:
            out.append(("PATTERN_CHANGED", "pattern", o.pattern, n.pattern))


def compare_number(o: Node, n: Node, out: list[Diff]) -> None:
    bound(out, "maximum", "MAXIMUM", o.maximum, n.maximum)
    bound(out, "minimum", "MINIMUM", o.minimum, n.minimum)
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
    bound(out, "exclusiveMinimum", "EXCLUSIVE_MINIMUM", o.excl_min, n.excl_min)
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
