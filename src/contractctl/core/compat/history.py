"""The changes between two versions of one event, as every output presents them.

``changes_between`` is the one presentation of a version step: each change once, old → new,
compatible ones included, with the directions it breaks (FULL: both readings). ``check``,
``diff``, the JSON and markdown reports and the docs catalog's version history all read it.
"""

from __future__ import annotations

from collections.abc import Mapping

from contractctl.core.compat.engine import check_compatibility
from contractctl.core.compat.model import Change
from contractctl.core.vocab.levels import Level, Policy, SchemaType


def changes_between(
    old: object,
    new: object,
    *,
    schema_type: str | SchemaType,
    policy: str | Policy = Policy.STRICT,
    named: Mapping[str, object] | None = None,
    labels: tuple[str, str] | None = None,
) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking ones first, then by location.

    ``labels`` name the two versions in messages (e.g. ``("1.0.0", "1.1.0")``).
    """
    result = check_compatibility(
        old,
        new,
        schema_type=schema_type,
        level=Level.FULL,
        policy=policy,
        named=named,
        labels=list(labels) if labels else None,
    )
    return sort_changes(result.changes)


def sort_changes(changes: list[Change]) -> list[Change]:
    """Breaking first, then by location and rule: the order every listing uses."""
    return sorted(changes, key=lambda c: (not c.breaking, c.path, c.rule_id))
