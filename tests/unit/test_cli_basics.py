"""--version, --help with an example on every command, exit codes for usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contractctl._version import __version__
from tests.conftest import REPO, run_cli


def test_version_fast_path() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "contractctl", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == f"contractctl {__version__}"


def _commands() -> list[list[str]]:
    import typer

    from contractctl.cli.app import _register
    from contractctl.cli.root import app

    _register()
    group = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, [*prefix, name])
        else:
            found.append(prefix)

    walk(group, [])
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run_cli([*command, "--help"], cwd=REPO)
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli(["valdate"], cwd=REPO)
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_validate_bundled_contracts_is_clean() -> None:
    result = run_cli(["validate"], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_docs_rules_page_is_the_catalogue() -> None:
    """docs/rules.md is generated from the catalogue: regenerate it with
    `contractctl rules -f markdown > docs/rules.md` after adding a rule."""
    from tests.conftest import REPO, run_cli

    result = run_cli(["rules", "-f", "markdown"])
    assert result.exit_code == 0
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == result.stdout
