"""The AsyncAPI export validates against the official AsyncAPI 3.0 JSON Schema (vendored)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contractctl.core.contract.loader import load_contracts
from contractctl.core.flow.asyncapi import build_asyncapi
from tests.conftest import CONTRACTS, REPO, run_cli
from tests.docs.factory import contract

SCHEMA = REPO / "tests" / "data" / "asyncapi" / "asyncapi-3.0.0.schema.json"


@cache
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def errors(doc: dict[str, Any]) -> list[str]:
    plain = json.loads(json.dumps(doc))  # tuples → lists, as a YAML/JSON reader would see it
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator().iter_errors(plain)]


def test_bundled_contracts_validate() -> None:
    doc = build_asyncapi(load_contracts([CONTRACTS]).contracts)
    assert errors(doc) == []
    assert doc["asyncapi"] == "3.0.0"
    actions = {op["action"] for op in doc["operations"].values()}
    assert actions == {"send", "receive"}
    avro = [
        m for m in doc["components"]["messages"].values() if "avro" in m["payload"]["schemaFormat"]
    ]
    assert avro, "the bundled saga has Avro events"


def test_one_operation_per_producer_and_consumer() -> None:
    doc = build_asyncapi(
        [
            contract("a.E", "1.0.0", producer="p", consumers=("c1", "c2")),
            contract("a.E", "1.1.0", producer="p", consumers=("c1",)),
        ]
    )
    assert errors(doc) == []
    ops = doc["operations"]
    assert sorted(ops) == ["c1.receive.a.E", "c2.receive.a.E", "p.send.a.E"]
    assert ops["c1.receive.a.E"]["messages"] == [
        {"$ref": "#/channels/a.e/messages/a.E-1.0.0"},
        {"$ref": "#/channels/a.e/messages/a.E-1.1.0"},
    ]
    assert ops["c2.receive.a.E"]["description"] == "c2 reacts"


def test_validator_is_not_vacuous() -> None:
    doc = build_asyncapi([contract("a.E", producer="p")])
    doc["operations"]["p.send.a.E"]["action"] = "publish"  # AsyncAPI 2 wording
    assert errors(doc)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_cli_export(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"asyncapi.{fmt}"
    result = run_cli(
        ["export", "asyncapi", "contracts/", "--format", fmt, "-o", str(out)], cwd=REPO
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    doc = yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    assert errors(doc) == []
