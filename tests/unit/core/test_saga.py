"""Sagas from the bundled contracts: the happy path, each failure path, its compensations."""

from __future__ import annotations

from contractctl.core.contract.loader import load_contracts
from contractctl.core.flow.graph import build_graph
from contractctl.core.flow.saga import (
    COMPENSATION,
    FAILURE,
    HAPPY,
    Saga,
    find_sagas,
    saga_mermaid,
    saga_svg,
)
from tests.conftest import REPO
from tests.docs.factory import contract


def _bundled() -> list[Saga]:
    contracts = load_contracts([REPO / "contracts"]).contracts
    graph = build_graph(contracts)
    tags = {c.name: c.tags for c in contracts}
    return find_sagas(graph, tags)


def test_bundled_order_saga() -> None:
    (saga,) = _bundled()
    assert saga.start == "orders.OrderPlaced"
    happy, *failures = saga.paths
    assert [s.event for s in happy.steps] == [
        "orders.OrderPlaced",
        "payments.PaymentSucceeded",
        "inventory.InventoryReserved",
        "shipping.ShipmentCreated",
    ]
    assert {s.kind for s in happy.steps} == {HAPPY}
    by_title = {p.title: p for p in failures}
    payment = by_title["orders.OrderPlaced: payments.PaymentFailed after orders.OrderPlaced"]
    assert [(s.event, s.kind) for s in payment.steps] == [
        ("orders.OrderPlaced", HAPPY),
        ("payments.PaymentFailed", FAILURE),
        ("orders.OrderCancelled", COMPENSATION),
        ("inventory.InventoryReleased", COMPENSATION),
        ("payments.PaymentRefunded", COMPENSATION),
    ]
    stock = by_title[
        "orders.OrderPlaced: inventory.InventoryReservationFailed after payments.PaymentSucceeded"
    ]
    assert stock.steps[2].event == "inventory.InventoryReservationFailed"
    assert stock.steps[2].consumers == ("order-service", "payment-service")
    assert {s.kind for s in stock.steps[3:]} == {COMPENSATION}


def test_no_saga_without_the_start_tag_and_cycles_end() -> None:
    loop = [
        contract("a.Ping", producer="x", consumers=("y",), tags=("saga-start",)),
        contract("a.Pong", producer="y", consumers=("x",)),
    ]
    graph = build_graph(loop)
    (saga,) = find_sagas(graph, {c.name: c.tags for c in loop})
    assert [s.event for s in saga.paths[0].steps] == ["a.Ping", "a.Pong"]
    assert find_sagas(graph, {c.name: () for c in loop}) == []


def test_drawings_escape_names() -> None:
    evil = "<script>alert(1)</script>"
    cs = [contract(f"a.{evil}", producer='x"><img', consumers=(evil,), tags=("saga-start",))]
    (saga,) = find_sagas(build_graph(cs), {c.name: c.tags for c in cs})
    svg = saga_svg(saga.paths[0], evil)
    assert "<script>" not in svg
    assert "<img" not in svg
    text = saga_mermaid(saga.paths[0])
    assert "<" not in text.split("as ", 1)[0]


def test_mermaid_participants_keep_services_apart() -> None:
    cs = [
        contract("a.Start", producer="svc a", consumers=("svc_a",), tags=("saga-start",)),
        contract("a.Next", producer="svc_a", consumers=("svc-a",)),
    ]
    (saga,) = find_sagas(build_graph(cs), {c.name: c.tags for c in cs})
    text = saga_mermaid(saga.paths[0])
    ids = [line.split()[1] for line in text.splitlines() if line.strip().startswith("participant")]
    assert len(ids) == len(set(ids)) == 3, text
