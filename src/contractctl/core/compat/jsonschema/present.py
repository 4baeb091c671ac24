"""Tell each JSON Schema change once, old → new, from Confluent's two readings of it.

Confluent's ``SchemaDiff.compare(original, update)`` names the step original → update. The
BACKWARD reading (``compare(old, new)``) therefore names a change as it happened; the FORWARD
reading (``compare(new, old)``) names the same change mirrored: an added optional property
of a closed object reads as ``PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL``, a lowered
``minimum`` as ``MINIMUM_INCREASED``. Pairing the two readings by location and *topic* (the
ID without its direction words) gives one change with both IDs and every direction it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from contractctl.core.compat.jsonschema.explain import explain_change
from contractctl.core.compat.model import Change
from contractctl.core.rules.json_compat import ALL_TYPES
from contractctl.core.vocab.levels import Direction

# The direction words of Confluent's type names; what follows one is a qualifier
# ("_TO_OPEN_CONTENT_MODEL"), what precedes it the topic.
_STEP = re.compile(
    r"_(ADDED|REMOVED|INCREASED|DECREASED|EXTENDED|NARROWED|EXPANDED|REDUCED|CHANGED)"
)
_MIRROR_WORD = {
    "ADDED": "REMOVED",
    "REMOVED": "ADDED",
    "INCREASED": "DECREASED",
    "DECREASED": "INCREASED",
    "EXTENDED": "NARROWED",
    "NARROWED": "EXTENDED",
    "EXPANDED": "REDUCED",
    "REDUCED": "EXPANDED",
    "CHANGED": "CHANGED",
}
# Mirrors whose names are not a word swap (the content-model family), read off Confluent's
# SchemaDiff: what compare(new, old) reports for a step compare(old, new) reports as the value.
_MIRROR_NAMED = {
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL": "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    ),
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    ),
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL": "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_ATTRIBUTE_REMOVED": "REQUIRED_ATTRIBUTE_ADDED",
}
_KNOWN = frozenset(ALL_TYPES)


def topic(rule_id: str) -> str:
    """What a difference type is about, without its direction: ``MINIMUM_DECREASED`` → MINIMUM."""
    name = rule_id.removeprefix("REQUIRED_").removeprefix("OPTIONAL_").replace("_WITH_DEFAULT", "")
    found = _STEP.search(name)
    return name[: found.start()] if found else name


def mirror(rule_id: str) -> str:
    """The type the other reading gives the same step (the ID itself when none is known)."""
    named = _MIRROR_NAMED.get(rule_id)
    if named is not None:
        return named
    for value, key in _MIRROR_NAMED.items():
        if key == rule_id:
            return value
    found = _STEP.search(rule_id)
    if found is None:
        return rule_id
    swapped = rule_id[: found.start()] + "_" + _MIRROR_WORD[found[1]] + rule_id[found.end() :]
    return swapped if swapped in _KNOWN else rule_id


def present(
    backward: Sequence[Change],
    forward: Sequence[Change],
    labels: tuple[str, str] = ("the old schema", "the new schema"),
) -> list[Change]:
    """One change per real change: BACKWARD reading's changes, paired with the FORWARD ones.

    Both lists are a reading's raw changes with ``old``/``new`` already meaning the old and
    the new schema. Changes are never merged within one reading: Confluent may report the
    same type at the same path twice, and conformance counts them as a multiset.
    """
    pairs: list[tuple[Change | None, Change | None]] = [(b, None) for b in backward]
    free: dict[tuple[str, str], list[int]] = {}
    for index, b in enumerate(backward):
        free.setdefault((b.path, topic(b.rule_id)), []).append(index)
    for f in forward:
        slots = free.get((f.path, topic(f.rule_id)))
        if slots:
            index = slots.pop(0)
            pairs[index] = (pairs[index][0], f)
        else:
            pairs.append((None, f))
    return [_merge(b, f, labels) for b, f in pairs]


def _merge(b: Change | None, f: Change | None, labels: tuple[str, str]) -> Change:
    breaks: set[Direction] = set()
    seen: set[Direction] = set()
    judged: list[tuple[Direction, str]] = []
    if b is not None:
        seen.add(Direction.BACKWARD)
        breaks |= b.breaks
        judged.append((Direction.BACKWARD, b.rule_id))
    if f is not None:
        seen.add(Direction.FORWARD)
        breaks |= f.breaks
        judged.append((Direction.FORWARD, f.rule_id))
    base = b if b is not None else f
    assert base is not None
    rule_id = b.rule_id if b is not None else mirror(base.rule_id)
    forward_id = f.rule_id if f is not None else None
    message, hint = explain_change(
        rule_id, forward_id, base.path, base.old, base.new, frozenset(breaks), labels
    )
    return Change(
        rule_id=rule_id,
        path=base.path,
        message=message,
        old=base.old,
        new=base.new,
        hint=hint,
        breaks=frozenset(breaks),
        seen=frozenset(seen),
        forward_rule_id=forward_id,
        judged_by=tuple(judged),
    )
