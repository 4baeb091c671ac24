"""The fallback bundle built from the loader's store equals the one found by walking refs."""

from __future__ import annotations

import sys
from pathlib import Path

from contractctl.core.codegen.fallback import fallback_bundle
from contractctl.core.contract.loader import load_contracts

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import fidelity as F  # noqa: E402, N812 - the benchmark's own harness
import fidelity_folder as FF  # noqa: E402, N812


def test_store_bundle_equals_walked_bundle() -> None:
    cases = FF.cases(Path(__file__).parent / "fidelity")
    contracts = [F.contract_for("fixtures." + c.name, c.schema) for c in cases]
    loaded = load_contracts([REPO / "contracts"], None).contracts
    contracts += [c for c in loaded if c.schema.format == "jsonschema"]
    with_refs = [c for c in contracts if c.schema.refs.documents]
    assert len(with_refs) >= 8  # the comparison covers documents that reach other files
    for c in contracts:
        schema = c.schema
        fast = fallback_bundle(schema.document, schema.file, schema.refs, complete=True)
        walked = fallback_bundle(schema.document, schema.file, schema.refs)
        assert fast == walked, c.name
