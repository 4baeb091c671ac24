"""Turn one Confluent difference into a sentence for the person who changed the schema.

Messages are written from the reader's side (a consumer on the new schema reading data
written with the old one); hints say how to make the change compatible where there is a fix.
"""

from __future__ import annotations

from contractctl.core.compat.json_rules import JSON_RULES

_RULES = {r.id: r for r in JSON_RULES}

_KEYWORD_OF_PREFIX = {
    "MAX_LENGTH": "maxLength",
    "MIN_LENGTH": "minLength",
    "MAXIMUM": "maximum",
    "MINIMUM": "minimum",
    "EXCLUSIVE_MAXIMUM": "exclusiveMaximum",
    "EXCLUSIVE_MINIMUM": "exclusiveMinimum",
    "MAX_PROPERTIES": "maxProperties",
    "MIN_PROPERTIES": "minProperties",
    "MAX_ITEMS": "maxItems",
    "MIN_ITEMS": "minItems",
    "MAX_CONTAINS": "maxContains",
    "MIN_CONTAINS": "minContains",
}


def _subject(path: str) -> str:
    """``#/properties/a/maxLength`` → "property `a`", ``#/`` → "the schema"."""
    parts = [p for p in path.removeprefix("#/").split("/") if p]
    for i in range(len(parts) - 1, 0, -1):
        if parts[i - 1] == "properties":
            return f"property `{parts[i]}`"
    return "the schema" if not parts else f"`{path}`"


def _property_name(path: str) -> str | None:
    parts = path.removeprefix("#/").split("/")
    if len(parts) >= 2 and parts[-2] in ("properties", "required"):
        return parts[-1]
    return None


def _fmt(value: object) -> str:
    return f"`{value}`" if not isinstance(value, str) or value else "``"


def explain(
    rule_id: str, path: str, old: object, new: object, breaking: bool
) -> tuple[str, str | None]:
    """(message, hint) for one difference at ``path`` (Confluent's ``#/...`` form)."""
    rule = _RULES.get(rule_id)
    summary = rule.summary if rule else rule_id
    where = _subject(path)
    impact = (
        "readers on the new schema may reject data written with the old one"
        if breaking
        else "data written with the old schema stays readable"
    )
    detail = ""
    for prefix, keyword in _KEYWORD_OF_PREFIX.items():
        if rule_id.startswith(prefix + "_") and rule_id[len(prefix) + 1 :] in (
            "ADDED",
            "REMOVED",
            "INCREASED",
            "DECREASED",
        ):
            if old is not None and new is not None:
                detail = f"`{keyword}` of {where} changed from {old} to {new}"
            elif new is not None:
                detail = f"{where} gained `{keyword}: {new}`"
            else:
                detail = f"{where} lost `{keyword}: {old}`"
            break
    if not detail:
        if rule_id in ("TYPE_CHANGED", "TYPE_NARROWED", "TYPE_EXTENDED") or (
            old is not None and new is not None and not isinstance(old, bool)
        ):
            detail = f"{where} changed from {_fmt(old)} to {_fmt(new)}"
        else:
            detail = f"at {where}"
        detail = f"{summary.rstrip('.')} ({detail})"
    message = f"{detail} at {path}: {impact}."
    hint = rule.hint if rule and breaking else None
    name = _property_name(path)
    if hint and name:
        hint = hint.replace("the property", f"`{name}`").replace("the new property", f"`{name}`")
    return message, hint
