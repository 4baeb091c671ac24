"""The rule record every rule table is made of: a stable ID, its category and how it is judged."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from contractctl.core.vocab.findings import Severity


class Category(StrEnum):
    STRUCTURE = "structure"  # the contract document itself
    SCHEMA = "schema"  # the payload schema is valid
    EXAMPLE = "example"  # examples match the schema
    REFERENCE = "reference"  # cross-field and cross-contract references
    GOVERNANCE = "governance"  # house rules, configurable
    JSON_COMPAT = "json-compat"  # JSON Schema compatibility (Confluent difference types)
    AVRO_COMPAT = "avro-compat"  # Avro reader/writer resolution
    CHECK = "check"  # the compatibility gate (version discipline, removed events)
    VERIFY = "verify"  # real events held to their contracts, and the sagas they form
    BEHAVIOUR = "behaviour"  # what the contract promises beyond its payload (key, delivery, …)
    REVIEW = "review"  # consumer impact and deprecation policy on top of the verdicts


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule record: ID, purpose and how it is judged.

    ``breaks`` names the compatibility directions a change of this kind breaks
    ("BACKWARD" = new readers cannot read old data, "FORWARD" = old readers cannot read
    new data). Empty for non-compat rules. ``affects`` names the parties a behavioural
    change hurts (``consumers``, ``operators``, ``saga``), for rules without a direction.
    """

    id: str
    summary: str
    category: Category
    severity: Severity = Severity.ERROR
    breaks: frozenset[str] = frozenset()
    lenient_ok: bool = False
    configurable: bool = False
    deprecated: bool = False
    replacement: str | None = None
    hint: str | None = None
    affects: frozenset[str] = frozenset()
