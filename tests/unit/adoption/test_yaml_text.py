"""The import's YAML writer: whatever it writes, a YAML reader gives back unchanged."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.adoption.yaml_text import dump

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.sampled_from(
        ["yes", "No", "on", "null", "~", "1.0", "0x1F", "1e3", "a: b", "- x", "#c", "'q'", ""]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=10), values, min_size=1, max_size=6))
def test_dump_reads_back_exactly(document: dict[str, Any]) -> None:
    assert yaml.safe_load(dump(document)) == document


def test_versions_are_quoted_and_text_blocks_literal() -> None:
    text = dump({"version": "1.0.0", "description": "two\nlines\n", "name": "orders.OrderPlaced"})
    assert text == 'version: "1.0.0"\ndescription: |\n  two\n  lines\nname: orders.OrderPlaced\n'
