"""The AsyncAPI export parses with zero errors in the official parser, and its refs resolve.

``@asyncapi/parser`` 3.x with ``@asyncapi/avro-schema-parser`` registered runs through node
(``tests/node``; install with ``npm ci --prefix tests/node``); without node or the packages
that test is skipped with the reason. The reference check runs everywhere: every ``$ref`` in
the document is a local pointer that resolves, and shared definitions appear once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.core.schema.jsonschema_refs import resolve_pointer, walk_refs
from tests.conftest import CONTRACTS, REPO, run_cli

NODE_DIR = REPO / "tests" / "node"
_PARSER = NODE_DIR / "node_modules" / "@asyncapi" / "parser"
_AVRO = NODE_DIR / "node_modules" / "@asyncapi" / "avro-schema-parser"


def _official_parser_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (_PARSER.is_dir() and _AVRO.is_dir()):
        return f"@asyncapi/parser not installed: run `npm ci --prefix {NODE_DIR}`"
    return None


needs_parser = pytest.mark.skipif(
    _official_parser_missing() is not None, reason=str(_official_parser_missing())
)


def _export(paths: list[str], cwd: Path, out: Path) -> dict[str, Any]:
    result = run_cli(["export", "asyncapi", *paths, "-o", str(out)], cwd=cwd)
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = yaml.safe_load(out.read_text(encoding="utf-8"))
    return loaded


def _parser_errors(document: Path) -> list[str]:
    run = subprocess.run(
        ["node", str(NODE_DIR / "parse.mjs"), str(document)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    errors = [
        f"{d['code']}: {d['message']} at {'/'.join(map(str, d['path']))}"
        for d in report["diagnostics"]
        if d["severity"] == 0
    ]
    assert report["parsed"] or errors, "the parser returned no document and no error"
    return errors


def _dangling_refs(doc: dict[str, Any]) -> list[str]:
    bad = []
    for pointer, ref in walk_refs(doc):
        if not ref.startswith("#") or not resolve_pointer(doc, ref[1:])[0]:
            bad.append(f"{pointer}: {ref}")
    return bad


def _system(root: Path, events: int) -> None:
    """A generated system: JSON events sharing $defs from one file, Avro events sharing Money."""
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    common = root / "contracts" / "common"
    common.mkdir(parents=True)
    shared = {
        "definitions": {
            "Amount": {
                "type": "object",
                "properties": {
                    "cents": {"type": "integer"},
                    "currency": {"$ref": "#/definitions/Currency"},
                },
            },
            "Currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        }
    }
    (common / "defs.json").write_text(json.dumps(shared), encoding="utf-8")
    money = {
        "type": "record",
        "name": "Money",
        "namespace": "gen.common",
        "fields": [{"name": "cents", "type": "long"}, {"name": "currency", "type": "string"}],
    }
    (common / "Money.avsc").write_text(json.dumps(money), encoding="utf-8")
    for n in range(events):
        folder = root / "contracts" / f"d{n % 10}"
        folder.mkdir(exist_ok=True)
        name = f"d{n % 10}.Event{n}"
        if n % 2:
            schema: dict[str, Any] = {
                "type": "record",
                "name": f"Event{n}",
                "namespace": f"gen.d{n % 10}",
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "amount", "type": "gen.common.Money"},
                ],
            }
            spec = {"format": "avro", "file": f"e{n}.avsc", "references": ["../common/Money.avsc"]}
            (folder / f"e{n}.avsc").write_text(json.dumps(schema), encoding="utf-8")
        else:
            schema = {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "total": {"$ref": "../common/defs.json#/definitions/Amount"},
                    "lines": {"type": "array", "items": {"$ref": "#/definitions/Line"}},
                },
                "definitions": {
                    "Line": {"type": "object", "properties": {"sku": {"type": "string"}}}
                },
            }
            spec = {"format": "jsonschema", "file": f"e{n}.json"}
            (folder / f"e{n}.json").write_text(json.dumps(schema), encoding="utf-8")
        contract = {
            "name": name,
            "version": "1.0.0",
            "summary": f"Event {n} happened.",
            "owner": "team-gen",
            "producer": f"service-{n % 7}",
            "channel": f"gen.event-{n}",
            "schema": spec,
            "consumers": [{"service": f"service-{(n + 1) % 7}", "purpose": "React to it."}],
        }
        (folder / f"event{n}.v1.yaml").write_text(yaml.safe_dump(contract), encoding="utf-8")


def test_bundled_export_refs_resolve_inside_the_document(tmp_path: Path) -> None:
    doc = _export([str(CONTRACTS)], REPO, tmp_path / "asyncapi.yaml")
    assert _dangling_refs(doc) == []
    schemas = doc["components"]["schemas"]
    # address.json is shared by both OrderPlaced versions: one entry, referenced twice.
    assert "address" in schemas
    text = json.dumps(doc)
    assert text.count('"#/components/schemas/address"') == 2
    assert text.count(json.dumps(schemas["address"])) == 1  # its content is not copied


def test_generated_system_shares_definitions_once(tmp_path: Path) -> None:
    _system(tmp_path, 200)
    doc = _export(["contracts"], tmp_path, tmp_path / "asyncapi.yaml")
    assert len(doc["components"]["messages"]) == 200
    assert _dangling_refs(doc) == []
    schemas = doc["components"]["schemas"]
    # defs.json (the shared file, bundled whole) and Line: one entry each, not 100 copies.
    assert sorted(schemas) == ["Line", "defs"]
    assert json.dumps(doc).count('"#/components/schemas/defs/definitions/Amount"') == 100
    avro = doc["components"]["messages"]["d1.Event1-1.0.0"]["payload"]
    assert avro["schemaFormat"].startswith("application/vnd.apache.avro")
    assert avro["schema"]["fields"][1]["type"]["name"] == "Money"  # reference inlined


@needs_parser
def test_official_parser_accepts_the_bundled_export(tmp_path: Path) -> None:
    out = tmp_path / "asyncapi.yaml"
    _export([str(CONTRACTS)], REPO, out)
    assert _parser_errors(out) == []


@needs_parser
def test_official_parser_accepts_a_generated_200_contract_system(tmp_path: Path) -> None:
    _system(tmp_path, 200)
    out = tmp_path / "asyncapi.yaml"
    _export(["contracts"], tmp_path, out)
    assert _parser_errors(out) == []
