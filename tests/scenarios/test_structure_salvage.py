"""A structure error does not hide the rest of the file (issue #9 §4): a typo'd key, a
wrong optional value or a broken example still lets the schema, the other examples and
the files the contract names be checked in the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

BROKEN = """\
name: shop.ThingHappened
version: "1.0.0"
summmary: a typo'd key
owner: 12
producer: p
description: d
channel: c
schema:
  format: jsonschema
  inline:
    type: object
    properties:
      id: {type: integer}
    required: [id]
    additionalProperties: false
examples:
  - name: wrong-type
    payload: {id: "x"}
  - name: typo
    paylod: {id: 1}
  - name: unknown-property
    payload: {idd: 2}
"""


def _lines(output: str, rule: str) -> list[str]:
    return [line for line in output.splitlines() if rule in line]


@pytest.mark.parametrize("command", ["validate", "check"])
def test_structure_errors_and_example_errors_in_one_run(tmp_path: Path, command: str) -> None:
    (tmp_path / "c.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli([command, "."], cwd=tmp_path)
    out = result.stdout
    assert result.exit_code == 1, out + result.stderr
    assert "did you mean 'summary'" in out
    assert len(_lines(out, "CONTRACT_FIELD_TYPE")) == 1  # not also "control characters"
    assert "'examples[1]' needs one of 'payload' or 'file'" in out
    examples = _lines(out, "CONTRACT_EXAMPLE_INVALID")
    # the examples that are well formed are checked against the schema, at their own line
    assert any(line.lstrip().startswith("18:") and "wrong-type" in line for line in examples)
    assert any(line.lstrip().startswith("22:") and "unknown-property" in line for line in examples)
    assert not any("typo" in line for line in examples)
    # the cut-away fields are not reported a second time as missing
    assert "CONTRACT_OWNER_REQUIRED" not in out
    assert "CONTRACT_SUMMARY_REQUIRED" not in out


def test_a_missing_schema_file_is_reported_beside_the_typo(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "name: shop.ThingHappened\nversion: '1.0.0'\ncolour: blue\n"
        "schema:\n  format: jsonschema\n  file: missing.json\n",
        encoding="utf-8",
    )
    result = run_cli(["validate", "."], cwd=tmp_path)
    assert result.exit_code == 3, result.stdout + result.stderr  # an unreadable input
    assert "unknown field 'colour'" in result.stdout
    assert "schema file 'missing.json'" in result.stdout


def test_a_broken_schema_under_a_typo_is_reported(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "name: shop.ThingHappened\nversion: '1.0.0'\nownr: x\n"
        "schema:\n  format: jsonschema\n  inline: {type: object, properties: {a: {type: nonsense}}}\n",
        encoding="utf-8",
    )
    result = run_cli(["validate", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert "did you mean 'owner'" in result.stdout
    assert "CONTRACT_SCHEMA_INVALID" in result.stdout


def test_a_contract_broken_in_its_identity_is_not_salvaged(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "name: shop.ThingHappened\nversion: 1\n"
        "schema:\n  format: jsonschema\n  inline: {type: object, properties: {a: {type: nonsense}}}\n",
        encoding="utf-8",
    )
    result = run_cli(["validate", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert "quote it" in result.stdout
    assert "CONTRACT_SCHEMA_INVALID" not in result.stdout  # nothing judged on a broken identity


def test_a_salvaged_contract_is_never_generated_from(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli(["codegen", "python", ".", "-o", "models"], cwd=tmp_path)
    assert "(0 modules)" in result.stdout, result.stdout + result.stderr
    # ...and not dropped in silence: the run names it and fails (a batch of one bad file).
    assert result.exit_code == 3
    assert "c.yaml" in result.stderr
    assert "not generated" in result.stderr


def test_export_names_a_contract_it_had_to_leave_out(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli(["export", "asyncapi", "."], cwd=tmp_path)
    assert result.exit_code == 3
    assert "c.yaml" in result.stderr
    assert "Traceback" not in result.stderr
