"""JSON Schema compatibility rules: one record per Confluent ``Difference.Type``, same names.

The rule IDs are Confluent Schema Registry's difference types, unprefixed, so users who know
the registry recognise them. Which types are compatible under each policy is data here
(``COMPATIBLE_STRICT``, ``COMPATIBLE_LENIENT``); the differ reads these sets, never a copy.
"""

from __future__ import annotations

from contractctl.core.rules.model import Category, Rule
from contractctl.core.vocab.findings import Severity
from contractctl.core.vocab.levels import Policy

_BOTH = frozenset({"BACKWARD", "FORWARD"})
_NONE: frozenset[str] = frozenset()

# (id, summary, compatibility) where compatibility is "ok" (compatible under STRICT),
# "lenient" (compatible only under LENIENT) or "bad" (never compatible).
_TABLE: tuple[tuple[str, str, str], ...] = (
    # Annotations and whole schemas
    ("ID_CHANGED", "The schema's `$id` changed.", "ok"),
    ("DESCRIPTION_CHANGED", "A schema's `description` changed.", "ok"),
    ("TITLE_CHANGED", "A schema's `title` changed.", "ok"),
    ("DEFAULT_CHANGED", "A schema's `default` value changed.", "ok"),
    ("SCHEMA_ADDED", "A subschema (e.g. `items`) was added where none constrained data.", "bad"),
    ("SCHEMA_REMOVED", "A subschema (e.g. `items`) was removed, accepting anything there.", "ok"),
    ("TYPE_EXTENDED", "The type was widened from integer to number.", "ok"),
    ("TYPE_NARROWED", "The type was narrowed from number to integer.", "bad"),
    ("TYPE_CHANGED", "The schema's type or kind changed to an unrelated one.", "bad"),
    # Strings
    ("MAX_LENGTH_ADDED", "A `maxLength` limit was added to a string.", "bad"),
    ("MAX_LENGTH_REMOVED", "A string's `maxLength` limit was removed.", "ok"),
    ("MAX_LENGTH_INCREASED", "A string's `maxLength` was increased.", "ok"),
    ("MAX_LENGTH_DECREASED", "A string's `maxLength` was decreased.", "bad"),
    ("MIN_LENGTH_ADDED", "A `minLength` limit was added to a string.", "bad"),
    ("MIN_LENGTH_REMOVED", "A string's `minLength` limit was removed.", "ok"),
    ("MIN_LENGTH_INCREASED", "A string's `minLength` was increased.", "bad"),
    ("MIN_LENGTH_DECREASED", "A string's `minLength` was decreased.", "ok"),
    ("PATTERN_ADDED", "A `pattern` was added to a string.", "bad"),
    ("PATTERN_REMOVED", "A string's `pattern` was removed.", "ok"),
    ("PATTERN_CHANGED", "A string's `pattern` changed (no regex subsumption is attempted).", "bad"),
    # Numbers
    ("MAXIMUM_ADDED", "A `maximum` was added to a number.", "bad"),
    ("MAXIMUM_REMOVED", "A number's `maximum` was removed.", "ok"),
    ("MAXIMUM_INCREASED", "A number's `maximum` was increased.", "ok"),
    ("MAXIMUM_DECREASED", "A number's `maximum` was decreased.", "bad"),
    ("MINIMUM_ADDED", "A `minimum` was added to a number.", "bad"),
    ("MINIMUM_REMOVED", "A number's `minimum` was removed.", "ok"),
    ("MINIMUM_INCREASED", "A number's `minimum` was increased.", "bad"),
    ("MINIMUM_DECREASED", "A number's `minimum` was decreased.", "ok"),
    ("EXCLUSIVE_MAXIMUM_ADDED", "An `exclusiveMaximum` was added to a number.", "bad"),
    ("EXCLUSIVE_MAXIMUM_REMOVED", "A number's `exclusiveMaximum` was removed.", "ok"),
    ("EXCLUSIVE_MAXIMUM_INCREASED", "A number's `exclusiveMaximum` was increased.", "ok"),
    ("EXCLUSIVE_MAXIMUM_DECREASED", "A number's `exclusiveMaximum` was decreased.", "bad"),
    ("EXCLUSIVE_MINIMUM_ADDED", "An `exclusiveMinimum` was added to a number.", "bad"),
    ("EXCLUSIVE_MINIMUM_REMOVED", "A number's `exclusiveMinimum` was removed.", "ok"),
    ("EXCLUSIVE_MINIMUM_INCREASED", "A number's `exclusiveMinimum` was increased.", "bad"),
    ("EXCLUSIVE_MINIMUM_DECREASED", "A number's `exclusiveMinimum` was decreased.", "ok"),
    ("MULTIPLE_OF_ADDED", "A `multipleOf` was added to a number.", "bad"),
    ("MULTIPLE_OF_REMOVED", "A number's `multipleOf` was removed.", "ok"),
    ("MULTIPLE_OF_EXPANDED", "`multipleOf` became a multiple of the old value (e.g. 2→4).", "bad"),
    ("MULTIPLE_OF_REDUCED", "`multipleOf` became a divisor of the old value (e.g. 4→2).", "ok"),
    ("MULTIPLE_OF_CHANGED", "`multipleOf` changed to an unrelated value.", "bad"),
    # Objects
    ("REQUIRED_ATTRIBUTE_ADDED", "An existing property became required.", "bad"),
    (
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        "An existing property that has a `default` became required.",
        "ok",
    ),
    ("REQUIRED_ATTRIBUTE_REMOVED", "A property is no longer required.", "ok"),
    ("MAX_PROPERTIES_ADDED", "A `maxProperties` limit was added to an object.", "bad"),
    ("MAX_PROPERTIES_REMOVED", "An object's `maxProperties` limit was removed.", "ok"),
    ("MAX_PROPERTIES_INCREASED", "An object's `maxProperties` was increased.", "ok"),
    ("MAX_PROPERTIES_DECREASED", "An object's `maxProperties` was decreased.", "bad"),
    ("MIN_PROPERTIES_ADDED", "A `minProperties` limit was added to an object.", "bad"),
    ("MIN_PROPERTIES_REMOVED", "An object's `minProperties` limit was removed.", "ok"),
    ("MIN_PROPERTIES_INCREASED", "An object's `minProperties` was increased.", "bad"),
    ("MIN_PROPERTIES_DECREASED", "An object's `minProperties` was decreased.", "ok"),
    (
        "ADDITIONAL_PROPERTIES_ADDED",
        "`additionalProperties: false` was lifted: undeclared properties are now allowed.",
        "ok",
    ),
    (
        "ADDITIONAL_PROPERTIES_REMOVED",
        "`additionalProperties` became false: undeclared properties are now rejected.",
        "lenient",
    ),
    (
        "ADDITIONAL_PROPERTIES_EXTENDED",
        "An `additionalProperties` schema was removed: any undeclared property is allowed.",
        "ok",
    ),
    (
        "ADDITIONAL_PROPERTIES_NARROWED",
        "An `additionalProperties` schema was added where any undeclared property was allowed.",
        "lenient",
    ),
    ("DEPENDENCY_ARRAY_ADDED", "A property dependency (`dependentRequired`) was added.", "bad"),
    ("DEPENDENCY_ARRAY_REMOVED", "A property dependency (`dependentRequired`) was removed.", "ok"),
    ("DEPENDENCY_ARRAY_EXTENDED", "A property dependency now requires more properties.", "bad"),
    ("DEPENDENCY_ARRAY_NARROWED", "A property dependency now requires fewer properties.", "ok"),
    ("DEPENDENCY_ARRAY_CHANGED", "A property dependency requires different properties.", "bad"),
    ("DEPENDENCY_SCHEMA_ADDED", "A schema dependency (`dependentSchemas`) was added.", "bad"),
    ("DEPENDENCY_SCHEMA_REMOVED", "A schema dependency (`dependentSchemas`) was removed.", "ok"),
    (
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "Deprecated by Confluent (split into REQUIRED_/OPTIONAL_PROPERTY_ADDED_TO_OPEN_…); "
        "never reported.",
        "bad",
    ),
    (
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "A new required property was added to an open object (old data may lack it).",
        "bad",
    ),
    (
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "A new required property with a default was added to an open object.",
        "lenient",
    ),
    (
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "A new optional property was added to an open object (old data may hold it with "
        "another type).",
        "lenient",
    ),
    (
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "A property accepting anything (`{}`/`true`) was added to an open object.",
        "ok",
    ),
    (
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "A new required property without a default was added to a closed or partially open object.",
        "bad",
    ),
    (
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "A new required property with a default was added to a closed or partially open object.",
        "ok",
    ),
    (
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "A new optional property was added to a closed or partially open object.",
        "ok",
    ),
    (
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "A property was removed from an object that stays open, so it is still accepted.",
        "ok",
    ),
    (
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A property declared `false` (forbidden) was removed from a closed object.",
        "ok",
    ),
    (
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A property was removed from a closed object, so old data holding it is rejected.",
        "lenient",
    ),
    (
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A removed property is still accepted by a compatible `patternProperties`/"
        "`additionalProperties` schema.",
        "ok",
    ),
    (
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A removed property falls to a `patternProperties`/`additionalProperties` schema that "
        "rejects its old values.",
        "lenient",
    ),
    (
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "An added property accepts everything the old `patternProperties`/"
        "`additionalProperties` schema allowed for it.",
        "ok",
    ),
    (
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "An added property rejects values the old `patternProperties`/`additionalProperties` "
        "schema allowed for it.",
        "lenient",
    ),
    (
        "RESERVED_PROPERTY_REMOVED",
        "A reserved property was removed from the schema's metadata (registry metadata only; "
        "not reported by the schema diff).",
        "bad",
    ),
    (
        "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
        "A property uses a name reserved in the schema's metadata (registry metadata only; "
        "not reported by the schema diff).",
        "bad",
    ),
    (
        "UNEVALUATED_PROPERTIES_ADDED",
        "`unevaluatedProperties: false` was lifted: unevaluated properties are now allowed.",
        "ok",
    ),
    (
        "UNEVALUATED_PROPERTIES_REMOVED",
        "`unevaluatedProperties` became false: unevaluated properties are now rejected.",
        "lenient",
    ),
    (
        "UNEVALUATED_PROPERTIES_EXTENDED",
        "An `unevaluatedProperties` schema was removed or opened to `{}`.",
        "ok",
    ),
    (
        "UNEVALUATED_PROPERTIES_NARROWED",
        "An `unevaluatedProperties` schema was added where anything was allowed.",
        "lenient",
    ),
    # Arrays
    ("MAX_ITEMS_ADDED", "A `maxItems` limit was added to an array.", "bad"),
    ("MAX_ITEMS_REMOVED", "An array's `maxItems` limit was removed.", "ok"),
    ("MAX_ITEMS_INCREASED", "An array's `maxItems` was increased.", "ok"),
    ("MAX_ITEMS_DECREASED", "An array's `maxItems` was decreased.", "bad"),
    ("MIN_ITEMS_ADDED", "A `minItems` limit was added to an array.", "bad"),
    ("MIN_ITEMS_REMOVED", "An array's `minItems` limit was removed.", "ok"),
    ("MIN_ITEMS_INCREASED", "An array's `minItems` was increased.", "bad"),
    ("MIN_ITEMS_DECREASED", "An array's `minItems` was decreased.", "ok"),
    ("MAX_CONTAINS_ADDED", "A `maxContains` limit was added to an array.", "bad"),
    ("MAX_CONTAINS_REMOVED", "An array's `maxContains` limit was removed.", "ok"),
    ("MAX_CONTAINS_INCREASED", "An array's `maxContains` was increased.", "ok"),
    ("MAX_CONTAINS_DECREASED", "An array's `maxContains` was decreased.", "bad"),
    ("MIN_CONTAINS_ADDED", "A `minContains` limit was added to an array.", "bad"),
    ("MIN_CONTAINS_REMOVED", "An array's `minContains` limit was removed.", "ok"),
    ("MIN_CONTAINS_INCREASED", "An array's `minContains` was increased.", "bad"),
    ("MIN_CONTAINS_DECREASED", "An array's `minContains` was decreased.", "ok"),
    ("UNIQUE_ITEMS_ADDED", "`uniqueItems: true` was added to an array.", "bad"),
    ("UNIQUE_ITEMS_REMOVED", "An array no longer requires unique items.", "ok"),
    (
        "ADDITIONAL_ITEMS_ADDED",
        "`additionalItems: false` was lifted: items past the tuple are now allowed.",
        "ok",
    ),
    (
        "ADDITIONAL_ITEMS_REMOVED",
        "`additionalItems` became false: items past the tuple are now rejected.",
        "bad",
    ),
    (
        "ADDITIONAL_ITEMS_EXTENDED",
        "An `additionalItems` schema was removed: any item past the tuple is allowed.",
        "ok",
    ),
    (
        "ADDITIONAL_ITEMS_NARROWED",
        "An `additionalItems` schema was added where any item past the tuple was allowed.",
        "bad",
    ),
    (
        "UNEVALUATED_ITEMS_ADDED",
        "`unevaluatedItems: false` was lifted: unevaluated items are now allowed.",
        "ok",
    ),
    (
        "UNEVALUATED_ITEMS_REMOVED",
        "`unevaluatedItems` became false: unevaluated items are now rejected.",
        "bad",
    ),
    ("UNEVALUATED_ITEMS_EXTENDED", "An `unevaluatedItems` schema was removed or opened.", "ok"),
    (
        "UNEVALUATED_ITEMS_NARROWED",
        "An `unevaluatedItems` schema was added where anything was allowed.",
        "bad",
    ),
    (
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "A tuple position was added to an open array (old data may hold anything there).",
        "bad",
    ),
    (
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "A tuple position accepting anything was added to an open array.",
        "ok",
    ),
    ("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", "A tuple position was added to a closed array.", "ok"),
    (
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "A tuple position was removed from an array that stays open.",
        "ok",
    ),
    (
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A tuple position declared `false` was removed from a closed array.",
        "ok",
    ),
    (
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A tuple position was removed from a closed array, so longer old arrays are rejected.",
        "bad",
    ),
    (
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A removed tuple position is still accepted by a compatible additional-items schema.",
        "ok",
    ),
    (
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A removed tuple position falls to an additional-items schema that rejects its old values.",
        "bad",
    ),
    (
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "An added tuple position accepts everything the old additional-items schema allowed.",
        "ok",
    ),
    (
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "An added tuple position rejects values the old additional-items schema allowed.",
        "bad",
    ),
    # Enums and const
    ("ENUM_ARRAY_EXTENDED", "Values were added to an `enum`.", "ok"),
    ("ENUM_ARRAY_NARROWED", "Values were removed from an `enum`.", "bad"),
    ("ENUM_ARRAY_CHANGED", "An `enum` or `const` changed to different values.", "bad"),
    # Combinators
    ("COMBINED_TYPE_EXTENDED", "A combinator was relaxed (e.g. oneOf/allOf → anyOf).", "ok"),
    ("COMBINED_TYPE_CHANGED", "A combinator changed incompatibly (e.g. anyOf → allOf).", "bad"),
    ("PRODUCT_TYPE_EXTENDED", "An `allOf` gained subschemas: more constraints apply.", "bad"),
    ("PRODUCT_TYPE_NARROWED", "An `allOf` lost subschemas: fewer constraints apply.", "ok"),
    ("SUM_TYPE_EXTENDED", "An `anyOf`/`oneOf` gained alternatives.", "ok"),
    ("SUM_TYPE_NARROWED", "An `anyOf`/`oneOf` lost alternatives.", "bad"),
    (
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "No pairing of old and new combinator subschemas is compatible.",
        "bad",
    ),
    ("NOT_TYPE_EXTENDED", "A `not` schema now excludes more values.", "bad"),
    ("NOT_TYPE_NARROWED", "A `not` schema now excludes fewer values.", "ok"),
)

