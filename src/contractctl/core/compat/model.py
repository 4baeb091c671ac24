"""Value types of the compatibility engine: levels, policies, changes and results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls(text.upper())
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown compatibility level {text!r}; use one of {names}") from None

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @property
    def directions(self) -> tuple[Direction, ...]:
        base = self.value.removesuffix("_TRANSITIVE")
        if base == "BACKWARD":
            return (Direction.BACKWARD,)
        if base == "FORWARD":
            return (Direction.FORWARD,)
        if base == "FULL":
            return (Direction.BACKWARD, Direction.FORWARD)
        return ()


class Direction(StrEnum):
    """Which reading a change breaks.

    BACKWARD: consumers on the new schema read data written with the old one.
    FORWARD: consumers still on the old schema read data written with the new one.
    """

    BACKWARD = "BACKWARD"
    FORWARD = "FORWARD"


class Policy(StrEnum):
    """JSON Schema policy: STRICT is the registry default; LENIENT relaxes open content models."""

    STRICT = "STRICT"
    LENIENT = "LENIENT"

    @classmethod
    def parse(cls, text: str) -> Policy:
        try:
            return cls(text.upper())
        except ValueError:
            raise ValueError(f"unknown policy {text!r}; use STRICT or LENIENT") from None


class SchemaType(StrEnum):
    JSON = "JSON"
    AVRO = "AVRO"

    @classmethod
    def parse(cls, text: str) -> SchemaType:
        aliases = {"JSON": "JSON", "JSONSCHEMA": "JSON", "AVRO": "AVRO"}
        try:
            return cls(aliases[text.upper().replace("-", "").replace("_", "")])
        except KeyError:
            raise ValueError(f"unknown schema type {text!r}; use JSON or AVRO") from None


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
