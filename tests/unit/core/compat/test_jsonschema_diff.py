"""Every Confluent difference type the JSON Schema differ can emit, each on its own.

One row per rule: (old, new, expected "<TYPE> <#/path>" multiset). Rows are small enough to
read as documentation of the rule; the last test checks the table covers the catalogue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from contractctl.core.compat.jsonschema import backward_changes
from contractctl.core.rules.json_compat import ALL_TYPES, COMPATIBLE_STRICT

S7 = "http://json-schema.org/draft-07/schema#"
S2020 = "https://json-schema.org/draft/2020-12/schema"


def d2020(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": S2020, **schema}


def obj(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, **extra}


STR = {"type": "string"}
NUM = {"type": "number"}
INT = {"type": "integer"}
ARR = "array"

# (rule it demonstrates, old, new, expected changes)
CASES: list[tuple[str, Any, Any, list[str]]] = [
    # annotations and whole schemas
    ("ID_CHANGED", {"$id": "a"}, {"$id": "b"}, ["ID_CHANGED #/"]),
    ("TITLE_CHANGED", {"title": "a"}, {"title": "b"}, ["TITLE_CHANGED #/"]),
    ("DESCRIPTION_CHANGED", {"description": "a"}, {"description": "b"}, ["DESCRIPTION_CHANGED #/"]),
    ("DEFAULT_CHANGED", {**STR, "default": "a"}, {**STR, "default": "b"}, ["DEFAULT_CHANGED #/"]),
    ("SCHEMA_ADDED", {"type": ARR}, {"type": ARR, "items": STR}, ["SCHEMA_ADDED #/items"]),
    ("SCHEMA_REMOVED", {"type": ARR, "items": STR}, {"type": ARR}, ["SCHEMA_REMOVED #/items"]),
    ("TYPE_EXTENDED", INT, NUM, ["TYPE_EXTENDED #/"]),
    ("TYPE_NARROWED", NUM, INT, ["TYPE_NARROWED #/"]),
    ("TYPE_CHANGED", STR, NUM, ["TYPE_CHANGED #/"]),
    # strings
    ("MAX_LENGTH_ADDED", STR, {**STR, "maxLength": 3}, ["MAX_LENGTH_ADDED #/maxLength"]),
    ("MAX_LENGTH_REMOVED", {**STR, "maxLength": 3}, STR, ["MAX_LENGTH_REMOVED #/maxLength"]),
    (
        "MAX_LENGTH_INCREASED",
        {**STR, "maxLength": 3},
        {**STR, "maxLength": 4},
        ["MAX_LENGTH_INCREASED #/maxLength"],
    ),
    (
        "MAX_LENGTH_DECREASED",
        {**STR, "maxLength": 4},
        {**STR, "maxLength": 3},
        ["MAX_LENGTH_DECREASED #/maxLength"],
    ),
    ("MIN_LENGTH_ADDED", STR, {**STR, "minLength": 1}, ["MIN_LENGTH_ADDED #/minLength"]),
    ("MIN_LENGTH_REMOVED", {**STR, "minLength": 1}, STR, ["MIN_LENGTH_REMOVED #/minLength"]),
    (
        "MIN_LENGTH_INCREASED",
        {**STR, "minLength": 1},
        {**STR, "minLength": 2},
        ["MIN_LENGTH_INCREASED #/minLength"],
    ),
    (
        "MIN_LENGTH_DECREASED",
        {**STR, "minLength": 2},
        {**STR, "minLength": 1},
        ["MIN_LENGTH_DECREASED #/minLength"],
    ),
    ("PATTERN_ADDED", STR, {**STR, "pattern": "^a"}, ["PATTERN_ADDED #/pattern"]),
    ("PATTERN_REMOVED", {**STR, "pattern": "^a"}, STR, ["PATTERN_REMOVED #/pattern"]),
    (
        "PATTERN_CHANGED",
        {**STR, "pattern": "^a"},
        {**STR, "pattern": "^b"},
        ["PATTERN_CHANGED #/pattern"],
    ),
    # numbers
    ("MAXIMUM_ADDED", NUM, {**NUM, "maximum": 1}, ["MAXIMUM_ADDED #/maximum"]),
    ("MAXIMUM_REMOVED", {**NUM, "maximum": 1}, NUM, ["MAXIMUM_REMOVED #/maximum"]),
    (
        "MAXIMUM_INCREASED",
        {**NUM, "maximum": 1},
        {**NUM, "maximum": 2},
        ["MAXIMUM_INCREASED #/maximum"],
    ),
    (
        "MAXIMUM_DECREASED",
        {**NUM, "maximum": 2},
        {**NUM, "maximum": 1},
        ["MAXIMUM_DECREASED #/maximum"],
    ),
    ("MINIMUM_ADDED", NUM, {**NUM, "minimum": 1}, ["MINIMUM_ADDED #/minimum"]),
    ("MINIMUM_REMOVED", {**NUM, "minimum": 1}, NUM, ["MINIMUM_REMOVED #/minimum"]),
    (
        "MINIMUM_INCREASED",
        {**NUM, "minimum": 1},
        {**NUM, "minimum": 2},
        ["MINIMUM_INCREASED #/minimum"],
    ),
    (
        "MINIMUM_DECREASED",
        {**NUM, "minimum": 2},
        {**NUM, "minimum": 1},
        ["MINIMUM_DECREASED #/minimum"],
    ),
    (
        "EXCLUSIVE_MAXIMUM_ADDED",
        NUM,
        {**NUM, "exclusiveMaximum": 1},
        ["EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum"],
    ),
    (
        "EXCLUSIVE_MAXIMUM_REMOVED",
        {**NUM, "exclusiveMaximum": 1},
        NUM,
        ["EXCLUSIVE_MAXIMUM_REMOVED #/exclusiveMaximum"],
    ),
    (
        "EXCLUSIVE_MAXIMUM_INCREASED",
        {**NUM, "exclusiveMaximum": 1},
        {**NUM, "exclusiveMaximum": 2},
        ["EXCLUSIVE_MAXIMUM_INCREASED #/exclusiveMaximum"],
    ),
    (
        "EXCLUSIVE_MAXIMUM_DECREASED",
        {**NUM, "exclusiveMaximum": 2},
        {**NUM, "exclusiveMaximum": 1},
        ["EXCLUSIVE_MAXIMUM_DECREASED #/exclusiveMaximum"],
    ),
    (
        "EXCLUSIVE_MINIMUM_ADDED",
        NUM,
        {**NUM, "exclusiveMinimum": 1},
        ["EXCLUSIVE_MINIMUM_ADDED #/exclusiveMinimum"],
    ),
    (
        "EXCLUSIVE_MINIMUM_REMOVED",
        {**NUM, "exclusiveMinimum": 1},
        NUM,
        ["EXCLUSIVE_MINIMUM_REMOVED #/exclusiveMinimum"],
    ),
    (
        "EXCLUSIVE_MINIMUM_INCREASED",
        {**NUM, "exclusiveMinimum": 1},
        {**NUM, "exclusiveMinimum": 2},
        ["EXCLUSIVE_MINIMUM_INCREASED #/exclusiveMinimum"],
    ),
    (
        "EXCLUSIVE_MINIMUM_DECREASED",
        {**NUM, "exclusiveMinimum": 2},
        {**NUM, "exclusiveMinimum": 1},
        ["EXCLUSIVE_MINIMUM_DECREASED #/exclusiveMinimum"],
    ),
    ("MULTIPLE_OF_ADDED", NUM, {**NUM, "multipleOf": 2}, ["MULTIPLE_OF_ADDED #/multipleOf"]),
    ("MULTIPLE_OF_REMOVED", {**NUM, "multipleOf": 2}, NUM, ["MULTIPLE_OF_REMOVED #/multipleOf"]),
    (
        "MULTIPLE_OF_EXPANDED",
        {**NUM, "multipleOf": 2},
        {**NUM, "multipleOf": 4},
        ["MULTIPLE_OF_EXPANDED #/multipleOf"],
    ),
    (
        "MULTIPLE_OF_REDUCED",
        {**NUM, "multipleOf": 4},
        {**NUM, "multipleOf": 2},
        ["MULTIPLE_OF_REDUCED #/multipleOf"],
    ),
    (
        "MULTIPLE_OF_CHANGED",
        {**NUM, "multipleOf": 3},
        {**NUM, "multipleOf": 4},
        ["MULTIPLE_OF_CHANGED #/multipleOf"],
    ),
    # required
    (
        "REQUIRED_ATTRIBUTE_ADDED",
        obj({"a": STR}),
        obj({"a": STR}, required=["a"]),
        ["REQUIRED_ATTRIBUTE_ADDED #/required/a"],
    ),
    (
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        obj({"a": {**STR, "default": "x"}}),
        obj({"a": {**STR, "default": "x"}}, required=["a"]),
        ["REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a"],
    ),
    (
        "REQUIRED_ATTRIBUTE_REMOVED",
        obj({"a": STR}, required=["a"]),
        obj({"a": STR}),
        ["REQUIRED_ATTRIBUTE_REMOVED #/required/a"],
    ),
    # object attributes
    (
        "MAX_PROPERTIES_ADDED",
        obj({}),
        obj({}, maxProperties=2),
        ["MAX_PROPERTIES_ADDED #/maxProperties"],
    ),
    (
        "MAX_PROPERTIES_REMOVED",
        obj({}, maxProperties=2),
        obj({}),
        ["MAX_PROPERTIES_REMOVED #/maxProperties"],
    ),
    (
        "MAX_PROPERTIES_INCREASED",
        obj({}, maxProperties=2),
        obj({}, maxProperties=3),
        ["MAX_PROPERTIES_INCREASED #/maxProperties"],
    ),
    (
        "MAX_PROPERTIES_DECREASED",
        obj({}, maxProperties=3),
        obj({}, maxProperties=2),
        ["MAX_PROPERTIES_DECREASED #/maxProperties"],
    ),
    (
        "MIN_PROPERTIES_ADDED",
        obj({}),
        obj({}, minProperties=1),
        ["MIN_PROPERTIES_ADDED #/minProperties"],
    ),
    (
        "MIN_PROPERTIES_REMOVED",
        obj({}, minProperties=1),
        obj({}),
        ["MIN_PROPERTIES_REMOVED #/minProperties"],
    ),
    (
        "MIN_PROPERTIES_INCREASED",
        obj({}, minProperties=1),
        obj({}, minProperties=2),
        ["MIN_PROPERTIES_INCREASED #/minProperties"],
    ),
    (
        "MIN_PROPERTIES_DECREASED",
        obj({}, minProperties=2),
        obj({}, minProperties=1),
        ["MIN_PROPERTIES_DECREASED #/minProperties"],
    ),
    # additionalProperties
    (
        "ADDITIONAL_PROPERTIES_ADDED",
        obj({}, additionalProperties=False),
        obj({}),
        ["ADDITIONAL_PROPERTIES_ADDED #/additionalProperties"],
    ),
    (
        "ADDITIONAL_PROPERTIES_REMOVED",
        obj({}),
        obj({}, additionalProperties=False),
        ["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"],
    ),
    (
        "ADDITIONAL_PROPERTIES_EXTENDED",
        obj({}, additionalProperties=STR),
        obj({}),
        ["ADDITIONAL_PROPERTIES_EXTENDED #/additionalProperties"],
    ),
    (
        "ADDITIONAL_PROPERTIES_NARROWED",
        obj({}),
        obj({}, additionalProperties=STR),
        ["ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties"],
    ),
    # dependencies
    (
        "DEPENDENCY_ARRAY_ADDED",
        obj({}),
        obj({}, dependencies={"a": ["b"]}),
        ["DEPENDENCY_ARRAY_ADDED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_ARRAY_REMOVED",
        obj({}, dependencies={"a": ["b"]}),
        obj({}),
        ["DEPENDENCY_ARRAY_REMOVED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_ARRAY_EXTENDED",
        obj({}, dependencies={"a": ["b"]}),
        obj({}, dependencies={"a": ["b", "c"]}),
        ["DEPENDENCY_ARRAY_EXTENDED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_ARRAY_NARROWED",
        obj({}, dependencies={"a": ["b", "c"]}),
        obj({}, dependencies={"a": ["b"]}),
        ["DEPENDENCY_ARRAY_NARROWED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_ARRAY_CHANGED",
        obj({}, dependencies={"a": ["b"]}),
        obj({}, dependencies={"a": ["c"]}),
        ["DEPENDENCY_ARRAY_CHANGED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_SCHEMA_ADDED",
        obj({}),
        obj({}, dependencies={"a": {"required": ["b"]}}),
        ["DEPENDENCY_SCHEMA_ADDED #/dependencies/a"],
    ),
    (
        "DEPENDENCY_SCHEMA_REMOVED",
        d2020(obj({}, dependentSchemas={"a": {"required": ["b"]}})),
        d2020(obj({})),
        ["DEPENDENCY_SCHEMA_REMOVED #/dependencies/a"],
    ),
    # properties and content models
    (
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        obj({}),
        obj({"a": STR}, required=["a"]),
        ["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        obj({}),
        obj({"a": {**STR, "default": "x"}}, required=["a"]),
        ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        obj({}),
        obj({"a": STR}),
        ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        obj({}),
        obj({"a": {}}),
        ["PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        obj({}, additionalProperties=False),
        obj({"a": STR}, required=["a"], additionalProperties=False),
        ["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        obj({}, additionalProperties=False),
        obj({"a": {**STR, "default": "x"}}, required=["a"], additionalProperties=False),
        ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        obj({}, additionalProperties=False),
        obj({"a": STR}, additionalProperties=False),
        ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        obj({"a": STR}),
        obj({}),
        ["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/a"],
    ),
    (
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        obj({"a": False}, additionalProperties=False),
        obj({}, additionalProperties=False),
        ["PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"],
    ),
    (
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        obj({"a": STR}, additionalProperties=False),
        obj({}, additionalProperties=False),
        ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"],
    ),
    (
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        obj({"s_a": STR}, additionalProperties=False),
        obj({}, additionalProperties=False, patternProperties={"^s_": STR}),
        ["PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/s_a"],
    ),
    (
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        obj({"s_a": NUM}, additionalProperties=False),
        obj({}, additionalProperties=False, patternProperties={"^s_": STR}),
        [
            "TYPE_CHANGED #/properties/s_a",
            "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/s_a",
        ],
    ),
    (
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        obj({}, additionalProperties=STR),
        obj({"a": STR}, additionalProperties=STR),
        [
            "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a",
        ],
    ),
    (
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        obj({}, additionalProperties=STR),
        obj({"a": NUM}, additionalProperties=STR),
        [
            "TYPE_CHANGED #/properties/a",
            "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a",
        ],
    ),
    # unevaluatedProperties (draft 2020-12)
    (
        "UNEVALUATED_PROPERTIES_ADDED",
        d2020(obj({}, unevaluatedProperties=False)),
        d2020(obj({})),
        ["UNEVALUATED_PROPERTIES_ADDED #/unevaluatedProperties"],
    ),
    (
        "UNEVALUATED_PROPERTIES_REMOVED",
        d2020(obj({})),
        d2020(obj({}, unevaluatedProperties=False)),
        ["UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties"],
    ),
    (
        "UNEVALUATED_PROPERTIES_EXTENDED",
        d2020(obj({}, unevaluatedProperties=STR)),
        d2020(obj({}, unevaluatedProperties=True)),
        ["UNEVALUATED_PROPERTIES_EXTENDED #/unevaluatedProperties"],
    ),
    (
        "UNEVALUATED_PROPERTIES_NARROWED",
        d2020(obj({})),
        d2020(obj({}, unevaluatedProperties=STR)),
        ["UNEVALUATED_PROPERTIES_NARROWED #/unevaluatedProperties"],
    ),
    # arrays
    (
        "MAX_ITEMS_ADDED",
        {"type": ARR},
        {"type": ARR, "maxItems": 2},
        ["MAX_ITEMS_ADDED #/maxItems"],
    ),
    (
        "MAX_ITEMS_REMOVED",
        {"type": ARR, "maxItems": 2},
        {"type": ARR},
        ["MAX_ITEMS_REMOVED #/maxItems"],
    ),
    (
        "MAX_ITEMS_INCREASED",
        {"type": ARR, "maxItems": 2},
        {"type": ARR, "maxItems": 3},
        ["MAX_ITEMS_INCREASED #/maxItems"],
    ),
    (
        "MAX_ITEMS_DECREASED",
        {"type": ARR, "maxItems": 3},
        {"type": ARR, "maxItems": 2},
        ["MAX_ITEMS_DECREASED #/maxItems"],
    ),
    (
        "MIN_ITEMS_ADDED",
        {"type": ARR},
        {"type": ARR, "minItems": 1},
        ["MIN_ITEMS_ADDED #/minItems"],
    ),
    (
        "MIN_ITEMS_REMOVED",
        {"type": ARR, "minItems": 1},
        {"type": ARR},
        ["MIN_ITEMS_REMOVED #/minItems"],
    ),
    (
        "MIN_ITEMS_INCREASED",
        {"type": ARR, "minItems": 1},
        {"type": ARR, "minItems": 2},
        ["MIN_ITEMS_INCREASED #/minItems"],
    ),
    (
        "MIN_ITEMS_DECREASED",
        {"type": ARR, "minItems": 2},
        {"type": ARR, "minItems": 1},
        ["MIN_ITEMS_DECREASED #/minItems"],
    ),
    (
        "MAX_CONTAINS_ADDED",
        d2020({"type": ARR, "contains": NUM}),
        d2020({"type": ARR, "contains": NUM, "maxContains": 2}),
        ["MAX_CONTAINS_ADDED #/maxContains"],
    ),
    (
        "MAX_CONTAINS_REMOVED",
        d2020({"type": ARR, "contains": NUM, "maxContains": 2}),
        d2020({"type": ARR, "contains": NUM}),
        ["MAX_CONTAINS_REMOVED #/maxContains"],
    ),
    (
        "MAX_CONTAINS_INCREASED",
        d2020({"type": ARR, "contains": NUM, "maxContains": 2}),
        d2020({"type": ARR, "contains": NUM, "maxContains": 3}),
        ["MAX_CONTAINS_INCREASED #/maxContains"],
    ),
    (
        "MAX_CONTAINS_DECREASED",
        d2020({"type": ARR, "contains": NUM, "maxContains": 3}),
        d2020({"type": ARR, "contains": NUM, "maxContains": 2}),
        ["MAX_CONTAINS_DECREASED #/maxContains"],
    ),
    (
        "MIN_CONTAINS_ADDED",
        {"type": ARR, "contains": NUM},
        {"type": ARR, "contains": NUM, "minContains": 2},
        ["MIN_CONTAINS_ADDED #/minContains"],
    ),
    (
        "MIN_CONTAINS_REMOVED",
        {"type": ARR, "contains": NUM, "minContains": 2},
        {"type": ARR, "contains": NUM},
        ["MIN_CONTAINS_REMOVED #/minContains"],
    ),
    (
        "MIN_CONTAINS_INCREASED",
        d2020({"type": ARR, "contains": NUM, "minContains": 1}),
        d2020({"type": ARR, "contains": NUM, "minContains": 2}),
        ["MIN_CONTAINS_INCREASED #/minContains"],
    ),
    (
        "MIN_CONTAINS_DECREASED",
        d2020({"type": ARR, "contains": NUM, "minContains": 3}),
        d2020({"type": ARR, "contains": NUM, "minContains": 2}),
        ["MIN_CONTAINS_DECREASED #/minContains"],
    ),
    (
        "UNIQUE_ITEMS_ADDED",
        {"type": ARR},
        {"type": ARR, "uniqueItems": True},
        ["UNIQUE_ITEMS_ADDED #/uniqueItems"],
    ),
    (
        "UNIQUE_ITEMS_REMOVED",
        {"type": ARR, "uniqueItems": True},
        {"type": ARR},
        ["UNIQUE_ITEMS_REMOVED #/uniqueItems"],
    ),
    (
        "ADDITIONAL_ITEMS_ADDED",
        {"type": ARR, "additionalItems": False},
        {"type": ARR},
        ["ADDITIONAL_ITEMS_ADDED #/additionalItems"],
    ),
    (
        "ADDITIONAL_ITEMS_REMOVED",
        {"type": ARR},
        {"type": ARR, "additionalItems": False},
        ["ADDITIONAL_ITEMS_REMOVED #/additionalItems"],
    ),
    (
        "ADDITIONAL_ITEMS_EXTENDED",
        {"type": ARR, "additionalItems": STR},
        {"type": ARR},
        ["ADDITIONAL_ITEMS_EXTENDED #/additionalItems"],
    ),
    (
        "ADDITIONAL_ITEMS_NARROWED",
        {"type": ARR},
        {"type": ARR, "additionalItems": STR},
        ["ADDITIONAL_ITEMS_NARROWED #/additionalItems"],
    ),
    (
        "UNEVALUATED_ITEMS_ADDED",
        d2020({"type": ARR, "unevaluatedItems": False}),
        d2020({"type": ARR}),
        ["UNEVALUATED_ITEMS_ADDED #/unevaluatedItems"],
    ),
    (
        "UNEVALUATED_ITEMS_REMOVED",
        d2020({"type": ARR}),
        d2020({"type": ARR, "unevaluatedItems": False}),
        ["UNEVALUATED_ITEMS_REMOVED #/unevaluatedItems"],
    ),
    (
        "UNEVALUATED_ITEMS_EXTENDED",
        d2020({"type": ARR, "unevaluatedItems": STR}),
        d2020({"type": ARR}),
        ["UNEVALUATED_ITEMS_EXTENDED #/unevaluatedItems"],
    ),
    (
        "UNEVALUATED_ITEMS_NARROWED",
        d2020({"type": ARR, "unevaluatedItems": {}}),
        d2020({"type": ARR, "unevaluatedItems": STR}),
        ["UNEVALUATED_ITEMS_NARROWED #/unevaluatedItems"],
    ),
    (
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        {"type": ARR, "items": [STR]},
        {"type": ARR, "items": [STR, NUM]},
        ["ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        {"type": ARR, "items": [STR]},
        {"type": ARR, "items": [STR, {}]},
        ["ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        {"type": ARR, "items": [STR], "additionalItems": False},
        {"type": ARR, "items": [STR, NUM], "additionalItems": False},
        ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        {"type": ARR, "items": [STR, NUM]},
        {"type": ARR, "items": [STR]},
        ["ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        {"type": ARR, "items": [STR, False], "additionalItems": False},
        {"type": ARR, "items": [STR], "additionalItems": False},
        ["ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        {"type": ARR, "items": [STR, NUM], "additionalItems": False},
        {"type": ARR, "items": [STR], "additionalItems": False},
        ["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        {"type": ARR, "items": [STR, NUM], "additionalItems": NUM},
        {"type": ARR, "items": [STR], "additionalItems": NUM},
        ["ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        {"type": ARR, "items": [STR, NUM], "additionalItems": STR},
        {"type": ARR, "items": [STR], "additionalItems": STR},
        [
            "TYPE_CHANGED #/items/1",
            "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
        ],
    ),
    (
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        d2020({"type": ARR, "prefixItems": [STR], "items": NUM}),
        d2020({"type": ARR, "prefixItems": [STR, NUM], "items": NUM}),
        ["ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"],
    ),
    (
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        d2020({"type": ARR, "prefixItems": [STR], "unevaluatedItems": NUM}),
        d2020({"type": ARR, "prefixItems": [STR, STR], "unevaluatedItems": NUM}),
        [
            "TYPE_CHANGED #/items/1",
            "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
        ],
    ),
    # enum and const
    ("ENUM_ARRAY_EXTENDED", {"enum": ["a"]}, {"enum": ["a", "b"]}, ["ENUM_ARRAY_EXTENDED #/enum"]),
    ("ENUM_ARRAY_NARROWED", {"enum": ["a", "b"]}, {"enum": ["a"]}, ["ENUM_ARRAY_NARROWED #/enum"]),
    ("ENUM_ARRAY_CHANGED", {"enum": ["a"]}, {"enum": ["b"]}, ["ENUM_ARRAY_CHANGED #/enum"]),
    # combinators
    (
        "COMBINED_TYPE_EXTENDED",
        {"oneOf": [STR, NUM]},
        {"anyOf": [STR, NUM]},
        ["COMBINED_TYPE_EXTENDED #/"],
    ),
    (
        "COMBINED_TYPE_CHANGED",
        {"anyOf": [STR, NUM]},
        {"oneOf": [STR, NUM]},
        ["COMBINED_TYPE_CHANGED #/"],
    ),
    (
        "PRODUCT_TYPE_EXTENDED",
        {"allOf": [obj({"a": STR})]},
        {"allOf": [obj({"a": STR}), {"required": ["a"]}]},
        ["PRODUCT_TYPE_EXTENDED #/"],
    ),
    (
        "PRODUCT_TYPE_NARROWED",
        {"allOf": [obj({"a": STR}), {"required": ["a"]}]},
        {"allOf": [obj({"a": STR})]},
        ["PRODUCT_TYPE_NARROWED #/"],
    ),
    ("SUM_TYPE_EXTENDED", STR, {"anyOf": [STR, NUM]}, ["SUM_TYPE_EXTENDED #/"]),
    ("SUM_TYPE_NARROWED", {"anyOf": [STR, NUM]}, {"anyOf": [STR]}, ["SUM_TYPE_NARROWED #/"]),
    (
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        {"anyOf": [STR, NUM]},
        {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
        ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"],
    ),
    ("NOT_TYPE_EXTENDED", {"not": INT}, {"not": NUM}, ["NOT_TYPE_EXTENDED #/not"]),
    ("NOT_TYPE_NARROWED", {"not": NUM}, {"not": INT}, ["NOT_TYPE_NARROWED #/not"]),
]

NOT_EMITTED = {
    "RESERVED_PROPERTY_REMOVED",  # registry metadata, not the schema diff
    "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
    "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",  # deprecated by Confluent
}


@pytest.mark.parametrize(("rule", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_alone(rule: str, old: Any, new: Any, expected: list[str]) -> None:
    changes = backward_changes(old, new, "STRICT")
    assert Counter(f"{c.rule_id} {c.path}" for c in changes) == Counter(expected)
    fired = next(c for c in changes if c.rule_id == rule)
    assert fired.breaking is (rule not in COMPATIBLE_STRICT)
    assert fired.message.endswith(".")
    assert fired.path in fired.message


def test_table_covers_every_emitted_rule() -> None:
    covered = {c[0] for c in CASES}
    assert covered == set(ALL_TYPES) - NOT_EMITTED


def test_identical_schemas_have_no_changes() -> None:
    schema = obj({"a": {"$ref": "#/definitions/x"}}, definitions={"x": {"enum": [1, 2]}})
    assert backward_changes(schema, json_copy(schema), "STRICT") == []


def json_copy(value: Any) -> Any:
    import json  # local: only this helper needs it

    return json.loads(json.dumps(value))
