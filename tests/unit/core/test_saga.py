"""Sagas from the bundled contracts: the happy path, each failure path, its compensations."""

from __future__ import annotations

from dataclasses import replace

from contractctl.core.contract.loader import load_contracts
from contractctl.core.contract.model import Consumer, Contract
from contractctl.core.flow.graph import build_graph
from contractctl.core.flow.roles import build_model
from contractctl.core.flow.saga import (
    COMPENSATION,
    FAILURE,
    HAPPY,
    MAX_FAILURES,
    MAX_STEPS,
    Saga,
    find_sagas,
    saga_mermaid,
    saga_svg,
)
from contractctl.core.flow.saga.inference import infer_roles
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


# -- inferred from producers, consumers and compensation lists, without tags -------------------


def _untagged(contracts: list[Contract]) -> list[Contract]:
    return [
        replace(c, tags=tuple(t for t in c.tags if not t.startswith("saga-"))) for c in contracts
    ]


def test_bundled_sagas_are_the_same_without_tags() -> None:
    contracts = load_contracts([REPO / "contracts"]).contracts
    tagged = find_sagas(build_graph(contracts), {c.name: c.tags for c in contracts})
    bare = _untagged(contracts)
    assert all("saga-start" not in c.tags and "saga-failure" not in c.tags for c in bare)
    graph = build_graph(bare)
    assert find_sagas(graph, {c.name: c.tags for c in bare}) == tagged
    roles = infer_roles(graph.events)
    assert roles.starts == ("orders.OrderPlaced",)
    assert roles.failures == {"payments.PaymentFailed", "inventory.InventoryReservationFailed"}
    # verify reads the same roles from untagged contracts
    kinds = {n: r.kind for n, r in build_model(bare).roles.items()}
    assert kinds == {n: r.kind for n, r in build_model(contracts).roles.items()}


def _booking(**tags: tuple[str, ...]) -> list[Contract]:
    """A trip booking: a flight is booked, then a hotel; a failed hotel cancels the flight.
    ``web`` reads nothing, so the chain begins with what it emits."""
    return [
        contract(
            "trip.Requested",
            producer="web",
            consumers=("flights",),
            compensation=("trip.Cancelled",),
            tags=tags.get("Requested", ()),
        ),
        contract(
            "trip.FlightBooked",
            producer="flights",
            consumers=("hotels",),
            compensation=("trip.FlightCancelled",),
        ),
        contract(
            "trip.HotelBooked",
            producer="hotels",
            consumers=("mail",),
            compensation=("trip.HotelCancelled",),
        ),
        contract(
            "trip.HotelUnavailable",
            producer="hotels",
            consumers=("flights", "mail"),
            tags=tags.get("HotelUnavailable", ()),
        ),
        contract("trip.FlightCancelled", producer="flights", consumers=("mail",)),
        contract("trip.HotelCancelled", producer="hotels", consumers=("mail",)),
        contract("trip.Cancelled", producer="web", consumers=("mail",)),
        # read by the service that emits a compensation, but its producer has no other
        # outcome: a step, not a failure
        contract("trip.Emailed", producer="mail", consumers=("flights",)),
    ]


def test_a_saga_is_inferred_from_a_minimal_system() -> None:
    cs = _booking()
    (saga,) = find_sagas(build_graph(cs))
    assert saga.start == "trip.Requested"
    happy, failure = saga.paths
    assert [s.event for s in happy.steps] == [
        "trip.Requested",
        "trip.FlightBooked",
        "trip.HotelBooked",
        "trip.Emailed",
    ]
    assert failure.title == "trip.Requested: trip.HotelUnavailable after trip.FlightBooked"
    assert [(s.event, s.kind) for s in failure.steps[2:]] == [
        ("trip.HotelUnavailable", FAILURE),
        ("trip.FlightCancelled", COMPENSATION),
    ]


def test_tags_overrule_the_inference() -> None:
    cs = _booking(Requested=(), HotelUnavailable=())
    cs.append(
        contract("trip.Quoted", producer="quotes", consumers=("flights",), tags=("saga-start",))
    )
    graph = build_graph(cs)
    tags = {c.name: c.tags for c in cs}
    assert [s.start for s in find_sagas(graph, tags)] == ["trip.Quoted"]
    tags["trip.Emailed"] = ("saga-failure",)
    assert infer_roles(graph.events, tags).failures == {"trip.Emailed"}


def test_a_cycle_starts_at_the_event_whose_compensation_undoes_most() -> None:
    cs = _booking()
    # ``web`` now reads mail too: the chain is a cycle with no service outside it
    cs[-1] = replace(cs[-1], consumers=(Consumer("web"),))
    assert infer_roles(build_graph(cs).events).starts == ("trip.FlightBooked",)  # a tie: names
    # the trip's cancellation also cancels the flight and the hotel: it undoes most
    cs[-2] = contract(
        "trip.Cancelled",
        producer="web",
        consumers=("mail",),
        compensation=("trip.FlightCancelled", "trip.HotelCancelled"),
    )
    graph = build_graph(cs)
    assert infer_roles(graph.events).starts == ("trip.Requested",)


def test_no_saga_without_a_compensable_step() -> None:
    cs = [
        contract("a.Ping", producer="x", consumers=("y",)),
        contract("a.Pong", producer="y", consumers=("z",)),
    ]
    assert find_sagas(build_graph(cs)) == []


def test_long_chains_are_cut_and_say_so() -> None:
    n = MAX_STEPS + 5
    cs = [
        contract(
            f"c.E{i:03d}",
            producer=f"s{i}",
            consumers=(f"s{i + 1}",),
            compensation=(f"c.Undo{i:03d}",) if i == 0 else (),
        )
        for i in range(n)
    ]
    (saga,) = find_sagas(build_graph(cs))
    assert len(saga.paths[0].steps) == MAX_STEPS
    assert saga.paths[0].title.endswith(f"(first {MAX_STEPS} steps)")


def test_failure_paths_are_capped_and_the_rest_counted() -> None:
    extra = 3
    cs = [
        contract("s.Start", producer="a", consumers=("b",), compensation=("s.Undo",)),
        contract("s.Done", producer="b", consumers=("d",), compensation=("s.Undo",)),
        contract("s.Undo", producer="c", consumers=("d",)),
        *(
            contract(f"s.Failed{i:02d}", producer="b", consumers=("c",))
            for i in range(MAX_FAILURES + extra)
        ),
    ]
    (saga,) = find_sagas(build_graph(cs))
    assert len(saga.paths) == 1 + MAX_FAILURES
    assert saga.paths[0].title.endswith(f"({extra} more failure paths not drawn)")
    assert [s.kind for s in saga.paths[1].steps] == [HAPPY, FAILURE, COMPENSATION]
