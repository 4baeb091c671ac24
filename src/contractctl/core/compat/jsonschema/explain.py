"""Turn one Confluent difference into a sentence for the person who changed the schema.

Messages are written from the reader's side (a consumer on the new schema reading data
written with the old one); hints say how to make the change compatible where there is a fix.
"""

from __future__ import annotations

import json

from contractctl.core.rules.json_compat import JSON_RULES

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
