"""Outputs do not depend on the current directory: paths are relative to the project root."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copy(REPO / "contractctl.yaml", root / "contractctl.yaml")
    return root


def test_check_output_is_byte_identical_from_three_directories(tmp_path: Path) -> None:
    root = _project(tmp_path)
    seen: dict[str, set[str]] = {"github": set(), "json": set()}
    for cwd, args in (
        (root, []),
        (root / "contracts" / "orders", []),
        (tmp_path, [str(root / "contracts")]),
    ):
        for fmt, outputs in seen.items():
            result = run_cli(["check", "--level", "FULL", "--format", fmt, *args], cwd=cwd)
            assert result.exit_code == 1, result.stderr
            outputs.add(result.stdout)
    assert all(len(outputs) == 1 for outputs in seen.values())
    (github,) = seen["github"]
    assert "file=contracts/orders/order-placed.v1.1.yaml" in github
    assert "../" not in github


def test_codegen_check_from_another_directory_right_after_generating(tmp_path: Path) -> None:
    root = _project(tmp_path)
    out = tmp_path / "models"
    assert run_cli(["codegen", "python", "-o", str(out)], cwd=root).exit_code == 0
    elsewhere = run_cli(
        ["codegen", "python", str(root / "contracts"), "--output", str(out), "--check"],
        cwd=tmp_path,
    )
    assert elsewhere.exit_code == 0, elsewhere.stdout
    inside = run_cli(["codegen", "python", "--out", str(out), "--check"], cwd=root / "contracts")
    assert inside.exit_code == 0, inside.stdout
