"""``diff``: sides of every kind, merged rows, renderings and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.app.diff import DiffRequest, as_dict, diff, to_markdown, to_text
from contractctl.core.errors import ContractctlError, UsageError
from tests.conftest import REPO, run_cli

CLOSED = {
    "type": "object",
    "properties": {"id": {"type": "string"}},
    "additionalProperties": False,
}
WIDER = {**CLOSED, "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}
AVRO_V1 = {"type": "record", "name": "O", "fields": [{"name": "id", "type": "string"}]}
AVRO_V2 = {
    "type": "record",
    "name": "O",
    "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "int"}],
}


def _file(folder: Path, name: str, data: Any) -> str:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# (id, old, new, level, compatible, expected {rule_id: breaks})
CASES = [
    (
        "json-closed-model-optional-added-full",
        ("a.json", CLOSED),
        ("b.json", WIDER),
        "FULL",
        False,
        # One change, told as it happened; the FORWARD reading's name is kept as data.
        {"OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": ("FORWARD",)},
    ),
    (
        "json-backward-only",
        ("a.json", CLOSED),
        ("b.json", WIDER),
        "BACKWARD",
        True,
        {"OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": ()},
    ),
    (
        "avro-field-without-default",
        ("a.avsc", AVRO_V1),
        ("b.avsc", AVRO_V2),
        "FULL",
        False,
        None,  # rule names belong to the Avro engine; only the verdict is asserted
    ),
    ("identical", ("a.json", CLOSED), ("b.json", CLOSED), "FULL", True, {}),
]


@pytest.mark.parametrize(
    ("old", "new", "level", "compatible", "rules"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_diff_cases(
    tmp_path: Path,
    old: tuple[str, Any],
    new: tuple[str, Any],
    level: str,
    compatible: bool,
    rules: dict[str, tuple[str, ...]] | None,
) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    result = diff(
        DiffRequest(_file(tmp_path / "old", *old), _file(tmp_path / "new", *new), level=level)
    )
    assert result.compatible is compatible
    if rules is not None:
        assert {r.rule_id: r.breaks for r in result.rows} == rules
    else:
        assert any(r.breaking for r in result.rows)


def test_contract_sides_and_renderings() -> None:
    orders = REPO / "contracts" / "orders"
    result = diff(
        DiffRequest(str(orders / "order-placed.v1.yaml"), str(orders / "order-placed.v1.1.yaml"))
    )
    assert (result.old.version, result.new.version) == ("1.0.0", "1.1.0")
    md = to_markdown(result)
    assert md.startswith("## Schema changes 1.0.0 → 1.1.0")
    assert (
        "| ⚠️ | `OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL` | `#/properties/channel` "
        "| FORWARD |" in md
    )
    assert "PROPERTY_REMOVED" not in md
    assert "readers on 1.0.0 reject data holding `channel` (their object is closed)" in md
    data = as_dict(result)
    assert data["verdicts"] == {"BACKWARD": True, "FORWARD": False}
    (channel,) = [c for c in data["changes"] if c["path"] == "#/properties/channel"]
    assert channel["forward_rule_id"] == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    assert channel["breaks"] == ["FORWARD"]
    assert channel["old"] is None  # added: absent from the old schema
    text = to_text(result)
    assert sum(line.startswith("  #/properties/channel ") for line in text.splitlines()) == 1


def test_mixed_formats_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot diff a JSON schema"):
        diff(DiffRequest(_file(tmp_path, "a.json", CLOSED), _file(tmp_path, "b.avsc", AVRO_V1)))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--level", "BACKWARD"], 0),
        ([], 1),
        (["--format", "json"], 1),
        (["--level", "SIDEWAYS"], 2),
    ],
)
def test_cli_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    old, new = _file(tmp_path, "a.json", CLOSED), _file(tmp_path, "b.json", WIDER)
    result = run_cli(["diff", old, new, *args])
    assert result.exit_code == code, result.stderr
    if "json" in args:
        assert json.loads(result.stdout)["compatible"] is False


def test_cli_missing_file(tmp_path: Path) -> None:
    result = run_cli(["diff", str(tmp_path / "nope.json"), str(tmp_path / "nope2.json")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_cli_contract_with_schema_file(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps(CLOSED), encoding="utf-8")
    contract = {
        "name": "x.Y",
        "version": "1.0.0",
        "schema": {"format": "jsonschema", "file": "s.json"},
    }
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(contract), encoding="utf-8")
    result = run_cli(["diff", str(tmp_path / "c.yaml"), str(tmp_path / "s.json")])
    assert result.exit_code == 0
    assert "no changes" in result.stdout


def test_avro_diff_lists_compatible_changes() -> None:
    payments = REPO / "contracts" / "payments"
    result = diff(
        DiffRequest(
            str(payments / "payment-succeeded.v1.yaml"),
            str(payments / "payment-succeeded.v1.1.yaml"),
        )
    )
    rows = {(r.rule_id, str(r.new)): r.breaks for r in result.rows}
    assert rows == {
        ("AVRO_ENUM_SYMBOL_ADDED", "WALLET"): (),
        ("AVRO_FIELD_ADDED_WITH_DEFAULT", "risk_score"): (),
    }
    assert "no changes" not in to_text(result)


def test_minimum_change_is_told_once_at_full(tmp_path: Path) -> None:
    old = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}}
    new = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}
    result = diff(DiffRequest(_file(tmp_path, "a.json", old), _file(tmp_path, "b.json", new)))
    (row,) = result.rows
    assert (row.rule_id, row.forward_rule_id, row.breaks) == (
        "MINIMUM_DECREASED",
        "MINIMUM_INCREASED",
        ("FORWARD",),
    )
    assert (row.old, row.new) == (1, 0)


def test_unjudged_keyword_is_reported_not_passed(tmp_path: Path) -> None:
    def tags(kind: str) -> dict[str, Any]:
        return {"type": "object", "patternProperties": {"^x-": {"type": kind}}}

    result = diff(
        DiffRequest(
            _file(tmp_path, "a.json", tags("string")), _file(tmp_path, "b.json", tags("integer"))
        )
    )
    assert result.compatible  # the registry's verdict is kept
    (row,) = result.rows
    assert (row.rule_id, row.path) == ("CHECK_UNJUDGED_CHANGE", "#/patternProperties")
    assert "not judged by the registry" in to_text(result)
    assert as_dict(result)["changes"][0]["judged"] is False


AVRO_MONEY = {
    "type": "record",
    "name": "Money",
    "namespace": "shop",
    "fields": [{"name": "cents", "type": "long"}],
}


def _avro_payment(extra: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "record",
        "name": "Paid",
        "namespace": "shop",
        "fields": [{"name": "amount", "type": "shop.Money"}, *extra],
    }


def test_reference_supplies_named_types(tmp_path: Path) -> None:
    old = _file(tmp_path, "a.avsc", _avro_payment([]))
    new = _file(tmp_path, "b.avsc", _avro_payment([{"name": "note", "type": "string"}]))
    with pytest.raises(ContractctlError, match="undefined Avro type name"):
        diff(DiffRequest(old, new))
    money = _file(tmp_path, "money.avsc", AVRO_MONEY)
    result = diff(DiffRequest(old, new, references=[Path(money)]))
    (row,) = result.rows
    assert (row.rule_id, row.breaks) == ("AVRO_FIELD_ADDED_WITHOUT_DEFAULT", ("BACKWARD",))
    code = run_cli(["diff", old, new, "--reference", money]).exit_code
    assert code == 1
