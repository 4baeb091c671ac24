"""Generated models accept exactly what their schema accepts (python-jsonschema decides).

Bundled contracts always run; corpus runs read ``$CONTRACTCTL_SHARED`` or ``../shared``
and skip when it is absent. The corpus-wide run is marked ``slow``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from contractctl.app.codegen import render_files
from contractctl.core.contract.loader import load_contracts

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import fidelity as F  # noqa: E402, N812 - one short handle for the harness

SHARED = F.shared_dir()
needs_corpus = pytest.mark.skipif(SHARED is None, reason="corpus not found: set CONTRACTCTL_SHARED")
QUICK = ["cdevents.artifactpublished", "wikimedia.mediawiki.revision.create", "github.issues.opened",
         "github.push.event", "wikimedia.fragment.common"]  # fmt: skip


def _model(tmp: Path, name: str, file: Path) -> Any:
    files = render_files([F.contract_for(name, file)])
    root = tmp / ("m_" + name.replace(".", "_").replace("-", "_"))
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    path = next(p for p in root.rglob("*.py") if p.name not in ("__init__.py", "_runtime.py")
                and "_shared" not in p.parts)  # fmt: skip
    return F.root_model(F.load_module(path, root))


def _agreement(model: Any, document: Any, seed: int) -> tuple[int, int, list[Any]]:
    v = F.validator(document)
    rng = random.Random(seed)
    instances = F.valid_instances(document, 15, seed)
    cases = [(x, True) for x in instances]
    for x in instances[:5]:
        cases += [(m, v.is_valid(m)) for m in F.mutations(x, rng)]
    wrong = [x for x, valid in cases if F.accepts(model, x) != valid]
    return len(cases) - len(wrong), len(cases), wrong


def test_bundled_contracts_examples_and_instances(tmp_path: Path) -> None:
    loaded = load_contracts([REPO / "contracts"])
    for contract in loaded.contracts:
        if contract.schema.format != "jsonschema":
            continue
        files = render_files([contract])
        root = tmp_path / ("b_" + contract.id.replace(".", "_").replace("@", "_"))
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        path = root.joinpath(*next(p for p in files if "_shared" not in p and p.count("/") == 1
                                and not p.endswith("__init__.py")).split("/"))  # fmt: skip
        model = F.root_model(F.load_module(path, root))
        for example in contract.examples:
            assert F.accepts(model, example.payload), (contract.id, example.name)


def test_bundled_avro_round_trip() -> None:
    loaded = load_contracts([REPO / "contracts"])
    files = render_files(loaded.contracts)
    assert any("to_avro" in text for text in files.values())


@needs_corpus
@pytest.mark.parametrize("name", QUICK)
def test_corpus_sample_agreement(tmp_path: Path, name: str) -> None:
    assert SHARED is not None
    file = dict(F.latest_schemas(SHARED / "corpus"))[name]
    document = json.loads(file.read_text())
    model = _model(tmp_path, name, file)
    hits, total, wrong = _agreement(model, document, 1)
    print(f"{name}: agreement {hits}/{total}")
    assert not wrong, wrong[:3]
    v = F.validator(document)
    for example in F.examples(SHARED / "corpus", name):
        assert F.accepts(model, example) == v.is_valid(example)


@needs_corpus
@pytest.mark.slow
def test_corpus_examples_all(tmp_path: Path) -> None:
    """Every real example the schema accepts is accepted by the generated model."""
    assert SHARED is not None
    corpus = SHARED / "corpus"
    rejected = []
    for name, file in F.latest_schemas(corpus):
        exs = F.examples(corpus, name)
        if not exs:
            continue
        v = F.validator(json.loads(file.read_text()))
        model = _model(tmp_path, name, file)
        rejected += [name for ex in exs if v.is_valid(ex) and not F.accepts(model, ex)]
    assert rejected == []
