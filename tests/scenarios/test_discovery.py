"""Nothing below a contracts folder is passed over in silence (issue #9 §4): a folder named
``x.yaml``, a symlink loop, a symlinked folder and an unreadable folder are each reported,
with a documented exit code, and the rest of the tree is still checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contractctl.core.source.discovery import discover_files
from tests.conftest import run_cli

CONTRACT = """\
name: shop.ThingHappened
version: "1.0.0"
summary: A thing happened.
description: d
owner: team
producer: p
channel: c
schema:
  format: jsonschema
  inline: {type: object}
"""


def _tree(root: Path) -> Path:
    folder = root / "contracts"
    (folder / "real").mkdir(parents=True)
    (folder / "real" / "t.v1.yaml").write_text(CONTRACT, encoding="utf-8")
    return folder


def _finding(output: str, path: str) -> str:
    lines = output.splitlines()
    return lines[lines.index(path) + 1]


@pytest.mark.parametrize(
    ("make", "entry", "rule", "words", "exit_code"),
    [
        (lambda f: (f / "x.yaml").mkdir(), "x.yaml", "CONTRACT_PATH_SKIPPED", "a folder named", 0),
        (lambda f: (f / "real" / "up").symlink_to(".."), "real/up", "CONTRACT_PATH_SKIPPED",
         "a symlink loop", 0),
        (lambda f: (f / "linked").symlink_to("real"), "linked", "CONTRACT_PATH_SKIPPED",
         "a symlink to a folder", 0),
        (lambda f: (f / "self.yaml").symlink_to("self.yaml"), "self.yaml", "CONTRACT_UNREADABLE",
         "symbolic links", 3),
        (lambda f: (f / "gone.yaml").symlink_to("nowhere.yaml"), "gone.yaml",
         "CONTRACT_UNREADABLE", "", 3),
    ],
    ids=["folder-named-yaml", "symlink-loop", "symlinked-folder", "file-symlink-loop",
         "dangling-symlink"],
)  # fmt: skip
def test_every_unsearched_entry_is_reported(
    tmp_path: Path, make: object, entry: str, rule: str, words: str, exit_code: int
) -> None:
    folder = _tree(tmp_path)
    make(folder)  # type: ignore[operator]
    result = run_cli(["validate", "contracts"], cwd=tmp_path)
    line = _finding(result.stdout, f"contracts/{entry}")
    assert rule in line, result.stdout
    assert words in line, result.stdout
    assert result.exit_code == exit_code, result.stdout + result.stderr
    assert "1 contract file" in result.stdout or exit_code == 3  # the real contract still loads


def test_an_unreadable_folder_is_an_input_error_and_the_rest_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _tree(tmp_path)
    (folder / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":  # chmod does not stop root, who runs CI containers
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_cli(["validate", "contracts"], cwd=tmp_path)
    assert result.exit_code == 3, result.stdout + result.stderr
    line = _finding(result.stdout, "contracts/locked")
    assert "CONTRACT_UNREADABLE" in line
    assert "cannot read folder: Permission denied" in line
    assert "2 contract files" not in result.stdout


def test_a_tree_of_only_unsearched_entries_says_what_it_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "contracts"
    (tmp_path / "elsewhere").mkdir()
    folder.mkdir()
    (folder / "linked").symlink_to("../elsewhere")
    result = run_cli(["validate", "contracts"], cwd=tmp_path)
    assert result.exit_code == 3
    assert "no contract files" in result.stderr
    assert "contracts/linked: a symlink to a folder" in result.stderr


def test_explicit_symlink_loop_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    result = run_cli(["validate", "loop.yaml"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "symlink loop" in result.stderr


def test_walk_is_sorted_and_skips_only_tool_folders(tmp_path: Path) -> None:
    for name in ("b/z.yaml", "a/y.yml", ".git/x.yaml", "c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = discover_files([tmp_path], lambda n: n.endswith((".yaml", ".yml")), frozenset({".git"}))
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["a/y.yml", "b/z.yaml"]
    assert found.notices == []
