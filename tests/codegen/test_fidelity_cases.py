"""One minimal schema per fidelity defect class (``tests/codegen/fidelity/<class>/``).

Each folder holds ``schema.json`` (and the documents it references), ``positive/`` and
``negative/`` payloads. The labels are first checked against python-jsonschema; then the
generated model must import, accept every positive payload and reject every negative one
with pydantic's ``ValidationError`` (never another exception). The generated code must
also pass ``ruff check`` and ``mypy --strict``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

REPO = Path(__file__).resolve().parents[1].parent
sys.path.insert(0, str(REPO / "benchmarks"))
import fidelity_folder as FF  # noqa: E402, N812 - the benchmark's own harness

CASES = {c.name: c for c in FF.cases(Path(__file__).parent / "fidelity")}


def test_every_defect_class_has_a_case() -> None:
    expected = {
        "ref-to-other-file", "ref-self-by-file-name", "ref-absolute-url-local-copy",
        "ref-without-extension", "properties-without-type", "ref-with-type-list",
        "root-ref-siblings-draft7", "root-ref-siblings-2019", "nested-ref-siblings-2020",
        "draft4-const-is-no-keyword", "draft4-id-base-and-anchor", "recursive-anyof-root-ref",
        "shared-file-refers-to-itself", "recursive-non-object", "unevaluated-properties-2019",
        "shared-files-refer-to-each-other", "root-without-type", "root-anyof-without-type",
        "root-enum-without-type", "shared-file-with-gap", "dynamic-ref-extension",
        "dynamic-ref-embedded", "dynamic-ref-static", "recursive-ref-extension",
        "shared-files-cycle-of-three",
    }  # fmt: skip
    assert expected <= set(CASES)
    for case in CASES.values():
        assert case.positive, case.name
        assert case.negative, case.name


@pytest.mark.parametrize("name", sorted(CASES))
def test_labels_agree_with_python_jsonschema(name: str) -> None:
    case = CASES[name]
    judge = FF.judge(case)
    assert [f for f, x in case.positive if not judge.is_valid(x)] == []
    assert [f for f, x in case.negative if judge.is_valid(x)] == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("fidelity")
    loaders = {name: FF.gen_contractctl(case, out) for name, case in CASES.items()}
    return {"out": out, "loaders": loaders}


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_is_exactly_as_strict_as_its_schema(name: str, generated: dict[str, Any]) -> None:
    case = CASES[name]
    model = generated["loaders"][name]()
    for _, payload in case.positive:
        model.model_validate(payload)  # raises, naming the payload's problem, if rejected
    accepted = []
    for fname, payload in case.negative:
        try:
            model.model_validate(payload)
            accepted.append(fname)
        except ValidationError:
            pass
    assert accepted == [], f"{name}: invalid payloads accepted"


def test_generated_code_passes_ruff_and_mypy_strict(generated: dict[str, Any]) -> None:
    out: Path = generated["out"]
    packages = sorted(str(p) for p in out.iterdir() if p.is_dir())
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", *packages],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        capture_output=True, text=True, check=False, cwd=out,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_resolves_every_ref_the_generator_follows(name: str) -> None:
    from contractctl.core.schema.jsonschema_refs import RefResolver

    case = CASES[name]
    # As validate reads them: files inside the case's folder (the project root there).
    assert RefResolver(case.document, case.schema, roots=(case.schema.parent,)).check() == []
