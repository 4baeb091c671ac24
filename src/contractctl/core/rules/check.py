"""The compatibility gate's own rules (CHECK_*): version discipline, removed events, examples.

Schema changes themselves are reported under the engines' rule IDs (Confluent difference
types, Avro incompatibility kinds); these rules cover what the gate adds on top.
"""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity

E, W = Severity.ERROR, Severity.WARNING
_BOTH = frozenset({"BACKWARD", "FORWARD"})

CHECK_RULES = (
    Rule(
        "CHECK_MAJOR_BUMP_REQUIRED",
        "A breaking change was made without a new major version.",
        Category.CHECK,
        E,
        hint="Bump the major version (a new compatibility line), make the change compatible, "
        "or record a reviewed accepted_breaks entry.",
    ),
    Rule(
        "CHECK_VERSION_NOT_INCREASED",
        "The schema changed but the version is the same as, or lower than, the baseline's.",
        Category.CHECK,
        E,
        hint="Released versions are immutable: add a new version instead of editing one.",
    ),
    Rule(
        "CHECK_EVENT_REMOVED",
        "An event in the baseline no longer has any contract.",
        Category.CHECK,
        W,
        configurable=True,
        hint="Deprecate the event first; removal is an error while a contract still refers to it.",
    ),
    Rule(
        "CHECK_EXAMPLE_INCOMPATIBLE",
        "An example of one version does not validate against the schema of another.",
        Category.CHECK,
        E,
        configurable=True,
        hint="Real data shaped like the example would fail to deserialize across versions.",
    ),
    Rule(
        "CHECK_ACCEPTED_BREAK_UNUSED",
        "An accepted_breaks entry matches no breaking change.",
        Category.CHECK,
        W,
        configurable=True,
        hint="Remove the stale entry, or fix its rule ID or path (list changes with --verbose).",
    ),
    Rule(
        "CHECK_SCHEMA_FORMAT_CHANGED",
        "The schema format changed (JSON Schema ↔ Avro) within one compatibility line.",
        Category.CHECK,
        E,
        breaks=_BOTH,
        hint="A different format is a new event or a new major version.",
    ),
    Rule(
        "CHECK_SCHEMA_UNREADABLE",
        "A schema could not be compared (it cannot be parsed by the compatibility engine).",
        Category.CHECK,
        E,
        hint="Run `contractctl validate` for the details.",
    ),
    Rule(
        "REGISTRY_VERDICT_DISAGREES",
        "The registry's own compatibility verdict differs from contractctl's (--server-verify).",
        Category.CHECK,
        W,
        configurable=True,
        hint="The registry's verdict decides whether it accepts the schema; docs/registry.md "
        "lists the known differences of each server from Confluent's rules.",
    ),
    Rule(
        "CHECK_UNJUDGED_CHANGE",
        "A JSON Schema keyword the registry's algorithm does not compare changed "
        "(patternProperties, propertyNames, if/then/else, not, dependentSchemas…).",
        Category.CHECK,
        W,
        configurable=True,
        hint="The registry accepts this change unexamined: review by hand who it breaks, and "
        "record the decision (accepted_breaks) or set the rule's severity in contractctl.yaml.",
    ),
    Rule(
        "CHECK_BASELINE_UNREADABLE",
        "A contract in the baseline could not be loaded and was left out of the comparison.",
        Category.CHECK,
        W,
        configurable=True,
    ),
)
