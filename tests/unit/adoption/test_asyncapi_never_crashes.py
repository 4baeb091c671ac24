"""import asyncapi on documents of any shape: contracts or a one-line input error, never a
crash (AsyncAPI documents in the wild are hand-written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.adoption.asyncapi_import import read_asyncapi
from contractctl.core.adoption.asyncapi_refs import Resolver
from contractctl.core.adoption.contract_files import plan_drafts
from contractctl.core.adoption.manifest import Manifest
from contractctl.core.errors import ContractctlError, InputError

words = st.sampled_from(
    ["$ref", "payload", "messages", "channel", "action", "send", "receive", "address", "name",
     "schemaFormat", "schema", "correlationId", "location", "bindings", "kafka", "key",
     "traits", "oneOf", "message", "publish", "subscribe", "x-contractctl", "version",
     "examples", "tags", "properties", "#/components/messages/m", "#/channels/c", "#/x",
     "other.yaml#/a", "application/vnd.apache.avro;version=1.9.0", "$message.payload#/a", "m",
     "c", "components"]
)  # fmt: skip
leaves = st.one_of(st.none(), st.booleans(), st.integers(), words, st.text(max_size=5))
nodes = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(words, inner, max_size=4)),
    max_leaves=25,
)
documents = st.fixed_dictionaries(
    {"asyncapi": st.sampled_from(["2.6.0", "3.0.0"])},
    optional={
        "info": nodes,
        "channels": nodes,
        "operations": nodes,
        "components": st.fixed_dictionaries({}, optional={"messages": nodes, "schemas": nodes}),
    },
)


def _load(path: Path) -> Any:
    raise InputError(f"{path.name}: no such file")


@settings(max_examples=400, deadline=None)
@given(documents)
def test_any_document_imports_or_fails_in_one_line(document: dict[str, Any]) -> None:
    outcome = "ok"
    try:
        reading = read_asyncapi(Resolver(Path("/nowhere/doc.yaml"), document, _load), document)
        plan_drafts(reading.drafts, Manifest(), source="doc.yaml", skipped=reading.skipped)
    except ContractctlError as exc:
        outcome = exc.one_line()
    assert "\n" not in outcome  # anything else (a crash) fails the test with its traceback
