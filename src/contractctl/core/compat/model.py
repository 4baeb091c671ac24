"""Value types of the compatibility engine: changes and results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contractctl.core.vocab.levels import Direction, Level, SchemaType


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between a writer's and a reader's schema, found by one reading.

    ``rule_id`` is Confluent's difference type (JSON) or Avro's incompatibility kind;
    ``path`` is ``#/properties/a`` (JSON) or a JSON pointer ``/fields/1/type`` (Avro),
    located in the schema the format reports it in. ``old``/``new`` are the values on
    each side (None when absent). ``breaking`` is the verdict under the policy used.
    """

    rule_id: str
    path: str
    direction: Direction
    breaking: bool
    message: str
    old: object = None
    new: object = None
    hint: str | None = None
    against_version: str | None = None

    @property
    def breaks(self) -> frozenset[Direction]:
        return frozenset({self.direction}) if self.breaking else frozenset()

    def with_context(self, direction: Direction, against_version: str | None) -> Change:
        """This change as found by a reading in ``direction``.

        The differ always speaks of reader = "new", writer = "old". A FORWARD reading runs it
        with the roles swapped (the earlier schema reads the candidate's data), so the values
        and the wording are swapped back to mean the earlier and the candidate schema again.
        """
        forward = direction is Direction.FORWARD
        return Change(
            rule_id=self.rule_id,
            path=self.path,
            direction=direction,
            breaking=self.breaking,
            message=_swap_roles(self.message) if forward else self.message,
            old=self.new if forward else self.old,
            new=self.old if forward else self.new,
            hint=_swap_direction(self.hint) if forward and self.hint else self.hint,
            against_version=against_version,
        )


def _swap_direction(hint: str) -> str:
    return re.sub(
        r"\b(BACKWARD|FORWARD)\b", lambda m: "FORWARD" if m[1] == "BACKWARD" else "BACKWARD", hint
    )


_ROLE_WORDS = {
    "the new schema": "the old schema",
    "the old schema": "the new schema",
    "the new one": "the old one",
    "the old one": "the new one",
}
_ROLE_PATTERN = re.compile("|".join(re.escape(k) for k in _ROLE_WORDS))


def _swap_roles(message: str) -> str:
    return _ROLE_PATTERN.sub(lambda m: _ROLE_WORDS[m.group(0)], message)


@dataclass(slots=True)
class CompatResult:
    """The verdict of one candidate schema against its history at one level."""

    level: Level
    schema_type: SchemaType
    changes: list[Change] = field(default_factory=list)
    verdicts: dict[Direction, bool] = field(default_factory=dict)

    @property
    def is_compatible(self) -> bool:
        return all(self.verdicts.values())

    @property
    def breaking_changes(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]
