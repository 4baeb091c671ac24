"""--version, --help with an example on every command, exit codes for usage errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
        if prefix:
            found.append(prefix)  # groups too: `contractctl registry --help` shows an example
        for name, child in (sub or {}).items():
            walk(child, [*prefix, name])

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


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_work_before_or_after_the_subcommand(where: str) -> None:
    options = ["--no-color", "--config", "contractctl.yaml"]
    args = [*options, "validate"] if where == "before" else ["validate", *options]
    result = run_cli(args, cwd=REPO)
    assert result.exit_code == 0, result.stderr
    missing = run_cli(["validate", "--config", "nope.yaml"], cwd=REPO)
    assert missing.exit_code == 3
    assert "nope.yaml" in missing.stderr


def test_format_lists_only_what_the_command_implements() -> None:
    result = run_cli(["publish", "--dry-run", "-f", "junit"], cwd=REPO)
    assert result.exit_code == 2
    assert "'text', 'json'" in result.stderr


def test_no_color_environment_variable_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from contractctl.cli import state

    monkeypatch.delenv("NO_COLOR", raising=False)
    run_cli(["validate"], cwd=REPO)
    assert state.NO_COLOR is False  # run_cli preset it to True: the callback decided
    monkeypatch.setenv("NO_COLOR", "1")
    run_cli(["validate"], cwd=REPO)
    assert state.NO_COLOR is True


def test_init_into_a_subfolder_scaffolds_a_project_that_validates(tmp_path: Path) -> None:
    result = run_cli(["init", "proj"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "cd proj" in result.stdout
    contract = tmp_path / "proj" / "contracts" / "example" / "something-happened.v1.yaml"
    modeline = contract.read_text(encoding="utf-8").splitlines()[0]
    target = modeline.split("$schema=", 1)[1]
    assert (contract.parent / target).is_file()  # the editor schema exists where it points
    config = (tmp_path / "proj" / "contractctl.yaml").read_text(encoding="utf-8")
    assert "docs/" not in config  # no link to documentation the user does not have
    checked = run_cli(["validate"], cwd=tmp_path / "proj")
    assert checked.exit_code == 0, checked.stdout
    assert "1 contract file, 1 event" in checked.stdout


def test_words() -> None:
    from contractctl.core.vocab.words import article, plural

    assert plural(1, "contract file") == "1 contract file"
    assert plural(2, "event") == "2 events"
    assert article("AVRO") == "an AVRO"
    assert article("JSON") == "a JSON"


def test_readme_quick_start_runs_without_the_script_on_path() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = next(
        line for line in readme.splitlines() if line.startswith("python3 -m pip install .")
    )
    command = first.split("&&", 1)[1].split()
    assert command[:3] == ["python3", "-m", "contractctl"]  # no bare `contractctl` on PATH
    done = subprocess.run(
        [sys.executable, *command[1:]], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


_TYPE_LEAK = re.compile(r"<[^<>\s]+>|\b(?:TEXT|INTEGER|FLOAT|BOOLEAN|LIST|FILENAME)\b")


@pytest.mark.parametrize("command", [[], *_commands()], ids=lambda c: " ".join(c) or "contractctl")
def test_help_shows_meaningful_placeholders(command: list[str]) -> None:
    """`PATH…`, `REF`, `text|json`: never a type such as `<list[Path]>`, `<str>` or `TEXT`."""
    result = run_cli([*command, "--help"], cwd=REPO)
    leaks = [line for line in result.stdout.splitlines() if _TYPE_LEAK.search(line)]
    assert leaks == []


def _params() -> list[tuple[str, list[str]]]:
    import typer

    from contractctl.cli.app import _register
    from contractctl.cli.root import app

    _register()
    found: list[tuple[str, list[str]]] = []

    def walk(cmd: object, prefix: str) -> None:
        found.extend((prefix, list(p.opts)) for p in getattr(cmd, "params", ()))
        for name, child in getattr(cmd, "commands", {}).items():
            walk(child, f"{prefix} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


def test_short_options_mean_one_thing_everywhere() -> None:
    """-v is --verbose wherever it exists and -V is --version: a short option is never an
    alias of one option here and of another there."""
    meaning: dict[str, set[str]] = {}
    for _, opts in _params():
        longs = [o for o in opts if o.startswith("--")]
        for short in (o for o in opts if not o.startswith("--")):
            meaning.setdefault(short, set()).add(longs[0] if longs else short)
    assert {s: m for s, m in meaning.items() if len(m) != 1} == {}
    assert meaning["-V"] == {"--version"}
    verbose = [opts for _, opts in _params() if "-v" in opts]
    assert verbose
    assert all("--verbose" in opts for opts in verbose)


def test_dash_v_is_not_the_version() -> None:
    result = run_cli(["-v"], cwd=REPO)
    assert result.exit_code == 2
    assert "-V" in result.stderr  # the usage error points at the version option
