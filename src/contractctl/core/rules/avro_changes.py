"""Avro change kinds: what happened between two Avro schemas, compatible or not.

Avro's own rules (``avro_compat``) name only failures of a reading; these name the change a
changelog lists (a field added with a default, a symbol removed…). Whether a change breaks
is decided by the readings, never by this table: ``breaks`` says which directions a change
of this kind *can* break, so ``contractctl rules`` shows what to expect.
"""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

_B = frozenset({"BACKWARD"})
_F = frozenset({"FORWARD"})
_BOTH = _B | _F
_NONE: frozenset[str] = frozenset()


def _rule(rule_id: str, summary: str, breaks: frozenset[str]) -> Rule:
    return Rule(
        id=rule_id,
        summary=summary,
        category=Category.AVRO_COMPAT,
        severity=Severity.ERROR if breaks else Severity.INFO,
        breaks=breaks,
    )


AVRO_CHANGE_RULES: tuple[Rule, ...] = (
    _rule("AVRO_FIELD_ADDED_WITH_DEFAULT", "A record field was added with a default.", _NONE),
    _rule(
        "AVRO_FIELD_ADDED_WITHOUT_DEFAULT",
        "A record field was added without a default: new readers cannot fill it from old data.",
        _B,
    ),
    _rule(
        "AVRO_FIELD_REMOVED_WITH_DEFAULT", "A record field that had a default was removed.", _NONE
    ),
    _rule(
        "AVRO_FIELD_REMOVED_WITHOUT_DEFAULT",
        "A record field without a default was removed: old readers cannot fill it.",
        _F,
    ),
    _rule("AVRO_FIELD_RENAMED", "A field was renamed, the new field aliasing the old name.", _F),
    _rule(
        "AVRO_ENUM_SYMBOL_ADDED",
        "An enum symbol was added (breaks FORWARD unless the enum has a default).",
        _F,
    ),
    _rule(
        "AVRO_ENUM_SYMBOL_REMOVED",
        "An enum symbol was removed (breaks BACKWARD unless the enum has a default).",
        _B,
    ),
    _rule("AVRO_TYPE_PROMOTED", "A type was promoted (int→long→float→double, string↔bytes).", _F),
    _rule("AVRO_TYPE_CHANGED", "A type changed to one Avro cannot promote to.", _BOTH),
    _rule("AVRO_UNION_BRANCH_ADDED", "A union gained a branch (or a type became a union).", _F),
    _rule("AVRO_UNION_BRANCH_REMOVED", "A union lost a branch.", _B),
    _rule("AVRO_NAME_CHANGED", "A record, enum or fixed was renamed.", _BOTH),
    _rule(
        "AVRO_NAMESPACE_CHANGED",
        "A named type's namespace changed (its short name did not).",
        _NONE,
    ),
    _rule("AVRO_ALIASES_CHANGED", "A named type's or field's aliases changed.", _NONE),
    _rule("AVRO_DOC_CHANGED", "A `doc` changed.", _NONE),
    _rule("AVRO_DEFAULT_CHANGED", "A field's or enum's `default` changed.", _NONE),
    _rule("AVRO_LOGICAL_TYPE_CHANGED", "A `logicalType` was added, removed or changed.", _NONE),
    _rule("AVRO_FIXED_SIZE_CHANGED", "A fixed type's size changed.", _BOTH),
)
