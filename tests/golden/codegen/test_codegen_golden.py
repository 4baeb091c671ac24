"""Golden output of ``codegen python`` for the bundled contracts; it must also type-check.

Update with ``CONTRACTCTL_UPDATE_GOLDEN=1 pytest tests/golden/codegen``.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractctl.app.codegen import render_files
from contractctl.core.contract.loader import load_contracts

REPO = Path(__file__).resolve().parents[3]
GOLDEN = Path(__file__).parent / "models"
UPDATE = os.environ.get("CONTRACTCTL_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    loaded = load_contracts([REPO / "contracts"])
    assert not loaded.input_errors
    cwd = Path.cwd()
    os.chdir(REPO)  # header comments name contract files relative to the repo
    try:
        return render_files(loaded.contracts)
    finally:
        os.chdir(cwd)


def test_matches_golden(files: dict[str, str]) -> None:
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in files.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text)
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.py")}
    assert expected == set(files), "file set differs; rerun with CONTRACTCTL_UPDATE_GOLDEN=1"
    for name, text in files.items():
        golden = (GOLDEN / name).read_text()
        if golden != text:
            diff = "".join(
                difflib.unified_diff(
                    golden.splitlines(True),
                    text.splitlines(True),
                    f"golden/{name}",
                    f"generated/{name}",
                )
            )
            pytest.fail(f"{name} differs from golden:\n{diff}")


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_golden_passes_mypy_strict_ruff_and_imports(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN, tmp_path / "models")
    mypy = subprocess.run(
        [_tool("mypy"), "--strict", "--no-incremental", "models"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    for args in (["check", "--isolated", "models"], ["format", "--isolated", "--check", "models"]):
        ruff = subprocess.run(
            [_tool("ruff"), *args], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    code = (
        "import importlib, pathlib\n"
        "for p in sorted(pathlib.Path('models').rglob('*.py')):\n"
        "    importlib.import_module('.'.join(p.with_suffix('').parts).removesuffix('.__init__'))\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
