"""A clean check/validate stays off the heavy import path; only the named command registers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contractctl.cli.app import _command_word
from tests.conftest import REPO, run_cli

# Each costs tens of ms of CPU to import: more than a small repository's whole check.
HEAVY = ("pydantic", "rich", "httpx", "jinja2", "jsonschema", "typer._adapters")

_PROBE = """
import json, sys
from contractctl.cli.app import run
code = run(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _probe(command: list[str], cwd: Path) -> tuple[dict[str, Any], str]:
    """The CLI's exit code and every module it imported (and its output) for ``command``."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stderr.splitlines()[-1]), proc.stdout


@pytest.mark.parametrize("command", [["check"], ["validate"], ["check", "--format", "json"]])
def test_clean_gate_imports_nothing_heavy(command: list[str]) -> None:
    probe, _ = _probe(command, REPO)
    assert probe["code"] == 0
    heavy = [m for m in probe["modules"] if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["check"], "check"),
        (["--config", "x.yaml", "validate", "a"], "validate"),
        (["-c", "check", "diff"], "diff"),  # "check" is --config's value here
        (["--no-color", "--debug", "graph"], "graph"),
        (["--help"], None),
        (["-h", "check"], None),
        ([], None),
    ],
)
def test_command_word_skips_global_options(args: list[str], word: str | None) -> None:
    assert _command_word(args) == word


def test_help_still_lists_every_command() -> None:
    result = run_cli(["--help"], cwd=REPO)
    assert result.exit_code == 0
    for name in ("validate", "check", "diff", "codegen", "docs", "graph", "export", "publish"):
        assert name in result.stdout
    for name in ("registry", "import", "verify", "rules", "schema", "init"):
        assert name in result.stdout


def test_every_command_module_is_on_a_fast_path() -> None:
    """A command module missing from the table still works (found by the full listing),
    but would lose the fast path: keep the table complete."""
    from contractctl.cli.app import _MODULES, _all_modules

    fast = {m for modules in _MODULES.values() for m in modules} | {"misc"}
    assert set(_all_modules()) <= fast


def test_json_only_project_imports_no_avro_stack(tmp_path: Path) -> None:
    """Avro's parser and compatibility engine load only when an Avro contract is there;
    the parse cache adds no logging module."""
    shutil.copytree(REPO / "contracts" / "orders", tmp_path / "contracts" / "orders")
    shutil.copytree(REPO / "contracts" / "common", tmp_path / "contracts" / "common")
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    for command in (["check", "--fail-on", "never"], ["validate", "--fail-on", "never"]):
        probe, out = _probe(command, tmp_path)
        assert probe["code"] == 0, out
        lazy = ("fastavro", "contractctl.core.compat.avro", "logging", *HEAVY)
        loaded = [m for m in probe["modules"] if any(m == h or m.startswith(h + ".") for h in lazy)]
        assert loaded == []
