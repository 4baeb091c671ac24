"""Generated models on the wire: Avro across versions (``writer_schema``) and Confluent's
wire format against the embedded registry and a registry behind httpx.MockTransport."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from tests.conftest import run_cli

from contractctl.adapters.registry.emulator import RegistryEmulator
from contractctl.adapters.registry.store import LocalStore
from contractctl.adapters.registry.writer_schemas import WriterSchemas
from contractctl.core.registry.config import RegistrySettings

CARD = {
    "event_id": "1e4b7c2a-9d8f-4e6a-b5c3-2f1a0e9d8c7b",
    "correlation_id": "0b8e2a4c-1d2e-4f60-8a9b-7c6d5e4f3a21",
    "order_id": "ord_7k2m9x4p1q8z",
    "payment_id": "pay_55AA",
    "amount": {"amount_minor": 2500, "currency": "EUR"},
    "captured_at": 1793610000000,
    "method": "CARD",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled contracts published to an embedded registry, and their models imported."""
    import shutil

    repo = Path(__file__).resolve().parents[2]
    project = tmp_path_factory.mktemp("wire")
    shutil.copytree(repo / "contracts", project / "contracts")
    shutil.copy(repo / "contractctl.yaml", project / "contractctl.yaml")
    result = run_cli(["publish", "contracts"], cwd=project)
    assert result.exit_code == 0, result.stderr
    out = project / "wire_models"
    assert (
        run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project).exit_code == 0
    )
    sys.path.insert(0, str(project))
    try:
        modules = {
            name: importlib.import_module(f"wire_models.{name}")
            for name in ("payments.payment_succeeded_v1_0_0", "payments.payment_succeeded_v1_1_0",
                         "orders.order_cancelled_v1_0_0")
        }  # fmt: skip
    finally:
        sys.path.remove(str(project))
    store = LocalStore(project / ".contractctl/registry")
    ids = {}
    for subject in store.subjects():
        for number in store.versions(subject):
            version = store.version(subject, number)
            assert version is not None
            ids[(subject, number)] = version.id
    return {"modules": modules, "store": store, "ids": ids}


def _models(published: dict[str, Any]) -> tuple[Any, Any]:
    m = published["modules"]
    return (m["payments.payment_succeeded_v1_0_0"].PaymentSucceeded,
            m["payments.payment_succeeded_v1_1_0"].PaymentSucceeded)  # fmt: skip


def _id(published: dict[str, Any], fragment: str, version: int) -> int:
    found = [i for (s, n), i in published["ids"].items() if fragment in s and n == version]
    assert len(found) == 1, published["ids"]
    return int(found[0])


def _schema_text(v: str) -> str:
    repo = Path(__file__).resolve().parents[2]
    return (repo / f"contracts/payments/schemas/PaymentSucceeded.{v}.avsc").read_text()


def test_avro_bytes_of_one_version_read_by_the_other(published: dict[str, Any]) -> None:
    v1, v11 = _models(published)
    old = v1.model_validate(CARD).to_avro()
    read = v11.from_avro(old, writer_schema=_schema_text("v1"))
    assert read.risk_score is None
    assert read.amount.amount_minor == 2500
    new = v11.model_validate({**CARD, "risk_score": 0.25}).to_avro()
    back = v1.from_avro(new, writer_schema=json.loads(_schema_text("v1.1")))
    assert back.payment_id == "pay_55AA"
    assert not hasattr(back, "risk_score")


def test_bytes_of_another_version_without_writer_schema_fail_clearly(
    published: dict[str, Any],
) -> None:
    v1, v11 = _models(published)
    new = v11.model_validate({**CARD, "risk_score": 0.25}).to_avro()
    with pytest.raises(ValidationError, match="left after the record"):
        v1.from_avro(new)
    with pytest.raises(ValidationError, match="not Avro written with"):
        v11.from_avro(v1.model_validate(CARD).to_avro())
    with pytest.raises(ValidationError, match="not Avro written with"):
        v1.from_avro(b"\x02")
    wallet = v11.model_validate({**CARD, "method": "WALLET"}).to_avro()
    # A symbol v1 does not know falls back to its enum default, as Avro resolution says.
    assert v1.from_avro(wallet, writer_schema=_schema_text("v1.1")).method == "CARD"


def test_confluent_wire_format_through_the_embedded_registry(published: dict[str, Any]) -> None:
    v1, v11 = _models(published)
    resolver = WriterSchemas.of_store(published["store"])
    id1, id2 = _id(published, "payment-succeeded", 1), _id(published, "payment-succeeded", 2)
    framed = v1.model_validate(CARD).to_confluent(id1)
    assert framed[0] == 0
    assert int.from_bytes(framed[1:5], "big") == id1
    assert v11.from_confluent(framed, resolver).method == "CARD"
    newer = v11.model_validate({**CARD, "risk_score": 0.5}).to_confluent(id2)
    assert v1.from_confluent(newer, resolver).order_id == "ord_7k2m9x4p1q8z"
    with pytest.raises(ValidationError, match="wire format"):
        v1.from_confluent(b"\x01" + framed[1:], resolver)


