"""Avro compatibility: Apache Avro Java ``SchemaCompatibility`` reader/writer resolution.

``backward_changes(old, new, policy)`` answers Confluent's ``new.isBackwardCompatible(old)``:
``checkReaderWriterCompatibility(reader=new, writer=old)``, with every incompatibility Java
collects, each as a breaking ``Change`` whose ``rule_id`` is Avro's incompatibility kind and
whose ``path`` is Java's JSON-pointer location (in the reader schema).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from contractctl.core.compat.avro.explain import to_change
from contractctl.core.compat.avro.model import Field, Node, parse_schema
from contractctl.core.compat.avro.resolve import Checker, Incompatibility
from contractctl.core.compat.model import Change
from contractctl.core.errors import SchemaParseError
from contractctl.core.vocab.levels import Policy

__all__ = [
    "Field",
    "Incompatibility",
    "Node",
    "backward_changes",
    "incompatibilities",
    "parse_schema",
]


def _model(schema: object, what: str, named: Mapping[str, object] | None) -> Node:
    if isinstance(schema, Node):
        return schema
    if isinstance(schema, str | bytes):
        text = schema.decode() if isinstance(schema, bytes) else schema
        stripped = text.lstrip()
        # A bare primitive or type name is a schema too ("int"), as is JSON text ('"int"').
        if stripped[:1] in ("{", "[", '"'):
            try:
                schema = json.loads(text)
            except ValueError as exc:
                raise SchemaParseError(f"{what} Avro schema is not valid JSON: {exc}") from None
        else:
            schema = stripped
    return parse_schema(schema, named=named)


def incompatibilities(
    writer: object, reader: object, *, named: Mapping[str, object] | None = None
) -> list[Incompatibility]:
    """Java's ``getIncompatibilities()`` for ``checkReaderWriterCompatibility(reader, writer)``."""
    w = _model(writer, "writer", named)
    r = _model(reader, "reader", named)
    return Checker().check(r, w)


def backward_changes(
    old: object,
    new: object,
    policy: Policy = Policy.STRICT,
    *,
    named: Mapping[str, object] | None = None,
) -> list[Change]:
    """Changes a reader on ``new`` sees reading data written with ``old``; ``policy`` is unused.

    ``old``/``new`` are parsed Avro schemas (dict, list for a union, str for a primitive or a
    named-type reference), JSON text, or ``Node`` models from ``parse_schema``. ``named``
    maps full names to schemas of named types defined in other files.
    """
    del policy  # Avro resolution has no policy knob
    return [to_change(issue) for issue in incompatibilities(old, new, named=named)]
