"""Tell each Avro change once, old → new, with the directions Avro's resolution says it breaks.

The structural changes (``changes.structural_changes``) say what happened; the two readings
(Java's ``checkReaderWriterCompatibility`` with the new schema as reader, then the old one)
say what fails. A failure is attached to the change at its location: Java locates it in the
reader schema, which is the new schema for BACKWARD and the old one for FORWARD, so a change
is matched by its new or old pointer, exactly first, then by the nearest enclosing change. A
failure no change explains (Java reports a memoised pair at the location it was first met)
is kept as a change of its own, under Avro's incompatibility kind, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contractctl.core.compat.avro.changes import Step, structural_changes
from contractctl.core.compat.model import Change
from contractctl.core.rules import get_rule
from contractctl.core.vocab.levels import Direction

_BACKWARD_WHY = "readers on {new} cannot read data written with {old}"
_FORWARD_WHY = "readers on {old} cannot read data written with {new}"
# (sentence, hint when BACKWARD breaks, hint when FORWARD breaks)
_WORDING: dict[str, tuple[str, str, str]] = {
    "AVRO_FIELD_ADDED_WITH_DEFAULT": ("field {field} was added with a default", "", ""),
    "AVRO_FIELD_ADDED_WITHOUT_DEFAULT": (
        "field {field} was added without a default",
        "give {field} a default (null counts) so old records can be read",
        "",
    ),
    "AVRO_FIELD_REMOVED_WITH_DEFAULT": ("field {field} was removed (it had a default)", "", ""),
    "AVRO_FIELD_REMOVED_WITHOUT_DEFAULT": (
        "field {field} was removed; it has no default in the old schema",
        "",
        "give {field} a default in a release first, or keep it",
    ),
    "AVRO_FIELD_RENAMED": ("field {old} was renamed to {new} (through an alias)", "", ""),
    "AVRO_ENUM_SYMBOL_ADDED": (
        "enum symbol {new} was added",
        "",
        "give the enum a `default` symbol before adding symbols, so old readers map unknown "
        "ones to it",
    ),
    "AVRO_ENUM_SYMBOL_REMOVED": (
        "enum symbol {old} was removed",
        "keep the symbol, or give the new enum a `default` symbol",
        "",
    ),
    "AVRO_TYPE_PROMOTED": ("the type was promoted from {old} to {new}", "", "keep the type"),
    "AVRO_TYPE_CHANGED": (
        "the type changed from {old} to {new}",
        "keep the type, or add a new field with a default instead",
        "keep the type, or add a new field with a default instead",
    ),
    "AVRO_UNION_BRANCH_ADDED": (
        "union branch {new} was added",
        "",
        "old readers lack the branch: upgrade consumers first, or keep the union as it was",
    ),
    "AVRO_UNION_BRANCH_REMOVED": (
        "union branch {old} was removed",
        "keep the branch; data written with it cannot be decoded otherwise",
        "",
    ),
    "AVRO_NAME_CHANGED": (
        "the named type {old} was renamed to {new}",
        "keep the name, or list the old full name in the new type's `aliases`",
        "keep the name, or list the new full name in the old type's `aliases`",
    ),
    "AVRO_NAMESPACE_CHANGED": ("the namespace changed: {old} → {new}", "", ""),
    "AVRO_ALIASES_CHANGED": ("aliases changed: {old} → {new}", "", ""),
    "AVRO_DOC_CHANGED": ("the doc changed", "", ""),
    "AVRO_DEFAULT_CHANGED": ("the default changed: {old} → {new}", "", ""),
    "AVRO_LOGICAL_TYPE_CHANGED": ("the logical type changed: {old} → {new}", "", ""),
    "AVRO_FIXED_SIZE_CHANGED": (
        "the fixed size changed from {old} to {new} bytes",
        "a fixed type's size cannot change; add a new field with a new fixed type",
        "a fixed type's size cannot change; add a new field with a new fixed type",
    ),
}


def _shown(value: object) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else repr(value)
    return text if text.startswith(("record `", "enum `", "fixed `")) else f"`{text}`"


def present(
    old: Any,
    new: Any,
    backward: Sequence[Change],
    forward: Sequence[Change],
    named: Mapping[str, Any] | None = None,
    labels: tuple[str, str] = ("the old schema", "the new schema"),
) -> list[Change]:
    """Structural changes of ``old`` → ``new`` with the readings' failures attached."""
    try:
        steps = structural_changes(old, new, named)
    except RecursionError:
        steps = []  # nested beyond Python's stack: the readings' failures are still listed
    judged: list[list[tuple[Direction, Change]]] = [[] for _ in steps]
    orphans: list[tuple[Direction, Change]] = []
    for direction, reading in ((Direction.BACKWARD, backward), (Direction.FORWARD, forward)):
        for failure in reading:
            targets = _targets(steps, failure.path, direction)
            for index in targets:
                judged[index].append((direction, failure))
            if not targets:
                orphans.append((direction, failure))
    out = [_change(step, found, labels) for step, found in zip(steps, judged, strict=True)]
    out.extend(_orphan(direction, failure, labels) for direction, failure in orphans)
    return out


