"""The JSON compatibility rule catalogue: one record per Confluent difference type."""

from __future__ import annotations

from contractctl.core.rules import json_compat as json_rules
from contractctl.core.rules.model import Category
from contractctl.core.vocab.findings import Severity
from contractctl.core.vocab.levels import Policy


def test_one_rule_per_confluent_type() -> None:
    ids = [r.id for r in json_rules.JSON_RULES]
    assert len(ids) == 132
    assert len(set(ids)) == 132
    assert all(r.category is Category.JSON_COMPAT for r in json_rules.JSON_RULES)
    assert all(r.summary and "\n" not in r.summary for r in json_rules.JSON_RULES)


def test_policy_sets() -> None:
    assert len(json_rules.COMPATIBLE_STRICT) == 65
    lenient_only = json_rules.COMPATIBLE_LENIENT - json_rules.COMPATIBLE_STRICT
    assert lenient_only == {
        "ADDITIONAL_PROPERTIES_REMOVED",
        "ADDITIONAL_PROPERTIES_NARROWED",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "UNEVALUATED_PROPERTIES_REMOVED",
        "UNEVALUATED_PROPERTIES_NARROWED",
    }
    assert json_rules.compatible_types(Policy.STRICT) is json_rules.COMPATIBLE_STRICT
    assert json_rules.compatible_types(Policy.LENIENT) is json_rules.COMPATIBLE_LENIENT


def test_rule_records_follow_the_verdicts() -> None:
    for rule in json_rules.JSON_RULES:
        compatible = rule.id in json_rules.COMPATIBLE_STRICT
        assert (rule.breaks == frozenset()) is compatible, rule.id
        assert rule.severity is (Severity.INFO if compatible else Severity.ERROR), rule.id
        assert rule.lenient_ok is (rule.id in json_rules.COMPATIBLE_LENIENT and not compatible)
        if rule.hint is not None:
            assert not compatible, f"{rule.id}: hints are for breaking changes"
    deprecated = [r for r in json_rules.JSON_RULES if r.deprecated]
    assert [r.id for r in deprecated] == ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
