"""Which registered version is a contract's own: the identity rule, and the baselines and
publish summaries that depend on it (regressions found on a real Karapace server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from contractctl.adapters.baselines import SchemaDirBaseline
from contractctl.adapters.registry.api import RegistryAPI
from contractctl.adapters.registry.baseline import make_registry_baseline
from contractctl.adapters.registry.client import HttpRegistry
from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.app.publish import Action, PublishRequest, publish
from contractctl.app.registry import RegistryRequest, pull
from contractctl.core.contract.config import Config
from contractctl.core.contract.model import Contract, SchemaReference, SchemaSpec
from contractctl.core.errors import RegistryNotFound
from contractctl.core.registry.config import RegistrySettings
from contractctl.core.registry.identity import canonical_form, fingerprint, position

MONEY = {
    "type": "record",
    "name": "Money",
    "namespace": "com.acme.common",
    "fields": [{"name": "amount_minor", "type": "long"}, {"name": "currency", "type": "string"}],
}


# -- the rule itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "servers"),
    [
        # Karapace: keys sorted
        (
            {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]},
            {"fields": [{"name": "x", "type": "int"}], "name": "A", "type": "record"},
        ),
        # Confluent's Schema.toString(): a primitive in a dict folded, full names
        (
            {
                "type": "record",
                "name": "A",
                "namespace": "n",
                "fields": [{"name": "x", "type": {"type": "string"}}, {"name": "b", "type": "B"}],
            },
            {
                "type": "record",
                "name": "n.A",
                "fields": [{"name": "x", "type": "string"}, {"name": "b", "type": "n.B"}],
            },
        ),
    ],
)
def test_server_normalisations_keep_the_identity(ours: Any, servers: Any) -> None:
    assert fingerprint(ours, "AVRO") == fingerprint(servers, "AVRO")


@pytest.mark.parametrize(
    "changed",
    [
        {"type": "record", "name": "A", "fields": [{"name": "x", "type": "long"}]},
        {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int", "default": 1}]},
        {"type": "record", "name": "A", "doc": "d", "fields": [{"name": "x", "type": "int"}]},
        {"type": "record", "name": "B", "fields": [{"name": "x", "type": "int"}]},
    ],
)
def test_real_changes_change_the_identity(changed: Any) -> None:
    base = {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}
    assert fingerprint(base, "AVRO") != fingerprint(changed, "AVRO")


def test_json_schema_identity_is_key_order_free_and_type_bound() -> None:
    a = {"type": "object", "properties": {"a": {"type": "string"}}}
    b = {"properties": {"a": {"type": "string"}}, "type": "object"}
    assert canonical_form(a, "JSON") == canonical_form(b, "JSON")
    assert fingerprint(a, "JSON") != fingerprint(a, "AVRO")
    assert position([fingerprint({}, "JSON"), fingerprint(b, "JSON")], fingerprint(a, "JSON")) == 1
    assert position([], fingerprint(a, "JSON")) is None


# -- a server that normalises what it returns ---------------------------------------------


class SortingTransport(httpx.AsyncBaseTransport):
    """The emulator, returning schema text key-sorted as Karapace does, and refusing a
    lookup whose references are missing (Karapace: 422 42201)."""

    def __init__(self, emulator: RegistryEmulator, *, lose_register: set[str] = frozenset()):
        self.emulator = emulator
        self.lose_register = set(lose_register)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path.startswith("/subjects/"):
            body = json.loads(request.content or b"{}")
            if "Paid" in body.get("schema", "") and not body.get("references"):
                return httpx.Response(
                    422, json={"error_code": 42201, "message": "Error while looking up schema"}
                )
        status, body = self.emulator.dispatch(request.method, path, request.content, None)
        if request.method == "POST" and path.endswith("/versions"):
            subject = path.split("/")[2]
            if subject in self.lose_register:  # registered, but the answer never arrives
                self.lose_register.discard(subject)
                raise httpx.ReadError("connection reset by peer")
        if isinstance(body, dict) and isinstance(body.get("schema"), str):
            body = {**body, "schema": json.dumps(json.loads(body["schema"]), sort_keys=True)}
        return httpx.Response(status, json=body)


def paid(tmp_path: Path, version: str, *, note: bool) -> Contract:
    fields: list[dict[str, Any]] = [
        {"name": "id", "type": "string"},
        {"name": "amount", "type": "com.acme.common.Money"},
    ]
    if note:
        fields.append({"name": "note", "type": "string"})
    document = {"type": "record", "name": "Paid", "namespace": "com.acme", "fields": fields}
    ref = SchemaReference(tmp_path / "Money.avsc", MONEY, ("com.acme.common.Money",))
    return Contract(
        name="pay.Paid",
        version=version,
        schema=SchemaSpec("avro", document, references=(ref,)),
        path=tmp_path / f"paid.v{version}.yaml",
        channel="paid",
        compatibility="BACKWARD",
    )


def _opener(settings: RegistrySettings, transport: httpx.AsyncBaseTransport) -> Any:
    def open_api() -> RegistryAPI:
        return HttpRegistry(settings, transport=transport)

    return open_api


def test_avro_with_references_is_its_own_registered_version(tmp_path: Path) -> None:
    emulator = RegistryEmulator()
    settings = RegistrySettings(urls=("http://registry.test",), retries=0)
    opener = _opener(settings, SortingTransport(emulator))
    v1, v11 = paid(tmp_path, "1.0.0", note=True), paid(tmp_path, "1.1.0", note=False)
    report = publish(PublishRequest([v1, v11], settings, open_api=opener))
    assert report.count(Action.REGISTERED) == 3  # Money, then Paid v1 and v2
    baseline = make_registry_baseline(settings, open_api=opener)
    baseline.prefetch([v1, v11])
    assert baseline.history(v1) == []  # never judged against its own successor
    assert [h.label.rsplit(" ", 3)[-3] for h in baseline.history(v11)] == ["v1"]
    again = publish(PublishRequest([v1, v11], settings, open_api=opener))
    assert [o.action for o in again.outcomes] == [Action.UNCHANGED, Action.UNCHANGED]


def test_a_lost_response_is_reconciled_with_what_the_server_holds(tmp_path: Path) -> None:
    emulator = RegistryEmulator()
    settings = RegistrySettings(urls=("http://registry.test",), retries=0)
    opener = _opener(settings, SortingTransport(emulator, lose_register={"paid-value"}))
    report = publish(
        PublishRequest([paid(tmp_path, "1.0.0", note=True)], settings, open_api=opener)
    )
    own = next(o for o in report.outcomes if not o.is_reference)
    assert own.action is Action.REGISTERED  # the server holds it: not FAILED
    assert own.version == 1
    assert emulator.store.versions("paid-value") == [1]


class FailFirst(httpx.AsyncBaseTransport):
    def __init__(self, emulator: RegistryEmulator) -> None:
        self.emulator = emulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/subjects/paid-value/versions":
            return httpx.Response(500, json={"error_code": 50001, "message": "store error"})
        status, body = self.emulator.dispatch(
            request.method, request.url.path, request.content, None
        )
        return httpx.Response(status, json=body)


def test_versions_after_a_failure_are_not_attempted(tmp_path: Path) -> None:
    emulator = RegistryEmulator()
    settings = RegistrySettings(urls=("http://registry.test",), retries=0)
    v1, v11 = paid(tmp_path, "1.0.0", note=True), paid(tmp_path, "1.1.0", note=False)
    report = publish(
        PublishRequest([v1, v11], settings, open_api=_opener(settings, FailFirst(emulator)))
    )
    actions = [o.action for o in report.outcomes if not o.is_reference]
    assert actions == [Action.FAILED, Action.NOT_ATTEMPTED]
    assert report.count(Action.REGISTER) == 0  # nothing left in a planned state


def test_pulled_folder_cuts_history_at_the_contracts_own_version(tmp_path: Path) -> None:
    settings = RegistrySettings(embedded_path=tmp_path / "reg")
    v1, v11 = paid(tmp_path, "1.0.0", note=True), paid(tmp_path, "1.1.0", note=False)
    assert publish(PublishRequest([v1, v11], settings, root=tmp_path)).exit_code == 0
    pull(RegistryRequest(settings, root=tmp_path), tmp_path / "pulled")
    baseline = SchemaDirBaseline(tmp_path / "pulled", Config())
    assert baseline.history(v1) == []
    assert [Path(h.label).name for h in baseline.history(v11)] == ["1.avsc"]
    assert baseline.level(v11) == "BACKWARD"


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://sr.example/wrong", "is probably not a schema registry's base URL"),
        ("https://sr.example/subjects", "ends in /subjects: give the registry's base URL"),
    ],
)
def test_a_plain_404_or_405_names_the_base_url(base: str, expected: str) -> None:
    import asyncio

    def handler(request: httpx.Request) -> httpx.Response:
        status = 405 if request.url.path.endswith("/subjects/subjects") else 404
        return httpx.Response(status, text="Not Found")

    async def main() -> None:
        settings = RegistrySettings(urls=(base,), retries=0)
        async with HttpRegistry(settings, transport=httpx.MockTransport(handler)) as reg:
            await reg.subjects()

    with pytest.raises(RegistryNotFound, match=expected):
        asyncio.run(main())
