"""Turn one Confluent difference into a sentence for the person who changed the schema.

``explain`` words one reading's raw difference; ``explain_change`` words a change told once
(old → new) and says who breaks: readers on the new schema (BACKWARD), readers on the old one
(FORWARD). Hints say how to make the change compatible where there is a fix.
"""

from __future__ import annotations

import json

from contractctl.core.rules.json_compat import JSON_RULES
from contractctl.core.vocab.levels import Direction

_RULES = {r.id: r for r in JSON_RULES}


def _subject(path: str) -> str | None:
    """The property a path is about: ``#/properties/a/maxLength`` → "property `a`"."""
    parts = [p for p in path.removeprefix("#/").split("/") if p]
    for i in range(len(parts) - 1, 0, -1):
        if parts[i - 1] in ("properties", "required"):
            return f"property `{parts[i]}`"
    return None


def _property_name(path: str) -> str | None:
    parts = path.removeprefix("#/").split("/")
    if len(parts) >= 2 and parts[-2] in ("properties", "required"):
        return parts[-1]
    return None


def _shown(value: object) -> str:
    return f"`{json.dumps(value)}`" if not isinstance(value, str) else f"`{value}`"


def explain(
    rule_id: str, path: str, old: object, new: object, breaking: bool
) -> tuple[str, str | None]:
    """(message, hint) for one difference at ``path`` (Confluent's ``#/...`` form)."""
    rule = _RULES.get(rule_id)
    summary = (rule.summary if rule else rule_id).rstrip(".")
    subject = _subject(path)
    where = f"{path} ({subject})" if subject else path
    values = ""
    if old is not None and new is not None and not isinstance(old, bool):
        values = f", {_shown(old)} → {_shown(new)}"
    impact = (
        "readers on the new schema may reject data written with the old one"
        if breaking
        else "data written with the old schema stays readable"
    )
    message = f"{summary} at {where}{values}; {impact}."
    hint = rule.hint if rule and breaking else None
    name = _property_name(path)
    if hint and name:
        hint = hint.replace("the new property", f"`{name}`").replace("the property", f"`{name}`")
    return message, hint


# Why readers on the old schema fail, keyed by what the FORWARD reading reported.
_FORWARD_WHY = {
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        "readers on {old} reject data holding {name} (their object is closed)"
    ),
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "readers on {old} may reject data holding {name} (their additional-properties schema "
        "does not accept it)"
    ),
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        "readers on {old} reject data without {name} (they require it)"
    ),
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": (
        "readers on {old} reject data without {name} (they require it)"
    ),
    "REQUIRED_ATTRIBUTE_ADDED": "readers on {old} reject data without {name} (they require it)",
}
_FORWARD_HINTS = {
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        "old readers must accept {name} first: keep FORWARD by upgrading consumers before "
        "producers (level BACKWARD), or start a new major version; declare new objects open "
        "or partially open from v1 so additions stay compatible"
    ),
}
_FORWARD_GENERIC_HINT = (
    "to keep FORWARD, undo the change, or upgrade every consumer before any producer writes "
    "the new shape (level BACKWARD), or start a new major version"
)


def explain_change(
    rule_id: str,
    forward_rule_id: str | None,
    path: str,
    old: object,
    new: object,
    breaks: frozenset[Direction],
    labels: tuple[str, str] = ("the old schema", "the new schema"),
) -> tuple[str, str | None]:
    """(message, hint) for one change told old → new, naming who breaks."""
    rule = _RULES.get(rule_id)
    summary = (rule.summary if rule else rule_id).rstrip(".")
    subject = _subject(path)
    where = f"{path} ({subject})" if subject else path
    values = ""
    if old is not None and new is not None and not isinstance(old, bool):
        values = f", {_shown(old)} → {_shown(new)}"
    old_label, new_label = labels
    name = _property_name(path)
    shown_name = f"`{name}`" if name else "the changed value"
    impacts: list[str] = []
    hints: list[str] = []
    if Direction.BACKWARD in breaks:
        impacts.append(f"readers on {new_label} may reject data written with {old_label}")
        if rule and rule.hint:
            hints.append(_named(rule.hint, name))
    if Direction.FORWARD in breaks:
        why = _FORWARD_WHY.get(forward_rule_id or "")
        if why is None:
            read_as = f" (read that way: {forward_rule_id})" if forward_rule_id else ""
            why = "readers on {old} may reject data written with {new}" + read_as
        impacts.append(why.format(old=old_label, new=new_label, name=shown_name))
        forward_hint = _FORWARD_HINTS.get(forward_rule_id or "", _FORWARD_GENERIC_HINT)
        hints.append(forward_hint.format(name=shown_name))
    if not impacts:
        impacts.append("compatible at the level checked")
    message = f"{summary} at {where}{values}; {'; '.join(impacts)}."
    return message, "; ".join(hints) or None


def _named(hint: str, name: str | None) -> str:
    if not name:
        return hint
    return hint.replace("the new property", f"`{name}`").replace("the property", f"`{name}`")
