"""Compatibility levels, directions, policies and schema types: words every capability shares."""

from __future__ import annotations

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
