"""Value types of the compatibility engine: changes and results.

A ``Change`` is one real difference between an old and a new schema, told once, in the
direction it happened (old → new), with the set of directions it breaks. The engine finds
changes by *readings* (Confluent's ``reader.isBackwardCompatible(writer)`` run with the new
schema as reader, then, for FORWARD, with the old one); ``CompatResult.readings`` keeps what
each reading reported in the registry's own terms, ``CompatResult.changes`` the one
presentation every output uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from contractctl.core.vocab.levels import Direction, Level, SchemaType

_NO_DIRECTIONS: frozenset[Direction] = frozenset()


@dataclass(frozen=True, slots=True)
class Change:
    """One change from the old to the new schema.

    ``rule_id`` names the change as it happened: for JSON Schema, Confluent's difference type
    of the BACKWARD reading (``SchemaDiff.compare(old, new)`` names the step old → new); for
    Avro, the change kind (``AVRO_FIELD_ADDED_WITHOUT_DEFAULT``…) or, for a failure no change
    explains, Avro's incompatibility kind. ``forward_rule_id`` is the ID the FORWARD reading
    (roles swapped) reported for the same change, kept as data because Confluent names the
    mirrored step differently (an added property reads as a removed one). ``judged_by``
    lists every ``(direction, registry ID)`` the readings reported for this change.

    ``path`` is Confluent's ``#/...`` path (JSON) or a JSON pointer into the new schema
    (Avro; into the old one for what exists only there). ``old``/``new`` are the values on
    each side. ``breaks`` is the set of directions it breaks under the policy used; ``seen``
    the directions whose reading reported it.
    """

    rule_id: str
    path: str
    message: str
    old: object = None
    new: object = None
    hint: str | None = None
    breaks: frozenset[Direction] = _NO_DIRECTIONS
    seen: frozenset[Direction] = frozenset({Direction.BACKWARD})
    forward_rule_id: str | None = None
    judged_by: tuple[tuple[Direction, str], ...] = ()
    against_version: str | None = None
    #: The change's location in the old schema when it differs from ``path`` (Avro).
    old_path: str | None = None

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    @property
    def direction(self) -> Direction:
        """The first reading that reported it (BACKWARD when both did)."""
        return Direction.BACKWARD if Direction.BACKWARD in self.seen else Direction.FORWARD

    @property
    def directions(self) -> tuple[Direction, ...]:
        """``breaks`` in a stable order (BACKWARD first)."""
        return tuple(d for d in Direction if d in self.breaks)


@dataclass(slots=True)
class CompatResult:
    """The verdict of one candidate schema against its history at one level.

    ``readings`` holds, per direction, what the registry's algorithm reported in its own
    terms (Confluent's difference types, Avro Java's incompatibilities, in their order), for
    every earlier version compared; the verdicts come from these. ``changes`` is the same
    information as changes told once each (see ``Change``), worked out when first read:
    pairing the readings' failures with every structural change costs as much again as the
    verdict, and callers that only need the verdict (publish, agreement checks) never pay it.
    """

    level: Level
    schema_type: SchemaType
    verdicts: dict[Direction, bool] = field(default_factory=dict)
    readings: dict[Direction, list[Change]] = field(default_factory=dict)
    # What ``changes`` is made of, in order, until it is first read.
    tellers: list[Callable[[], Iterable[Change]]] = field(default_factory=list, repr=False)
    _changes: list[Change] | None = field(default=None, repr=False)

    @property
    def changes(self) -> list[Change]:
        if self._changes is None:
            self._changes = [c for tell in self.tellers for c in tell()]
            self.tellers = []
        return self._changes

    @property
    def is_compatible(self) -> bool:
        return all(self.verdicts.values())

    @property
    def breaking_changes(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]
