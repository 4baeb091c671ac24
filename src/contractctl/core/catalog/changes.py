"""The schema changes between two versions of an event, as the catalog presents them.

:func:`version_changes` is the one place the catalog asks the compatibility engine: the
version history and the diff pages both read its result. It uses the engine's one
presentation of changes (each change once, in the direction it happened, with the
directions it breaks, compatible Avro changes included), the same ``check`` and ``diff``
show.
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
        from contractctl.core.compat.history import sort_changes
        from contractctl.core.contract.payload import resolved_schema

        result = check_compatibility(
            resolved_schema(old),
            resolved_schema(new),
            schema_type=new.schema.schema_type,
            level="FULL",
            named={**old.schema.named_types, **new.schema.named_types},
            labels=[old.version, new.version],
        )
    except ImportError:  # the compatibility engine for this format is not installed
        return None
    except (ContractctlError, ValueError, TypeError, KeyError):
        return None  # a schema the engine cannot judge gets no change list, not a failed build
    changes = [
        ChangeView(
            ch.rule_id,
            ch.path,
            tuple(d.value for d in ch.directions),
            ch.message,
            _shown(ch.old),
            _shown(ch.new),
        )
        for ch in sort_changes(result.changes)
    ]
    verdicts = {str(d.value): ok for d, ok in result.verdicts.items()}
    return VersionDiff(changes, dict(sorted(verdicts.items())))
