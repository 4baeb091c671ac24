"""import asyncapi: the specification's own examples import and validate; export then import
gives the bundled contracts back, except for the documented losses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.contract.loader import load_contracts
from contractctl.core.contract.model import Contract
from contractctl.core.registry.schema import registry_schema
from contractctl.core.schema.avro_refs import inline_named
from tests.conftest import CONTRACTS, REPO, run_cli, shared_dir

SHARED = shared_dir()
CORPUS = SHARED / "corpus" / "asyncapi" if SHARED else None
needs_corpus = pytest.mark.skipif(
    CORPUS is None or not CORPUS.is_dir(),
    reason="../shared/corpus/asyncapi (the AsyncAPI specification's examples) is absent",
)


def _documents() -> list[Path]:
    if CORPUS is None or not CORPUS.is_dir():
        return []
    found = sorted([*CORPUS.rglob("*.yml"), *CORPUS.rglob("asyncapi.yaml")])
    # The shared fragments (common/*.yaml) have no `asyncapi:` line; every document has one.
    return [p for p in found if re.search(r"(?m)^asyncapi:", p.read_text(encoding="utf-8"))]


# Examples in these documents contradict their own schemas (checked with jsonschema against
# the source document): the import reports them faithfully as CONTRACT_EXAMPLE_INVALID.
INVALID_EXAMPLES_IN_SOURCE = {
    "kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml",
    "kraken-websocket-request-reply-multiple-channels-asyncapi.yml",
}
# Their payloads are remote Avro files (https://www.asyncapi.com/…), which are never fetched.
REMOTE_PAYLOADS = {"adeo-kafka-request-reply-asyncapi.yml"}
MAY_NOT_FILL_IN = {
    "CONTRACT_OWNER_REQUIRED",
    "CONTRACT_PRODUCER_REQUIRED",
    "CONTRACT_DESCRIPTION_REQUIRED",
}


@needs_corpus
@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_specification_examples_import_and_validate(tmp_path: Path, document: Path) -> None:
    result = run_cli(["import", "asyncapi", str(document), "-o", "out", "-f", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    if document.name in REMOTE_PAYLOADS:
        assert report["contracts"] == 0
        assert all("remote $ref" in s["reason"] for s in report["skipped"])
        return
    assert report["contracts"] >= 1
    assert report["skipped"] == []
    checked = run_cli(["validate", "out", "-f", "json", "--fail-on", "never"], cwd=tmp_path)
    errors = {
        f["rule_id"]
        for f in json.loads(checked.stdout)["findings"]
        if f["severity"] == "error" and f["rule_id"] not in MAY_NOT_FILL_IN
    }
    expected = (
        {"CONTRACT_EXAMPLE_INVALID"} if document.name in INVALID_EXAMPLES_IN_SOURCE else set()
    )
    assert errors == expected


@needs_corpus
def test_channels_operations_and_correlation_ids_map_to_contract_fields(tmp_path: Path) -> None:
    import yaml

    for version, name in (("2.6", "correlation-id.yml"), ("3.0", "correlation-id-asyncapi.yml")):
        assert CORPUS is not None
        out = tmp_path / version
        assert (
            run_cli(["import", "asyncapi", str(CORPUS / version / name), "-o", str(out)]).exit_code
            == 0
        )
        contracts = {
            c["name"]: c for c in (yaml.safe_load(p.read_text()) for p in out.rglob("*.yaml"))
        }
        measured = contracts["correlation-id-example.LightMeasured"]
        dim = contracts["correlation-id-example.DimLight"]
        # A header location names no payload field; a payload location does.
        assert "correlation" not in measured, version
        assert dim["correlation"] == {"correlation_id": "sentAt"}, version
        # 2.x publish / 3.x receive: the application consumes; subscribe / send: it produces.
        assert [c["service"] for c in measured["consumers"]] == ["correlation-id-example"]
        assert "producer" not in measured
        assert dim["producer"] == "correlation-id-example"
        assert "consumers" not in dim
        assert measured["channel"] == (
            "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"
        ), version


def _roundtrip_fields(c: Contract) -> dict[str, Any]:
    """What survives export asyncapi → import asyncapi (docs/import.md lists the rest)."""
    policy = c.error_policy
    return {
        "summary": c.summary,
        "description": (c.description or "").strip() or None,
        "owner": c.owner,
        "channel": c.channel,
        "key": c.key,
        "ordering": c.ordering,
        "guarantee": c.delivery.guarantee if c.delivery else None,
        "correlation": c.correlation.correlation_id if c.correlation else None,
        "producer": c.producer,
        "consumers": sorted((k.service, k.purpose) for k in c.consumers),
        "retries": (policy.retries.max_attempts, policy.retries.backoff)
        if policy and policy.retries
        else None,
        "dead_letter": policy.dead_letter if policy else None,
        "compensation": policy.compensation if policy else (),
        "tags": c.tags,
        "examples": [(e.name, e.payload) for e in c.examples],
        "deprecated": c.deprecated,
    }


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_gives_the_contracts_back(tmp_path: Path, fmt: str) -> None:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    shutil.copy(REPO / "contractctl.yaml", tmp_path / "contractctl.yaml")
    # Written beside the schema files: an export that keeps a schema's `$ref` to another
    # file (relative to that schema) still resolves there.
    document = tmp_path / f"contracts/orders/schemas/asyncapi.{fmt}"
    exported = run_cli(["export", "asyncapi", "-f", fmt, "-o", str(document)], cwd=tmp_path)
    assert exported.exit_code == 0, exported.stderr
    imported = run_cli(["import", "asyncapi", str(document), "-o", "back"], cwd=tmp_path)
    assert imported.exit_code == 0, imported.stderr
    original = {c.id: c for c in load_contracts([tmp_path / "contracts"]).contracts}
    again = load_contracts([tmp_path / "back"])
    assert again.input_errors == []
    back = {c.id: c for c in again.contracts}
    assert set(back) == set(original)
    for key, old in original.items():
        new = back[key]
        assert _roundtrip_fields(new) == _roundtrip_fields(old), key
        assert new.schema.format == old.schema.format
        form = registry_schema(old)
        whole = inline_named(form.document, form.named)
        # The export carries the schema as written, or bundled / with named types inlined.
        assert new.schema.document in (old.schema.document, form.document, whole), key


BROKEN = {
    "not-asyncapi.yaml": ("openapi: 3.0.0\ninfo: {title: x, version: '1'}\n", 3, "not an AsyncAPI"),
    "bad-yaml.yaml": ("asyncapi: 3.0.0\nchannels: [\n", 3, "bad-yaml.yaml"),
    "future.yaml": ("asyncapi: 4.0.0\n", 3, "is not supported"),
    "dangling.yaml": (
        "asyncapi: 3.0.0\ninfo: {title: T, version: 1.0.0}\nchannels:\n"
        "  c: {$ref: '#/components/channels/missing'}\n",
        3,
        "does not resolve",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_documents_fail_in_one_line(tmp_path: Path, name: str) -> None:
    text, code, message = BROKEN[name]
    (tmp_path / name).write_text(text)
    result = run_cli(["import", "asyncapi", name, "-o", "out"], cwd=tmp_path)
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_document_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["import", "asyncapi", "nope.yaml", "-o", "out"], cwd=tmp_path)
    assert result.exit_code == 2


MINIMAL = """\
asyncapi: 3.0.0
info: {title: Billing Service, version: '2.1'}
channels:
  invoices:
    address: billing.invoices
    messages:
      issued:
        name: InvoiceIssued
        payload:
          type: object
          properties: {invoice_id: {type: string}}
        bindings:
          kafka:
            key: {type: object, properties: {invoice_id: {type: string}}}
operations:
  sendIssued:
    action: send
    channel: {$ref: '#/channels/invoices'}
"""


def test_rerun_keeps_hand_edits_and_changes_nothing_else(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "billing.yaml").write_text(MINIMAL)
    assert run_cli(["import", "asyncapi", "billing.yaml", "-o", "out"], cwd=tmp_path).exit_code == 0
    contract = tmp_path / "out/billing-service/invoice-issued.v2.1.0.yaml"
    fields = yaml.safe_load(contract.read_text())
    assert fields["key"] == "invoice_id"  # the Kafka key binding's one property
    assert fields["producer"] == "billing-service"
    assert fields["channel"] == "billing.invoices"
    contract.write_text(contract.read_text() + "owner: team-billing\n")
    again = run_cli(["import", "asyncapi", "billing.yaml", "-o", "out", "-f", "json"], cwd=tmp_path)
    actions = json.loads(again.stdout)["files"]
    assert actions["billing-service/invoice-issued.v2.1.0.yaml"] == "kept"
    assert set(actions.values()) == {"kept", "unchanged"}
    assert "owner: team-billing" in contract.read_text()
