"""JSON Schema changes the registry's algorithm accepts without looking: its blind spots.

Confluent's ``SchemaDiff`` does not compare ``patternProperties`` subschemas,
``propertyNames``, ``if``/``then``/``else``, ``dependentSchemas`` subschemas or ``contains``,
and compares ``not`` only by what it excludes at the top. A change there is judged compatible
whatever it does (a ``patternProperties`` value going from string to integer passes). The
verdict stays registry-exact; this module finds such changes so they are reported instead of
passing silently. Both schemas are walked in step through the keywords that hold
subschemas; a blind-spot keyword whose value differs, with no Confluent change reported at
or below it, is one unjudged change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from contractctl.core.compat.model import Change

BLIND_SPOTS = (
    "patternProperties",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
    "dependentSchemas",
    "contains",
)
RULE_ID = "CHECK_UNJUDGED_CHANGE"
_BY_NAME = ("properties", "$defs", "definitions")
_SINGLE = ("items", "additionalProperties", "additionalItems", "unevaluatedProperties")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_DEPTH = 200


def unjudged_changes(old: Any, new: Any, reported: Sequence[Change]) -> list[Change]:
    """One change per blind-spot keyword whose value differs and that nothing else reported."""
    if old == new:  # no keyword differs anywhere (the walk follows no $ref)
        return []
    seen = [c.path for c in reported]
    out = []
    for path, keyword, before, after in _walk(old, new, "#", 0):
        if any(p == path or p.startswith(path + "/") for p in seen):
            continue
        out.append(
            Change(
                rule_id=RULE_ID,
                path=path,
                message=(
                    f"`{keyword}` changed at {path}; the registry's compatibility algorithm "
                    "does not compare this keyword, so the verdict does not cover it"
                ),
                old=before,
                new=after,
                hint=("review by hand which readers this breaks; the registry will accept it"),
            )
        )
    return out


def _walk(old: Any, new: Any, at: str, depth: int) -> Iterator[tuple[str, str, Any, Any]]:
    # Called only on unequal subschemas: equal ones hold no change, so are never walked.
    if not isinstance(old, dict) or not isinstance(new, dict) or depth > _DEPTH:
        return
    for keyword in BLIND_SPOTS:
        if keyword in old or keyword in new:
            before, after = old.get(keyword), new.get(keyword)
            if before != after:
                yield f"{at}/{keyword}", keyword, before, after
    for keyword in _BY_NAME:
        a, b = old.get(keyword), new.get(keyword)
        if isinstance(a, dict) and isinstance(b, dict) and a != b:
            for name in a.keys() & b.keys():
                x, y = a[name], b[name]
                if x != y:  # equal subschemas hold no change: no walk into them
                    yield from _walk(x, y, f"{at}/{keyword}/{name}", depth + 1)
    for keyword in _SINGLE:
        x, y = old.get(keyword), new.get(keyword)
        if isinstance(x, dict) and isinstance(y, dict) and x != y:
            yield from _walk(x, y, f"{at}/{keyword}", depth + 1)
    for keyword in _LISTS:
        a, b = old.get(keyword), new.get(keyword)
        if isinstance(a, list) and isinstance(b, list) and a != b:
            for index, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    yield from _walk(x, y, f"{at}/{keyword}/{index}", depth + 1)