def test_confluent_wire_format_through_the_http_client(published: dict[str, Any]) -> None:
    v1, v11 = _models(published)
    emulator = RegistryEmulator(published["store"])
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        status, body = emulator.dispatch(request.method, str(request.url.raw_path, "ascii"),
                                         request.content, request.headers.get("authorization"))  # fmt: skip
        return httpx.Response(status, json=body)

    settings = RegistrySettings(urls=("http://registry.test",), retries=0)
    resolver = WriterSchemas.of_http(settings, transport=httpx.MockTransport(handle))
    id1, id2 = _id(published, "payment-succeeded", 1), _id(published, "payment-succeeded", 2)
    assert (
        v11.from_confluent(v1.model_validate(CARD).to_confluent(id1), resolver).risk_score is None
    )
    newer = v11.model_validate({**CARD, "risk_score": 0.5}).to_confluent(id2)
    assert v1.from_confluent(newer, resolver).method == "CARD"
    v1.from_confluent(newer, resolver)
    assert calls == [f"/schemas/ids/{id1}", f"/schemas/ids/{id2}"]  # cached per id


def test_json_schema_event_on_the_wire(published: dict[str, Any]) -> None:
    model = published["modules"]["orders.order_cancelled_v1_0_0"].OrderCancelled
    resolver = WriterSchemas.of_store(published["store"])
    schema_id = _id(published, "order-cancelled", 1)
    repo = Path(__file__).resolve().parents[2]
    text = (repo / "contracts/orders/order-cancelled.v1.yaml").read_text()
    import yaml

    payload = yaml.safe_load(text)["examples"][0]["payload"]
    framed = model.model_validate(payload).to_confluent(schema_id)
    assert (
        model.from_confluent(framed, resolver).to_json() == model.model_validate(payload).to_json()
    )
    avro_id = _id(published, "payment-succeeded", 1)
    with pytest.raises(ValidationError, match="is a AVRO schema, not JSON"):
        model.from_confluent(b"\x00" + avro_id.to_bytes(4, "big") + framed[5:], resolver)


def test_package_re_exports_every_model_and_maps_event_versions(published: dict[str, Any]) -> None:
    import wire_models  # the package ``published`` generated and imported

    v1, v11 = _models(published)
    assert wire_models.model_for("payments.PaymentSucceeded", "1.1.0") is v11
    assert wire_models.MODELS["payments.PaymentSucceeded", "1.0.0"] is v1
    assert wire_models.PaymentSucceededV1_0_0 is v1
    assert wire_models.payments.PaymentSucceededV1_1_0 is v11
    assert len(wire_models.MODELS) == len(
        {m.EVENT + m.VERSION for m in wire_models.MODELS.values()}
    )


@pytest.mark.parametrize("via", ["embedded", "http"])
def test_json_schema_versions_read_each_other_on_the_wire(
    published: dict[str, Any], via: str
) -> None:
    import yaml

    repo = Path(__file__).resolve().parents[2]
    contract = yaml.safe_load((repo / "contracts/orders/order-placed.v1.1.yaml").read_text())
    newer_payload = contract["examples"][1]["payload"]
    older_payload = {k: v for k, v in newer_payload.items() if k not in ("channel", "coupon_code")}
    root = sys.modules["wire_models"]
    v1, v11 = root.OrderPlacedV1_0_0, root.OrderPlacedV1_1_0
    store = published["store"]
    if via == "embedded":
        resolver = WriterSchemas.of_store(store)
    else:
        emulator = RegistryEmulator(store)

        def handle(request: httpx.Request) -> httpx.Response:
            status, body = emulator.dispatch(request.method, str(request.url.raw_path, "ascii"),
                                             request.content, None)  # fmt: skip
            return httpx.Response(status, json=body)

        settings = RegistrySettings(urls=("http://registry.test",), retries=0)
        resolver = WriterSchemas.of_http(settings, transport=httpx.MockTransport(handle))
    id1, id2 = _id(published, "order-placed", 1), _id(published, "order-placed", 2)
    old = v1.model_validate(older_payload).to_confluent(id1)
    assert v11.from_confluent(old, resolver).order_id == older_payload["order_id"]
    # BACKWARD only: v1 is a closed content model, so v1.1's new fields are invalid for it.
    new = v11.model_validate(newer_payload).to_confluent(id2)
    with pytest.raises(ValidationError):
        v1.from_confluent(new, resolver)
