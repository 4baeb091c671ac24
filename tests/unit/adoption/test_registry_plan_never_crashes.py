"""Planning an import from whatever a registry returns: files or a one-line error, never a
crash (registries hold years of hand-registered schemas)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.adoption.manifest import Manifest
from contractctl.core.adoption.registry_import import (
    RegistryVersion,
    SubjectHistory,
    plan_registry_import,
)
from contractctl.core.compat.engine import check_compatibility
from contractctl.core.errors import ContractctlError
from contractctl.core.registry.subjects import SubjectStrategy

# The JSON engine raises the recursion limit on first use; do it before hypothesis watches.
check_compatibility({}, {}, schema_type="JSON")

words = st.sampled_from(
    ["type", "record", "object", "string", "name", "fields", "properties", "namespace",
     "title", "doc", "items", "array", "enum", "symbols", "required", "null", "com.acme.M",
     "additionalProperties", "default", "$ref", "#/definitions/x", "union", "map", "values"]
)  # fmt: skip
leaves = st.one_of(st.none(), st.booleans(), st.integers(), words, st.text(max_size=4))
documents = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(words, inner, max_size=4)),
    max_leaves=20,
)
texts = st.one_of(documents.map(json.dumps), st.text(max_size=20))
versions = st.lists(
    st.tuples(st.sampled_from(["AVRO", "JSON", "PROTOBUF"]), texts), min_size=1, max_size=4
)
levels = st.sampled_from(["NONE", "BACKWARD", "FORWARD_TRANSITIVE", "FULL", "BOGUS"])
subjects = st.sampled_from(["orders-value", "orders-key", "com.acme.M", "-value", "x", "a.b-c"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(subjects, levels, versions), max_size=3, unique_by=lambda t: t[0]))
def test_any_registry_content_plans_or_fails_in_one_line(
    estate: list[tuple[str, str, list[tuple[str, str]]]],
) -> None:
    histories = [
        SubjectHistory(
            subject,
            tuple(RegistryVersion(subject, n + 1, kind, text) for n, (kind, text) in enumerate(vs)),
            level,
        )
        for subject, level, vs in estate
    ]
    outcome = "ok"
    try:
        plan_registry_import(
            histories, {}, Manifest(), strategy=SubjectStrategy.TOPIC, source="registry"
        )
    except ContractctlError as exc:
        outcome = exc.one_line()
    assert "\n" not in outcome  # anything else (a crash) fails the test with its traceback
