"""Apply a compatibility level to a candidate schema and its history.

The format modules answer one question, Confluent's primitive ``reader.isBackwardCompatible
(writer)``: which changes does a reader on ``new`` see when reading data written with
``old``. Levels are policy on top of that: FORWARD swaps the roles, FULL does both, the
transitive levels walk every earlier version newest first and stop at the first failure.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contractctl.core.compat.model import Change, CompatResult
from contractctl.core.errors import SchemaParseError
from contractctl.core.vocab.levels import Direction, Level, Policy, SchemaType

# (old/writer, new/reader, policy) -> changes seen by the reader, all with direction BACKWARD.
Differ = Callable[[Any, Any, Policy], list[Change]]


def _differ(schema_type: SchemaType, named: Mapping[str, object] | None) -> Differ:
    if schema_type is SchemaType.JSON:
        from contractctl.core.compat.jsonschema import backward_changes as json_changes

        return json_changes
    from contractctl.core.compat.avro import backward_changes as avro_changes

    if named:
        return functools.partial(avro_changes, named=named)
    return avro_changes


def _parse(schema: object, what: str, schema_type: SchemaType) -> object:
    """Parse JSON text; an Avro string that is not JSON text is a primitive or a type name."""
    if isinstance(schema, bytes):
        schema = schema.decode("utf-8", errors="replace")
    if not isinstance(schema, str):
        return schema
    stripped = schema.strip()
    if schema_type is SchemaType.AVRO:
        if not stripped.startswith(("{", "[", '"')):
            return stripped
        from contractctl.core.schema.avro_schema import load_avro_text

        try:
            return load_avro_text(schema)
        except SchemaParseError as exc:
            raise SchemaParseError(f"{what} schema: {exc.message}") from None
    try:
        return json.loads(schema)
    except ValueError as exc:
        raise SchemaParseError(f"{what} schema is not valid JSON: {exc}") from None


def check_compatibility(
    old: object,
    new: object,
    *,
    schema_type: str | SchemaType,
    level: str | Level = "BACKWARD",
    policy: str | Policy = "STRICT",
    history: Sequence[object] | None = None,
    named: Mapping[str, object] | None = None,
) -> CompatResult:
    """Judge ``new`` against ``old`` (and, for transitive levels, ``history``) at ``level``.

    ``old``/``new`` are parsed schemas (dict/list/str for Avro) or their JSON text.
    ``history`` lists every earlier version, oldest first; when given, ``old`` should be
    its last element (if it is not, it is appended). Non-transitive levels only look at
    the latest version, exactly as a schema registry does. ``named`` supplies Avro named
    types defined in other files (full name → schema).
    """
    stype = schema_type if isinstance(schema_type, SchemaType) else SchemaType.parse(schema_type)
    lvl = level if isinstance(level, Level) else Level.parse(level)
    pol = policy if isinstance(policy, Policy) else Policy.parse(policy)
    new_s = _parse(new, "new", stype)
    versions = [_parse(h, "history", stype) for h in (history or [])]
    old_s = _parse(old, "old", stype)
    if not versions or versions[-1] != old_s:
        versions.append(old_s)

    result = CompatResult(level=lvl, schema_type=stype)
    directions = lvl.directions
    for d in directions:
        result.verdicts[d] = True
    if not directions:
        return result

    differ = _differ(stype, named)
    # Newest first, like Confluent; non-transitive levels see the latest only.
    targets = list(reversed(versions)) if lvl.transitive else [versions[-1]]
    for index, previous in enumerate(targets):
        label = None if not lvl.transitive else f"-{index + 1}"
        failed = False
        for d in directions:
            if d is Direction.BACKWARD:
                found = differ(previous, new_s, pol)
            else:
                found = differ(new_s, previous, pol)
            changes = [c.with_context(d, label) for c in found]
            result.changes.extend(changes)
            if any(c.breaking for c in changes):
                result.verdicts[d] = False
                failed = True
        if failed:
            break
    return result
