"""Avro compatibility rules: one record per Avro incompatibility kind, under Avro's own names."""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

_BOTH = frozenset({"BACKWARD", "FORWARD"})


def _rule(rule_id: str, summary: str, hint: str) -> Rule:
    return Rule(
        id=rule_id,
        summary=summary,
        category=Category.AVRO_COMPAT,
        severity=Severity.ERROR,
        breaks=_BOTH,
        hint=hint,
    )


AVRO_RULES: tuple[Rule, ...] = (
    _rule(
        "NAME_MISMATCH",
        "A record, enum or fixed has a different unqualified name and no reader alias "
        "names the writer's full name.",
        "keep the name, or list the old full name in the reader's `aliases`",
    ),
    _rule(
        "FIXED_SIZE_MISMATCH",
        "A fixed type has a different size in the reader and the writer.",
        "a fixed type's size cannot change; introduce a new fixed type in a new field",
    ),
    _rule(
        "MISSING_ENUM_SYMBOLS",
        "The writer's enum has symbols the reader's enum lacks, and the reader's enum has "
        "no `default` symbol.",
        "keep the symbols, or give the reader's enum a `default`",
    ),
    _rule(
        "READER_FIELD_MISSING_DEFAULT_VALUE",
        "A reader field has no counterpart in the writer (by name or alias) and no default.",
        "give the field a `default` (null counts)",
    ),
    _rule(
        "TYPE_MISMATCH",
        "Reader and writer types differ and Avro promotes none to the other "
        "(allowed: int→long/float/double, long→float/double, float→double, string↔bytes).",
        "keep the type, or add a new field with a default instead",
    ),
    _rule(
        "MISSING_UNION_BRANCH",
        "A type the writer can produce (a writer union branch) has no matching branch in the "
        "reader's union.",
        "keep the branch; adding union branches is backward compatible, removing them is not",
    ),
)
