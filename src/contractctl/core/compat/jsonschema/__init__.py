"""JSON Schema compatibility, judged exactly as Confluent Schema Registry's ``SchemaDiff`` does.

``backward_changes(old, new, policy)`` is Confluent's ``SchemaDiff.compare(original=old,
update=new)``: every difference a reader on ``new`` sees in data written with ``old``, each
named by its Confluent ``Difference.Type`` and located by Confluent's ``#/...`` path.
"""

from __future__ import annotations

import sys

from contractctl.core.compat.jsonschema.diff import diff
from contractctl.core.compat.jsonschema.explain import explain
from contractctl.core.compat.jsonschema.loader import load_schema
from contractctl.core.compat.jsonschema.model import MAX_DEPTH, Node
from contractctl.core.compat.model import Change
from contractctl.core.errors import SchemaParseError
from contractctl.core.rules.json_compat import compatible_types
from contractctl.core.vocab.levels import Direction, Policy

__all__ = ["MAX_DEPTH", "Node", "backward_changes", "load_schema"]

# The model and the differ recurse once per nesting level (a few frames each); make sure a
# schema within MAX_DEPTH never hits Python's default limit of 1000. Only ever raised.
_RECURSION_FLOOR = 10_000


def backward_changes(
    old: object, new: object, policy: Policy | str = Policy.STRICT
) -> list[Change]:
    """Confluent ``SchemaDiff.compare(old, new)`` as ``Change`` records (direction BACKWARD).

    Raises ``SchemaParseError`` when a schema cannot be modelled (unresolvable ``$ref``,
    malformed keyword, nesting deeper than ``MAX_DEPTH``).
    """
    pol = policy if isinstance(policy, Policy) else Policy.parse(policy)
    if sys.getrecursionlimit() < _RECURSION_FLOOR:
        sys.setrecursionlimit(_RECURSION_FLOOR)
    compatible = compatible_types(pol)
    try:
        found = diff(load_schema(old), load_schema(new), compatible)
    except RecursionError:
        raise SchemaParseError(
            f"schema nested too deeply: more than {MAX_DEPTH} levels of subschemas"
        ) from None
    changes = []
    for rule_id, rel, old_value, new_value in found:
        path = f"#/{rel}"
        breaking = rule_id not in compatible
        message, hint = explain(rule_id, path, old_value, new_value, breaking)
        changes.append(
            Change(
                rule_id=rule_id,
                path=path,
                breaks=frozenset({Direction.BACKWARD}) if breaking else frozenset(),
                message=message,
                old=old_value,
                new=new_value,
                hint=hint,
            )
        )
    return changes
