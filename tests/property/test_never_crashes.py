"""Whatever bytes or YAML a contract file holds, validate never exits 70 (internal error)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "version",
                    "schema",
                    "format",
                    "file",
                    "inline",
                    "examples",
                    "consumers",
                    "delivery",
                    "error_policy",
                    "retries",
                    "payload",
                    "type",
                    "properties",
                    "$ref",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


def _validate(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "c.yaml").write_bytes(content)
        return run_cli(["validate", "."], cwd=Path(tmp)).exit_code


@_SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(content: bytes) -> None:
    assert _validate(content) in (0, 1, 3)


@_SETTINGS
@given(documents)
def test_random_yaml_documents_never_crash(document: object) -> None:
    assert _validate(yaml.safe_dump(document).encode()) in (0, 1, 3)


@_SETTINGS
@given(documents)
def test_random_contract_shapes_never_crash(extra: object) -> None:
    base = {
        "name": "orders.ThingHappened",
        "version": "1.0.0",
        "schema": {"format": "jsonschema", "inline": extra if isinstance(extra, dict) else {}},
        "examples": [{"name": "e", "payload": extra}],
    }
    assert _validate(yaml.safe_dump(base).encode()) in (0, 1, 3)
