"""import registry: one contract per subject version, semver from the engine, idempotent reruns
that never overwrite hand edits, the same result over HTTP flavours as on the embedded one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.client import HttpRegistry
from contractctl.adapters.registry.embedded import EmbeddedRegistry
from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.adapters.registry.store import LocalStore
from contractctl.app.adopt_registry import ImportReport, RegistryImportRequest, import_registry
from contractctl.core.adoption.manifest import MANIFEST_NAME, FileAction
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.registry.subjects import SubjectStrategy
from tests.conftest import run_cli
from tests.unit.adoption.estate import ORDER_V1, ORDER_V2, ORDER_V3, estate, placed

EXPECTED_CONTRACTS = {
    "audit/audit-entry-written.v1.0.0.yaml",
    "audit/audit-entry-written.v2.0.0.yaml",
    "com.acme.payments/payment-succeeded.v1.0.0.yaml",
    "com.acme.payments/payment-succeeded.v1.1.0.yaml",
    "orders/order-placed.v1.0.0.yaml",
    "orders/order-placed.v1.1.0.yaml",
    "orders/order-placed.v2.0.0.yaml",
}


def run(store: LocalStore, out: Path, **kw: Any) -> ImportReport:
    request = RegistryImportRequest(
        RegistrySettings(), out, open_api=lambda: EmbeddedRegistry(out / ".reg", store=store), **kw
    )
    return import_registry(request)


def files(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_each_subject_version_becomes_a_contract(tmp_path: Path) -> None:
    report = run(estate(), tmp_path)
    written = set(files(tmp_path))
    assert {p for p in written if p.endswith(".yaml")} == EXPECTED_CONTRACTS
    assert "common/com-acme-money.v1.avsc" in written  # the reference, shared
    assert ("com.acme.Money", "referenced by other subjects: common/") in report.skipped
    # Only the breaking versions bump the major; the NONE subject's break is still a major.
    assert report.majors == ["audit-log-value v2 → 2.0.0", "orders.order-placed-value v3 → 2.0.0"]
    paid = yaml.safe_load(
        (tmp_path / "com.acme.payments/payment-succeeded.v1.1.0.yaml").read_text()
    )
    assert paid["schema"] == {  # no `subject`: TopicNameStrategy gives it back
        "format": "avro",
        "file": "schemas/payment-succeeded.v1.1.0.avsc",
        "references": ["../common/com-acme-money.v1.avsc"],
    }
    assert (paid["compatibility"], paid["channel"]) == ("FULL", "payments.payment-succeeded")
    assert paid["summary"] == "The customer's payment was captured."
    audit = yaml.safe_load((tmp_path / "audit/audit-entry-written.v1.0.0.yaml").read_text())
    assert audit["compatibility"] == "NONE"
    schema = json.loads((tmp_path / "orders/schemas/order-placed.v2.0.0.json").read_text())
    assert schema == ORDER_V3


def test_rerun_changes_nothing(tmp_path: Path) -> None:
    store = estate()
    run(store, tmp_path)
    before = files(tmp_path)
    again = run(store, tmp_path)
    assert set(again.actions.values()) == {FileAction.UNCHANGED}
    assert files(tmp_path) == before


def test_new_versions_are_added_and_hand_edits_kept(tmp_path: Path) -> None:
    store = estate()
    run(store, tmp_path)
    edited = tmp_path / "orders/order-placed.v2.0.0.yaml"
    edited.write_text(edited.read_text() + "owner: team-orders\n")
    v4 = placed({**ORDER_V3["properties"], "channel": {"type": "string"}}, ["order_id"])
    store.register("orders.order-placed-value", SchemaSubmission.of(v4, "JSON"))
    store.set_level("audit-log-value", "FORWARD")
    report = run(store, tmp_path)
    assert report.actions["orders/order-placed.v2.1.0.yaml"] is FileAction.CREATE
    assert report.actions["orders/order-placed.v2.0.0.yaml"] is FileAction.KEPT
    assert "owner: team-orders" in edited.read_text()
    # Files the import wrote and nobody touched follow the registry (here: a level change),
    # and the numbers already given never shift.
    assert report.actions["audit/audit-entry-written.v1.0.0.yaml"] is FileAction.UPDATE
    assert report.actions["audit/audit-entry-written.v2.0.0.yaml"] is FileAction.UPDATE
    assert (
        "compatibility: FORWARD" in (tmp_path / "audit/audit-entry-written.v2.0.0.yaml").read_text()
    )
    assert run(store, tmp_path).actions["orders/order-placed.v2.0.0.yaml"] is FileAction.KEPT
    # The new version takes what was filled in on the version before it.
    added = yaml.safe_load((tmp_path / "orders/order-placed.v2.1.0.yaml").read_text())
    assert added["owner"] == "team-orders"
    assert "owner" not in yaml.safe_load((tmp_path / "orders/order-placed.v1.1.0.yaml").read_text())


def test_subject_patterns_and_dry_run(tmp_path: Path) -> None:
    report = run(estate(), tmp_path, patterns=("orders.*",), dry_run=True)
    assert (report.contracts, report.subjects) == (3, 1)
    assert not any(tmp_path.iterdir())


def _mock(
    flavour: str, store: LocalStore, prefix: str = "", *, listing: bool | str = True
) -> httpx.MockTransport:
    emulator = RegistryEmulator(store, flavour=flavour, prefix=prefix)

    def handle(request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode()
        if request.url.path.endswith("/schemas") and listing is not True:
            if listing == "huge":  # past max_response_bytes: the listing is given up
                return httpx.Response(200, json=[{"subject": "s", "padding": "x" * 4096}])
            return httpx.Response(404, text="Not Found")  # a server without GET /schemas
        status, body = emulator.dispatch(request.method, target, request.content, None)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("flavour", "prefix", "listing"),
    [
        ("confluent", "", True),
        ("karapace", "", True),
        ("apicurio", "/apis/ccompat/v7", True),
        ("confluent", "", False),  # no GET /schemas: subject by subject
        ("confluent", "", "huge"),  # a listing past the size cap: subject by subject
    ],
)
def test_http_flavours_import_what_the_embedded_registry_does(
    tmp_path: Path, flavour: str, prefix: str, listing: bool | str
) -> None:
    store = estate()
    run(store, tmp_path / "embedded")
    cap = 2048 if listing == "huge" else RegistrySettings().max_response_bytes
    settings = RegistrySettings(urls=(f"http://registry.test{prefix}",), max_response_bytes=cap)
    transport = _mock(flavour, store, prefix, listing=listing)
    clients: list[HttpRegistry] = []

    def open_api() -> HttpRegistry:
        clients.append(HttpRegistry(settings, transport=transport))
        return clients[-1]

    import_registry(RegistryImportRequest(settings, tmp_path / "http", open_api=open_api))
    # subjects, global level, listing, then one level per subject; else each version too.
    assert clients[0].requests == (3 + 4 if listing is True else 3 + 4 * 2 + 8)
    embedded = {p: t for p, t in files(tmp_path / "embedded").items() if p != MANIFEST_NAME}
    http = {p: t for p, t in files(tmp_path / "http").items() if p != MANIFEST_NAME}
    assert http == embedded


def _project(tmp_path: Path) -> Path:
    estate(LocalStore(tmp_path / "reg"))
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\nregistry:\n  embedded: reg\n")
    return tmp_path


def _compat_errors(report: dict[str, Any]) -> list[str]:
    return [
        f"{f['rule_id']} {f.get('file')}: {f['message']}"
        for f in report["findings"]
        if f["severity"] == "error" and not f["rule_id"].startswith("CONTRACT_")
    ]


def _registry_accepts(earlier: list[dict[str, Any]], new: dict[str, Any]) -> bool:
    store = LocalStore()
    for document in earlier:
        store.register("s", SchemaSubmission.of(document, "JSON"))
    return store.judge("s", SchemaSubmission.of(new, "JSON"), "BACKWARD").compatible


def test_imported_tree_gets_the_registry_verdicts(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_cli(["import", "registry", "--output", "contracts"], cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "7 contracts of 3 subjects" in result.stdout
    checked = run_cli(["check", "--format", "json", "--fail-on", "never"], cwd=project)
    report = json.loads(checked.stdout)
    assert _compat_errors(report) == []
    assert report["summary"]["compared"] == 2  # the 1.1.0s; a 2.0.0 starts a new line
    # Where the import bumped the major, the registry itself judges the version a break
    # at the subject's level; where it bumped the minor, compatible.
    assert not _registry_accepts([ORDER_V1, ORDER_V2], ORDER_V3)  # became 2.0.0
    assert _registry_accepts([ORDER_V1], ORDER_V2)  # became 1.1.0
    against = run_cli(
        ["check", "--against", "registry", "--format", "json", "--fail-on", "never"], cwd=project
    )
    found = json.loads(against.stdout)
    # Every imported contract is one the registry holds, so none is judged again at today's
    # level (not even the break it took under NONE): the gate reports no change.
    assert found["summary"]["registered"] == 7
    assert found["summary"]["new"] == 0
    errors = [
        f for f in found["findings"]
        if f["severity"] == "error" and not f["rule_id"].startswith("CONTRACT_")
    ]  # fmt: skip
    assert errors == []


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        (lambda out: out.write_text("a file, not a folder"), 2, "is a file, not a folder"),
        (
            lambda out: (out.mkdir(), (out / MANIFEST_NAME).write_text("{not json")),
            3,
            "unreadable import manifest",
        ),
    ],
    ids=["output-is-a-file", "manifest-corrupt"],
)
def test_unusable_output_folders_fail_in_one_line(
    tmp_path: Path, setup: Any, code: int, message: str
) -> None:
    estate(LocalStore(tmp_path / "reg"))
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\nregistry:\n  embedded: reg\n")
    setup(tmp_path / "out")
    result = run_cli(["import", "registry", "-o", "out"], cwd=tmp_path)
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("strategy", "subject_written"),
    [(SubjectStrategy.TOPIC, True), (SubjectStrategy.RECORD, False)],
)
def test_subject_is_written_only_when_the_strategy_would_not_give_it_back(
    tmp_path: Path, strategy: SubjectStrategy, subject_written: bool
) -> None:
    store = LocalStore()
    record = {"type": "record", "name": "StockCounted", "namespace": "com.acme.inventory",
              "fields": [{"name": "sku", "type": "string"}]}  # fmt: skip
    store.register("com.acme.inventory.StockCounted", SchemaSubmission.of(record, "AVRO"))
    request = RegistryImportRequest(
        RegistrySettings(subject_strategy=strategy),
        tmp_path,
        open_api=lambda: EmbeddedRegistry(tmp_path / ".reg", store=store),
    )
    import_registry(request)
    fields = yaml.safe_load((tmp_path / "com.acme.inventory/stock-counted.v1.0.0.yaml").read_text())
    assert fields["name"] == "com.acme.inventory.StockCounted"
    assert ("subject" in fields["schema"]) is subject_written
    assert "channel" not in fields  # a record-named subject names no topic
