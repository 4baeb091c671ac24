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
from dataclasses import replace
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
    labels: Sequence[str] | None = None,
) -> CompatResult:
    """Judge ``new`` against ``old`` (and, for transitive levels, ``history``) at ``level``.

    ``old``/``new`` are parsed schemas (dict/list/str for Avro) or their JSON text.
    ``history`` lists every earlier version, oldest first; when given, ``old`` should be
    its last element (if it is not, it is appended). Non-transitive levels only look at
    the latest version, exactly as a schema registry does. ``named`` supplies Avro named
    types defined in other files (full name → schema). ``labels`` names every version,
    history first and the candidate last (e.g. ``["1.0.0", "1.1.0"]``), for the messages.

    ``result.readings`` keeps each reading's raw report (Confluent's or Java's terms, their
    order); ``result.changes`` tells each change once (see ``compat.model.Change``).
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
    names = list(labels) if labels and len(labels) == len(versions) + 1 else None
    # Newest first, like Confluent; non-transitive levels see the latest only.
    targets = list(reversed(versions)) if lvl.transitive else [versions[-1]]
    for index, previous in enumerate(targets):
        label = None if not lvl.transitive else f"-{index + 1}"
        failed = False
        found: dict[Direction, list[Change]] = {}
        for d in directions:
            if d is Direction.BACKWARD:
                found[d] = differ(previous, new_s, pol)
            else:
                found[d] = [_forward(c) for c in differ(new_s, previous, pol)]
            result.readings.setdefault(d, []).extend(
                replace(c, against_version=label) for c in found[d]
            )
            if any(c.breaking for c in found[d]):
                result.verdicts[d] = False
                failed = True
        pair = (
            (names[len(versions) - 1 - index], names[-1])
            if names
            else ("the old schema", "the new schema")
        )
        backward, forward = found.get(Direction.BACKWARD, []), found.get(Direction.FORWARD, [])
        result.tellers.append(
            functools.partial(_told, stype, previous, new_s, backward, forward, named, pair, label)
        )
        if failed:
            break
    return result


def _told(
    stype: SchemaType,
    previous: Any,
    new_s: Any,
    backward: list[Change],
    forward: list[Change],
    named: Mapping[str, Any] | None,
    pair: tuple[str, str],
    label: str | None,
) -> list[Change]:
    """The changes of one compared pair told once each, old → new."""
    if stype is SchemaType.JSON:
        from contractctl.core.compat.jsonschema.present import present as present_json
        from contractctl.core.compat.jsonschema.unjudged import unjudged_changes

        told = present_json(backward, forward, pair)
        if isinstance(previous, dict) and isinstance(new_s, dict):
            told.extend(unjudged_changes(previous, new_s, told))
    else:
        from contractctl.core.compat.avro.present import present as present_avro

        told = present_avro(previous, new_s, backward, forward, named, pair)
    if label is None and all(c.against_version is None for c in told):
        return told  # a non-transitive check names no earlier version: nothing to stamp
    return [replace(c, against_version=label) for c in told]


def _forward(change: Change) -> Change:
    """A FORWARD reading's change (reader = old) with old/new meaning the old/new schema."""
    return replace(
        change,
        old=change.new,
        new=change.old,
        breaks=frozenset({Direction.FORWARD}) if change.breaking else frozenset(),
        seen=frozenset({Direction.FORWARD}),
    )
