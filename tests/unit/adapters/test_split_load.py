"""Loading contracts in two processes gives what one process loads, in the same order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contractctl.adapters import split_load
from contractctl.core.contract.loader import LoadResult, load_contracts
from tests.conftest import count_forks

REPO = Path(__file__).resolve().parents[3]


def _tree(root: Path) -> list[Path]:
    """The bundled contracts, and files that load with findings and as input errors."""
    extra = root / "extra"
    extra.mkdir()
    (extra / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (extra / "partial.yaml").write_text(
        "name: a.B\nversion: 1.0.0\nschema: {format: jsonschema, inline: {}}\nbogus: 1\n",
        encoding="utf-8",
    )
    return [REPO / "contracts", extra]


def _shape(result: LoadResult) -> object:
    # Positions are compared by the lines they give, not by how they are kept.
    for c in [*result.contracts, *result.partial]:
        c.positions.line("/schema")
    return (
        [(c.name, c.version, c.path, c.raw, c.positions.nodes) for c in result.contracts],
        result.findings,
        result.files,
        [(c.name, c.path) for c in result.partial],
    )


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setattr(split_load, "_PARALLEL_FILES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    return count_forks(monkeypatch)


def test_two_processes_load_what_one_loads(tmp_path: Path, two_processes: list[int]) -> None:
    src = _tree(tmp_path)
    one = load_contracts(src, deferred_positions=True)
    two = load_contracts(src, deferred_positions=True, spread=split_load.split_load)
    assert len(two_processes) == 1
    assert len(two.contracts) == len(one.contracts) > 10
    assert any(f.extra.get("input_error") for f in two.findings)
    assert _shape(two) == _shape(one)


def test_a_child_that_fails_leaves_its_part_to_the_parent(
    tmp_path: Path, two_processes: list[int]
) -> None:
    src = _tree(tmp_path)
    parent = os.getpid()
    seen: list[int] = []

    def spread(files: list[Path], load: object) -> list[LoadResult]:
        def flaky(part: list[Path]) -> LoadResult:
            if os.getpid() != parent:
                raise MemoryError  # the child dies without a result
            seen.append(len(part))
            assert callable(load)
            result = load(part)
            assert isinstance(result, LoadResult)
            return result

        return split_load.split_load(files, flaky)

    one = load_contracts(src, deferred_positions=True)
    two = load_contracts(src, deferred_positions=True, spread=spread)
    assert len(two_processes) == 1
    assert len(seen) == 2  # both parts loaded here
    assert sum(seen) == len(one.files)
    assert _shape(two) == _shape(one)
