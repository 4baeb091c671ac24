"""Broken inputs: each scenario names the failure, its expected exit code and message.

No scenario may produce a traceback or exit 70. Big or deep inputs are generated here rather
than committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli

VALID = """\
name: orders.ThingHappened
version: "1.0.0"
owner: team
summary: s
description: d
producer: p
channel: c
schema:
  format: jsonschema
  file: thing.json
examples:
  - name: e
    payload: {a: "x"}
"""
SCHEMA = '{"type": "object", "properties": {"a": {"type": "string"}}}'


def _write(files: dict[str, str | bytes]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    return make


def _big_file(root: Path) -> None:
    with (root / "huge.yaml").open("w", encoding="utf-8") as handle:
        handle.write("name: orders.Huge\nmetadata:\n")
        line = "  k{}: " + "x" * 100 + "\n"
        for i in range(500_000):  # ~52 MB
            handle.write(line.format(i))


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def _deep_schema() -> str:
    return '{"type":"object","properties":{"a":' * 10_000 + "{}" + "}}" * 10_000


@dataclass(frozen=True)
class Scenario:
    name: str
    make: Callable[[Path], None]
    exit_code: int
    message: str
    args: tuple[str, ...] = ()


SCENARIOS = [
    Scenario(
        "malformed-yaml",
        _write({"c.yaml": "name: x\n  bad: [\n"}),
        3,
        "2:6      error    CONTRACT_UNREADABLE  malformed YAML",
    ),
    Scenario("alias-bomb", _write({"c.yaml": _alias_bomb()}), 3, "alias bomb"),
    Scenario("recursive-alias", _write({"c.yaml": "&a [*a]\n"}), 3, "recursive alias"),
    Scenario("binary-file", _write({"c.yaml": b"\x00\x01\x02name: x"}), 3, "binary file"),
    Scenario("not-utf8", _write({"c.yaml": "name: caf\xe9\n".encode("latin-1")}), 3, "not UTF-8"),
    Scenario("contract-is-a-list", _write({"c.yaml": "- a\n- b\n"}), 3, "the document is a list"),
    Scenario("contract-is-a-scalar", _write({"c.yaml": "just text\n"}), 3, "the document is a str"),
    Scenario("empty-file", _write({"c.yaml": ""}), 3, "the document is empty"),
    Scenario(
        "missing-schema-file",
        _write({"c.yaml": VALID}),
        3,
        "schema file 'thing.json': file not found",
    ),
    Scenario(
        "malformed-schema-json",
        _write({"c.yaml": VALID, "thing.json": '{"type": '}),
        3,
        "malformed JSON",
    ),
    Scenario("huge-file", _big_file, 3, "MiB limit"),
    Scenario(
        "schema-nested-10000-deep",
        _write({"c.yaml": VALID, "thing.json": _deep_schema()}),
        3,
        "nested too deeply",
    ),
    Scenario(
        "circular-ref",
        _write(
            {
                "c.yaml": VALID,
                "thing.json": '{"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}}',
            }
        ),
        0,
        "0 errors",
    ),
    Scenario(
        "unresolvable-ref",
        _write({"c.yaml": VALID, "thing.json": '{"$ref": "other.json#/x"}'}),
        1,
        "does not resolve",
    ),
    Scenario(
        "unknown-field",
        _write({"c.yaml": VALID + "ownr: x\n", "thing.json": SCHEMA}),
        1,
        "did you mean 'owner'",
    ),
    Scenario(
        "duplicate-key",
        _write({"c.yaml": VALID + "owner: again\n", "thing.json": SCHEMA}),
        3,
        "duplicate key 'owner'",
    ),
    Scenario(
        "bad-config",
        _write(
            {"contractctl.yaml": "compatibility: SIDEWAYS\n", "c.yaml": VALID, "thing.json": SCHEMA}
        ),
        3,
        "contractctl.yaml:1",
    ),
    Scenario("path-not-found", _write({}), 2, "path not found", ("validate", "nowhere")),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_bad_input_fails_cleanly(scenario: Scenario, tmp_path: Path) -> None:
    scenario.make(tmp_path)
    args = scenario.args or ("validate", ".")
    result = run_cli(list(args), cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.exit_code == scenario.exit_code, output
    assert scenario.message in output
    assert "Traceback" not in output


def test_no_contracts_is_an_input_error_naming_where_it_looked(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    result = run_cli(["validate"], cwd=tmp_path)
    assert result.exit_code == 3
    assert "no contract files" in result.stderr
    assert "found in contracts" in result.stderr
    assert "contractctl init" in result.stderr
    missing = run_cli(["check"], cwd=tmp_path / "contracts")
    assert missing.exit_code == 3  # the project root is found upward, its folder is empty


def test_summary_shows_a_cross_when_the_command_fails(tmp_path: Path) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "t.v1.yaml").write_text(
        "name: t.T\nversion: 1.0.0\nsummary: T happened.\nowner: o\nproducer: p\n"
        "schema:\n  format: jsonschema\n  inline: {type: object}\n",
        encoding="utf-8",
    )
    clean = run_cli(["validate"], cwd=tmp_path)
    strict = run_cli(["validate", "--fail-on", "info"], cwd=tmp_path)
    last = strict.stdout.strip().splitlines()[-1]
    if strict.exit_code != 0:
        assert last.startswith("✗"), last
    assert clean.exit_code != 0 or clean.stdout.strip().splitlines()[-1].startswith("✓")


def test_same_tree_gives_the_same_paths_from_any_directory(tmp_path: Path) -> None:
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    folder = tmp_path / "contracts" / "shop"
    folder.mkdir(parents=True)
    (folder / "t.v1.yaml").write_text(
        "name: t.T\nversion: 1.0.0\nsummary: T happened.\nowner: o\nproducer: p\n"
        "schema:\n  format: jsonschema\n  inline: {type: object, properties: {a: {type: nonsense}}}\n",
        encoding="utf-8",
    )
    outputs = set()
    for cwd, args in (
        (tmp_path, ["contracts"]),
        (tmp_path / "contracts", []),
        (folder, [str(folder)]),
        (tmp_path.parent, [str(tmp_path / "contracts")]),
    ):
        for fmt in ("github", "json"):
            result = run_cli(["validate", "--format", fmt, *args], cwd=cwd)
            assert result.exit_code == 1, result.stderr
            outputs.add((fmt, result.stdout))
    assert len(outputs) == 2, outputs
    assert "file=contracts/shop/t.v1.yaml" in next(o for f, o in outputs if f == "github")
