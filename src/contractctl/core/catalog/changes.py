"""The schema changes between two versions of an event, as the catalog presents them.

:func:`version_changes` is the one place the catalog asks the compatibility engine: the
version history and the diff pages both read its result, and a new presentation of changes
(one entry per change, in the direction it happened) replaces it here alone. Until then it
mirrors ``contractctl diff``: FULL level, changes merged by rule and location with the
directions each breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractctl.core.contract.model import Contract
from contractctl.core.errors import ContractctlError


@dataclass(frozen=True, slots=True)
class ChangeView:
    rule_id: str
    path: str
    breaks: tuple[str, ...]  # directions it breaks; () when compatible
    message: str
    old: str | None = None
    new: str | None = None

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    @property
    def direction(self) -> str:
        """The directions it breaks, for one-line lists ("compatible" when none)."""
        return "/".join(self.breaks) if self.breaks else "compatible"


@dataclass(frozen=True, slots=True)
class VersionDiff:
    changes: list[ChangeView]
    verdicts: dict[str, bool]  # BACKWARD/FORWARD -> compatible


def _shown(value: object) -> str | None:
    if value is None:
        return None
    import json

    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "…"


def version_changes(old: Contract, new: Contract) -> VersionDiff | None:
    """Changes from ``old`` to ``new``; None when they cannot be computed."""
    if old.schema.format != new.schema.format:
        return None
    try:
        from contractctl.core.compat.engine import check_compatibility
        from contractctl.core.contract.payload import resolved_schema

        result = check_compatibility(
            resolved_schema(old),
            resolved_schema(new),
            schema_type=new.schema.schema_type,
            level="FULL",
            named={**old.schema.named_types, **new.schema.named_types},
        )
    except ImportError:  # the compatibility engine for this format is not installed
        return None
    except (ContractctlError, ValueError, TypeError, KeyError):
        return None  # a schema the engine cannot judge gets no change list, not a failed build
    rows: dict[tuple[str, str], tuple[set[str], str, object, object]] = {}
    for ch in result.changes:
        key = (ch.rule_id, ch.path)
        breaks, message, o, n = rows.get(key, (set(), ch.message, ch.old, ch.new))
        if ch.breaking:
            breaks.add(ch.direction.value)
        rows[key] = (breaks, message, o, n)
    changes = [
        ChangeView(rule, path, tuple(sorted(b)), msg, _shown(o), _shown(n))
        for (rule, path), (b, msg, o, n) in rows.items()
    ]
    changes.sort(key=lambda c: (not c.breaking, c.path, c.rule_id))
    verdicts = {str(d.value): ok for d, ok in result.verdicts.items()}
    return VersionDiff(changes, dict(sorted(verdicts.items())))
