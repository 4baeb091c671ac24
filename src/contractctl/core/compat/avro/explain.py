"""Turn an Avro ``Incompatibility`` into a ``Change``: a sentence on what broke, and a hint."""

from __future__ import annotations

from collections.abc import Callable

from contractctl.core.compat.avro.resolve import (
    FIXED_SIZE_MISMATCH,
    MISSING_ENUM_SYMBOLS,
    MISSING_UNION_BRANCH,
    NAME_MISMATCH,
    READER_FIELD_MISSING_DEFAULT_VALUE,
    TYPE_MISMATCH,
    Incompatibility,
)
from contractctl.core.compat.model import Change
from contractctl.core.vocab.levels import Direction

_Explainer = Callable[[Incompatibility], tuple[str, str]]


def _in(issue: Incompatibility) -> str:
    return f" of field `{issue.field}`" if issue.field else ""


def _missing_default(issue: Incompatibility) -> tuple[str, str]:
    name = issue.field or str(issue.new)
    return (
        f"field `{name}` was added without a default: readers on the new schema cannot read "
        "records written without it",
        f"give `{issue.new}` a default to keep BACKWARD compatibility",
    )


def _type_mismatch(issue: Incompatibility) -> tuple[str, str]:
    return (
        f"the type{_in(issue)} changed from {issue.old} to {issue.new}: a {issue.new} "
        f"reader cannot read {issue.old} data",
        "Avro only promotes int→long→float→double and string↔bytes; keep the old type or "
        "add a new field with a default",
    )


def _name_mismatch(issue: Incompatibility) -> tuple[str, str]:
    return (
        f"the named type{_in(issue)} `{issue.old}` is `{issue.new}` in the reader: Avro "
        "matches named types by unqualified name or by the reader's aliases",
        f'keep the name, or add "aliases": ["{issue.old}"] to `{issue.new}`',
    )


def _fixed_size(issue: Incompatibility) -> tuple[str, str]:
    return (
        f"the fixed type{_in(issue)} changed size from {issue.old} to {issue.new} bytes: "
        "readers cannot decode values of the old size",
        "a fixed type's size cannot change; add a new field with a new fixed type",
    )


def _enum_symbols(issue: Incompatibility) -> tuple[str, str]:
    old = issue.old if isinstance(issue.old, list) else []
    new = issue.new if isinstance(issue.new, list) else []
    missing = ", ".join(sorted(set(old) - set(new)))
    return (
        f"the enum{_in(issue)} lost symbol(s) {missing}: readers on the new schema cannot "
        "decode data written with them",
        "keep the symbols, or give the reader's enum a `default` symbol",
    )


def _union_branch(issue: Incompatibility) -> tuple[str, str]:
    return (
        f"the union{_in(issue)} has no branch that can read the writer's {issue.old}: "
        "data written with it cannot be decoded",
        f"keep a branch for {issue.old} (adding union branches is backward compatible, "
        "removing them is not)",
    )


EXPLAINERS: dict[str, _Explainer] = {
    READER_FIELD_MISSING_DEFAULT_VALUE: _missing_default,
    TYPE_MISMATCH: _type_mismatch,
    NAME_MISMATCH: _name_mismatch,
    FIXED_SIZE_MISMATCH: _fixed_size,
    MISSING_ENUM_SYMBOLS: _enum_symbols,
    MISSING_UNION_BRANCH: _union_branch,
}


def to_change(issue: Incompatibility) -> Change:
    message, hint = EXPLAINERS[issue.kind](issue)
    return Change(
        rule_id=issue.kind,
        path=issue.location,
        breaks=frozenset({Direction.BACKWARD}),
        message=message,
        old=issue.old,
        new=issue.new,
        hint=hint,
    )
