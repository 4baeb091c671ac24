"""Shell completion: the printed scripts, and the callback they make into contractctl."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

CONTRACTCTL = Path(sys.executable).parent / "contractctl"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_calls_back_with_the_completion_variable(shell: str) -> None:
    result = run_cli(["completion", shell])
    assert result.exit_code == 0, result.stderr
    assert f"_CONTRACTCTL_COMPLETE=complete_{shell}" in result.stdout


def test_an_unknown_shell_is_a_usage_error() -> None:
    assert run_cli(["completion", "tcsh"]).exit_code == 2


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [("contractctl imp", "1", "impact"), ("contractctl check --fo", "2", "--format")],
)
def test_bash_completes_commands_and_options(words: str, cword: str, expected: str) -> None:
    env = {
        **os.environ,
        "_CONTRACTCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    result = subprocess.run(
        [str(CONTRACTCTL)], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout.split()