_HINTS: dict[str, str] = {
    "SCHEMA_ADDED": "drop the new subschema, or make it accept every value the old one did",
    "TYPE_NARROWED": "keep `number`; integer-only readers cannot read old fractional values",
    "TYPE_CHANGED": "keep the type; add a new property for the new shape instead",
    "MAX_LENGTH_ADDED": "drop the new `maxLength`; old strings may be longer",
    "MAX_LENGTH_DECREASED": "keep the old `maxLength` or raise it",
    "MIN_LENGTH_ADDED": "drop the new `minLength`; old strings may be shorter",
    "MIN_LENGTH_INCREASED": "keep the old `minLength` or lower it",
    "PATTERN_ADDED": "drop the new `pattern`; old strings were not checked against it",
    "PATTERN_CHANGED": "keep the old `pattern`; the registry cannot prove the new one is wider",
    "MAXIMUM_ADDED": "drop the new `maximum`",
    "MAXIMUM_DECREASED": "keep the old `maximum` or raise it",
    "MINIMUM_ADDED": "drop the new `minimum`",
    "MINIMUM_INCREASED": "keep the old `minimum` or lower it",
    "EXCLUSIVE_MAXIMUM_ADDED": "drop the new `exclusiveMaximum`",
    "EXCLUSIVE_MAXIMUM_DECREASED": "keep the old `exclusiveMaximum` or raise it",
    "EXCLUSIVE_MINIMUM_ADDED": "drop the new `exclusiveMinimum`",
    "EXCLUSIVE_MINIMUM_INCREASED": "keep the old `exclusiveMinimum` or lower it",
    "MULTIPLE_OF_ADDED": "drop the new `multipleOf`",
    "MULTIPLE_OF_EXPANDED": "use a divisor of the old `multipleOf`, or keep it",
    "MULTIPLE_OF_CHANGED": "use a divisor of the old `multipleOf`, or keep it",
    "REQUIRED_ATTRIBUTE_ADDED": "give the property a `default`, or keep it optional",
    "MAX_PROPERTIES_ADDED": "drop the new `maxProperties`",
    "MAX_PROPERTIES_DECREASED": "keep the old `maxProperties` or raise it",
    "MIN_PROPERTIES_ADDED": "drop the new `minProperties`",
    "MIN_PROPERTIES_INCREASED": "keep the old `minProperties` or lower it",
    "ADDITIONAL_PROPERTIES_REMOVED": "keep `additionalProperties` open (absent or true)",
    "ADDITIONAL_PROPERTIES_NARROWED": "keep `additionalProperties` open (absent or true)",
    "DEPENDENCY_ARRAY_ADDED": "drop the new dependency",
    "DEPENDENCY_ARRAY_EXTENDED": "keep the old dependency list",
    "DEPENDENCY_ARRAY_CHANGED": "keep the old dependency list",
    "DEPENDENCY_SCHEMA_ADDED": "drop the new schema dependency",
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "make the property optional",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL": (
        "make the property optional, or close the object (`additionalProperties: false`) first"
    ),
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": (
        "for a released schema: set `policy: LENIENT` (the registry's too), record a reviewed "
        "`accepted_breaks` entry, or start a new major version; for new events, declare "
        "objects closed (`additionalProperties: false`) or partially open "
        "(`additionalProperties: {type: ...}`) from v1 so added optional properties stay "
        "compatible"
    ),
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        "give the property a `default`, or make it optional"
    ),
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        "keep the property (mark it deprecated), or open the object"
    ),
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "keep the property, or widen the pattern/additional schema to accept its old values"
    ),
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "make the new property accept everything the pattern/additional schema allowed"
    ),
    "UNEVALUATED_PROPERTIES_REMOVED": "keep `unevaluatedProperties` open (absent or true)",
    "UNEVALUATED_PROPERTIES_NARROWED": "keep `unevaluatedProperties` open (absent or true)",
    "MAX_ITEMS_ADDED": "drop the new `maxItems`",
    "MAX_ITEMS_DECREASED": "keep the old `maxItems` or raise it",
    "MIN_ITEMS_ADDED": "drop the new `minItems`",
    "MIN_ITEMS_INCREASED": "keep the old `minItems` or lower it",
    "MAX_CONTAINS_ADDED": "drop the new `maxContains`",
    "MAX_CONTAINS_DECREASED": "keep the old `maxContains` or raise it",
    "MIN_CONTAINS_ADDED": "drop the new `minContains`",
    "MIN_CONTAINS_INCREASED": "keep the old `minContains` or lower it",
    "UNIQUE_ITEMS_ADDED": "drop `uniqueItems`; old arrays may hold duplicates",
    "ADDITIONAL_ITEMS_REMOVED": "keep additional items allowed",
    "ADDITIONAL_ITEMS_NARROWED": "keep additional items unconstrained",
    "UNEVALUATED_ITEMS_REMOVED": "keep `unevaluatedItems` open",
    "UNEVALUATED_ITEMS_NARROWED": "keep `unevaluatedItems` open",
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL": "give the new position an empty schema `{}`",
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": "keep the tuple position, or open the array",
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "keep the position, or widen the additional-items schema"
    ),
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "make the new position accept everything the additional-items schema allowed"
    ),
    "ENUM_ARRAY_NARROWED": "keep every old value in the `enum`",
    "ENUM_ARRAY_CHANGED": "keep every old value; add new values alongside them",
    "COMBINED_TYPE_CHANGED": "keep the combinator (oneOf/anyOf/allOf), or relax it to anyOf",
    "PRODUCT_TYPE_EXTENDED": "drop the new `allOf` member",
    "SUM_TYPE_NARROWED": "keep every old alternative in the `anyOf`/`oneOf`",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": (
        "keep each old alternative readable by some new alternative"
    ),
    "NOT_TYPE_EXTENDED": "do not widen what `not` excludes",
}


