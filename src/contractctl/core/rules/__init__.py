"""The one catalogue of rules: every check contractctl can report, with a stable ID.

Owns the rule tables (contract lint, gate, graph, JSON Schema and Avro compatibility) and
the catalogue that lists them. Tables import only ``rules.model`` and ``vocab``; the code
that fires a rule imports its table from here. ``contractctl rules`` and docs/rules.md are
generated from ``all_rules()``, never from a second list.
"""

from __future__ import annotations

from functools import cache

from contractctl.core.rules.model import Category, Rule

__all__ = ["Category", "Rule", "all_rules", "get_rule"]


@cache
def _catalogue() -> dict[str, Rule]:
    # The tables are imported on first use so that importing a rule table stays cheap.
    from contractctl.core.rules import (
        avro_changes,
        avro_compat,
        behaviour,
        check,
        graph,
        json_compat,
        lint,
        review,
        verify,
    )

    catalogue: dict[str, Rule] = {}
    tables = (
        lint.CONTRACT_RULES,
        check.CHECK_RULES,
        behaviour.BEHAVIOUR_RULES,
        review.REVIEW_RULES,
        graph.GRAPH_RULES,
        json_compat.JSON_RULES,
        avro_compat.AVRO_RULES,
        verify.VERIFY_RULES,
        avro_changes.AVRO_CHANGE_RULES,
    )
    for table in tables:
        for rule in table:
            existing = catalogue.get(rule.id)
            if existing is not None and existing != rule:
                raise ValueError(f"rule {rule.id} is defined twice with different definitions")
            catalogue[rule.id] = rule
    return catalogue


def all_rules() -> list[Rule]:
    return sorted(_catalogue().values(), key=lambda r: (r.category.value, r.id))


def get_rule(rule_id: str) -> Rule:
    try:
        return _catalogue()[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}") from None
