"""The one catalogue of rules: every check contractctl can report, with a stable ID.

Rule tables live next to the code that fires them (contract lint, JSON Schema compat, Avro
compat) and register here; ``contractctl rules`` and docs/rules.md are generated from
``all_rules()``, never from a second list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from contractctl.core.findings import Severity


class Category(StrEnum):
    STRUCTURE = "structure"  # the contract document itself
    SCHEMA = "schema"  # the payload schema is valid
    EXAMPLE = "example"  # examples match the schema
    REFERENCE = "reference"  # cross-field and cross-contract references
    GOVERNANCE = "governance"  # house rules, configurable
    JSON_COMPAT = "json-compat"  # JSON Schema compatibility (Confluent difference types)
    AVRO_COMPAT = "avro-compat"  # Avro reader/writer resolution
    CHECK = "check"  # the compatibility gate (version discipline, removed events)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule record: ID, purpose and how it is judged.

    ``breaks`` names the compatibility directions a change of this kind breaks
    ("BACKWARD" = new readers cannot read old data, "FORWARD" = old readers cannot read
    new data). Empty for non-compat rules.
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


_CATALOGUE: dict[str, Rule] = {}


def register(rules: Iterable[Rule]) -> None:
    for rule in rules:
        existing = _CATALOGUE.get(rule.id)
        if existing is not None and existing != rule:
            raise ValueError(f"rule {rule.id} registered twice with different definitions")
        _CATALOGUE[rule.id] = rule


def _load_tables() -> None:
    # Importing a table module registers its rules; kept lazy so `core.rules` is cheap.
    import contractctl.core.check_rules
    import contractctl.core.compat.avro_rules
    import contractctl.core.compat.json_rules
    import contractctl.core.graph_rules
    import contractctl.core.lint_rules  # noqa: F401


def all_rules() -> list[Rule]:
    _load_tables()
    return sorted(_CATALOGUE.values(), key=lambda r: (r.category.value, r.id))


def get_rule(rule_id: str) -> Rule:
    _load_tables()
    try:
        return _CATALOGUE[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}") from None