def _make(rule_id: str, summary: str, verdict: str) -> Rule:
    breaking = verdict != "ok"
    return Rule(
        id=rule_id,
        summary=summary,
        category=Category.JSON_COMPAT,
        severity=Severity.ERROR if breaking else Severity.INFO,
        breaks=_BOTH if breaking else _NONE,
        lenient_ok=verdict == "lenient",
        deprecated=rule_id == "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        replacement=(
            "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            if rule_id == "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            else None
        ),
        hint=_HINTS.get(rule_id),
    )


JSON_RULES: tuple[Rule, ...] = tuple(_make(*row) for row in _TABLE)

#: Difference types a STRICT registry accepts (Confluent ``SchemaDiff.COMPATIBLE_CHANGES``).
COMPATIBLE_STRICT: frozenset[str] = frozenset(r.id for r in JSON_RULES if not r.breaks)
#: LENIENT additionally accepts the object content-model relaxations.
COMPATIBLE_LENIENT: frozenset[str] = COMPATIBLE_STRICT | frozenset(
    r.id for r in JSON_RULES if r.lenient_ok
)
#: Every difference type, in Confluent's declaration order.
ALL_TYPES: tuple[str, ...] = tuple(r.id for r in JSON_RULES)


def compatible_types(policy: Policy) -> frozenset[str]:
    """The difference types the given policy treats as compatible."""
    return COMPATIBLE_LENIENT if policy is Policy.LENIENT else COMPATIBLE_STRICT
