"""Writing the output folder: drift, foreign files, removal of what is no longer generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractctl.app.codegen import MANIFEST, CodegenReport, sync
from contractctl.core.errors import RenderError


def _sync(files: dict[str, str], out: Path, check: bool = False) -> CodegenReport:
    report = CodegenReport(out=out, check=check)
    sync(files, out, report)
    return report


def test_write_then_check_then_drift(tmp_path: Path) -> None:
    files = {"a/m.py": "x = 1\n", "__init__.py": ""}
    assert _sync(files, tmp_path).written == ["a/m.py", "__init__.py"]
    assert (tmp_path / MANIFEST).exists()
    assert not _sync(files, tmp_path, check=True).drift
    report = _sync({**files, "a/m.py": "x = 2\n"}, tmp_path, check=True)
    assert report.drift
    assert "-x = 1" in report.diff
    assert "+x = 2" in report.diff
    assert (tmp_path / "a/m.py").read_text() == "x = 1\n"  # --check writes nothing


def test_foreign_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("mine\n")
    with pytest.raises(RenderError, match="not written by contractctl"):
        _sync({"m.py": "generated\n"}, tmp_path)
    assert (tmp_path / "m.py").read_text() == "mine\n"


def test_removes_only_unedited_files_it_owns(tmp_path: Path) -> None:
    _sync({"old.py": "a\n", "edited.py": "b\n"}, tmp_path)
    (tmp_path / "edited.py").write_text("hand edit\n")
    (tmp_path / "foreign.py").write_text("other\n")
    report = _sync({}, tmp_path)
    assert report.removed == ["old.py"]
    assert report.kept == ["edited.py"]
    assert not (tmp_path / "old.py").exists()
    assert (tmp_path / "edited.py").exists()
    assert (tmp_path / "foreign.py").exists()