def _targets(steps: Sequence[Step], location: str, direction: Direction) -> list[int]:
    def where(step: Step) -> tuple[str, str]:
        # Java locates a failure in the reader: the new schema reads BACKWARD, the old FORWARD.
        if direction is Direction.BACKWARD:
            return step.path, step.old_path
        return step.old_path, step.path

    for pick in (0, 1):
        exact = [i for i, s in enumerate(steps) if where(s)[pick] == location]
        if exact:
            return exact
    under = [i for i, s in enumerate(steps) if where(s)[0].startswith(location + "/")]
    if under:
        return under
    # The nearest enclosing change (a type changed above the failure's location).
    enclosing = [
        (len(where(s)[0]), i)
        for i, s in enumerate(steps)
        if location.startswith(where(s)[0] + "/") and s.kind != "AVRO_DOC_CHANGED"
    ]
    return [max(enclosing)[1]] if enclosing else []


def _change(step: Step, found: list[tuple[Direction, Change]], labels: tuple[str, str]) -> Change:
    sentence, back_hint, fwd_hint = _WORDING[step.kind]
    breaks = frozenset(d for d, _ in found)
    field = f"`{step.field}`" if step.field else "the record"
    text = sentence.format(field=field, old=_shown(step.old), new=_shown(step.new))
    if step.field and "{field}" not in sentence:
        text += f" (in field `{step.field}`)"
    old_label, new_label = labels
    impacts = []
    hints = []
    if Direction.BACKWARD in breaks:
        impacts.append(_BACKWARD_WHY.format(old=old_label, new=new_label))
        hints.append(back_hint or _first_hint(found, Direction.BACKWARD))
    if Direction.FORWARD in breaks:
        impacts.append(_FORWARD_WHY.format(old=old_label, new=new_label))
        hints.append(fwd_hint or _first_hint(found, Direction.FORWARD))
    impact = "; ".join(impacts) if impacts else "compatible at the level checked"
    forward_ids = [c.rule_id for d, c in found if d is Direction.FORWARD]
    return Change(
        rule_id=step.kind,
        path=step.path,
        message=f"{text}; {impact}.",
        old=step.old,
        new=step.new,
        hint="; ".join(h.format(field=field) for h in hints if h) or None,
        breaks=breaks,
        seen=breaks or frozenset({Direction.BACKWARD}),
        forward_rule_id=forward_ids[0] if forward_ids else None,
        judged_by=tuple((d, c.rule_id) for d, c in found),
        old_path=step.old_path if step.old_path != step.path else None,
    )


def _first_hint(found: list[tuple[Direction, Change]], direction: Direction) -> str:
    return next((c.hint or "" for d, c in found if d is direction), "")


def _orphan(direction: Direction, failure: Change, labels: tuple[str, str]) -> Change:
    old_label, new_label = labels
    why = _BACKWARD_WHY if direction is Direction.BACKWARD else _FORWARD_WHY
    # Java's kinds name a failure, not a step, so the message does not guess one.
    summary = get_rule(failure.rule_id).summary.rstrip(".")
    schema = new_label if direction is Direction.BACKWARD else old_label
    return Change(
        rule_id=failure.rule_id,
        path=failure.path,
        message=f"{summary} (at {failure.path} in {schema}); "
        f"{why.format(old=old_label, new=new_label)}.",
        old=failure.old,
        new=failure.new,
        hint=failure.hint,
        breaks=frozenset({direction}),
        seen=frozenset({direction}),
        forward_rule_id=failure.rule_id if direction is Direction.FORWARD else None,
        judged_by=((direction, failure.rule_id),),
    )
