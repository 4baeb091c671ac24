"""Shared fixtures: the repository, the bundled contracts, ../shared, and running the CLI."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTRACTS = REPO / "contracts"


def shared_dir() -> Path | None:
    """../shared (or $CONTRACTCTL_SHARED), None when absent (e.g. in a user's clone)."""
    env = os.environ.get("CONTRACTCTL_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    return path if path.is_dir() else None


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str], cwd: Path | None = None) -> CliResult:
    """Run the CLI in-process (the same funnel as the console script) and capture output."""
    from contractctl.cli import state
    from contractctl.cli.app import run

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    state.CONFIG_PATH, state.NO_COLOR = None, True
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = run(list(args))
    finally:
        os.chdir(old)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's contracts and config in a temporary directory."""
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    shutil.copy(REPO / "contractctl.yaml", tmp_path / "contractctl.yaml")
    return tmp_path


def count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forks made from now on (each child's pid): the two-process path was really taken."""
    real = os.fork
    forks: list[int] = []

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr("os.fork", fork)
    return forks


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a throw-away committer; its standard output."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
