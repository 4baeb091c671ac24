"""Saga roles from the contracts, budgets, instance classification, bounded state, latencies."""

from __future__ import annotations

import pytest

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import load_contracts
from contractctl.core.contract.model import ErrorPolicy, Retries
from contractctl.core.flow.instances import SagaTracker, classify
from contractctl.core.flow.latency import Histogram
from contractctl.core.flow.roles import SagaModel, budget_ms, build_model, parse_duration_ms
from tests.conftest import CONTRACTS

OP, PS, PF = "orders.OrderPlaced", "payments.PaymentSucceeded", "payments.PaymentFailed"
IR, IRF, SC = (
    "inventory.InventoryReserved",
    "inventory.InventoryReservationFailed",
    "shipping.ShipmentCreated",
)
OC, PR, IREL = "orders.OrderCancelled", "payments.PaymentRefunded", "inventory.InventoryReleased"


@pytest.fixture(scope="module")
def model() -> SagaModel:
    return build_model(load_contracts([CONTRACTS], Config()).contracts)


def test_roles_of_the_bundled_saga(model: SagaModel) -> None:
    kinds = {n: r.kind for n, r in model.roles.items()}
    assert kinds == {
        OP: "start",
        PS: "step",
        IR: "step",
        SC: "step",
        PF: "failure",
        IRF: "failure",
        OC: "compensation",
        PR: "compensation",
        IREL: "compensation",
    }
    assert model.roles[OP].reactions == {PS, PF}
    assert model.roles[PS].reactions == {IR, IRF}
    assert model.roles[IR].reactions == {SC}
    # order-service consumes ShipmentCreated but only emits a start and a compensation
    assert model.roles[SC].reactions == frozenset()
    assert model.roles[OP].compensation == (OC,)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, 30_000),
        (ErrorPolicy(timeout="10s"), 10_000),
        # 5 attempts of 10 s, waits 0.2 + 0.4 + 0.8 + 1.6 s
        (ErrorPolicy(timeout="10s", retries=Retries(5, "exponential", "200ms", "30s")), 53_000),
        # the cap: waits 1, 2, 2, 2 s
        (ErrorPolicy(timeout="1s", retries=Retries(5, "exponential", "1s", "2s")), 12_000),
        (ErrorPolicy(retries=Retries(3, "fixed", "1s")), 92_000),
    ],
)
def test_budget_is_timeout_times_attempts_plus_backoff(policy, expected) -> None:
    assert budget_ms(policy, 30_000) == expected


def test_durations() -> None:
    assert [parse_duration_ms(t) for t in ("200ms", "1.5s", "2m", "1h")] == [
        200,
        1500,
        120_000,
        3_600_000,
    ]
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration_ms("soon")


def steps(*events: tuple[int, str, str | None, str | None]) -> list:
    return [(ts, i, name, eid, cause) for i, (ts, name, eid, cause) in enumerate(events)]


MIN = 60_000


@pytest.mark.parametrize(
    ("events", "now", "expected"),
    [
        # happy path to a step nobody reacts to
        (
            [(0, OP, "a", None), (1, PS, "b", None), (2, IR, "c", "b"), (3, SC, "d", None)],
            0,
            "completed",
        ),
        # payment failed, order cancelled
        ([(0, OP, "a", None), (1, PF, "b", None), (2, OC, "c", "b")], 0, "compensated"),
        # stock failed: the refund is still due, within the cancellation's budget
        (
            [(0, OP, "a", None), (1, PS, "b", None), (2, IRF, "c", "b"), (3, OC, "d", "c")],
            60 * MIN // 600,
            "in_flight",
        ),
        # ... and past it
        (
            [(0, OP, "a", None), (1, PS, "b", None), (2, IRF, "c", "b"), (3, OC, "d", "c")],
            10 * MIN,
            "failed_without_compensation",
        ),
        # paid, inventory never reacts: in flight, then stuck after PaymentSucceeded's budget
        ([(0, OP, "a", None), (1, PS, "b", None)], MIN, "in_flight"),
        ([(0, OP, "a", None), (1, PS, "b", None)], 4 * MIN, "stuck"),
        # a reservation caused by an event never seen
        (
            [(0, OP, "a", None), (1, PS, "b", None), (2, IR, "c", "zzz"), (3, SC, "d", None)],
            0,
            "orphan",
        ),
        # a customer cancellation after shipping, with every compensation
        (
            [
                (0, OP, "a", None),
                (1, PS, "b", None),
                (2, IR, "c", "b"),
                (3, SC, "d", None),
                (4, OC, "e", None),
                (5, PR, "f", "e"),
                (6, IREL, "g", "e"),
            ],
            10 * MIN,
            "compensated",
        ),
    ],
)
def test_classify(model: SagaModel, events, now, expected) -> None:
    cls, _cause, _latencies = classify(model, steps(*events), now)
    assert cls == expected


def test_reaction_latencies(model: SagaModel) -> None:
    _, _, latencies = classify(
        model, steps((0, OP, "a", None), (400, PS, "b", None), (1400, IR, "c", "b")), 0
    )
    assert latencies == [(OP, 400), (PS, 1000)]


def test_state_is_kept_per_open_instance_only(model: SagaModel) -> None:
    tracker = SagaTracker(model)
    spacing = 1_000  # a workflow a second, each done within 3 s
    for i in range(60_000):
        t = i * spacing
        cid = f"c{i}"
        tracker.observe(cid, OP, t, f"{i}a", None)
        tracker.observe(cid, PS, t + 1000, f"{i}b", None)
        tracker.observe(cid, IR, t + 2000, f"{i}c", f"{i}b")
        tracker.observe(cid, SC, t + 3000, f"{i}d", None)
    flows = tracker.finish()
    assert flows[OP].classes == {"completed": 60_000}
    # the horizon (402 s) of workflows, plus one sweep interval of events, never all 60,000
    assert tracker.peak_open < (model.horizon_ms // spacing) + 8_192 // 4 + 10


def test_histogram_percentiles_and_merge() -> None:
    a, b = Histogram(), Histogram()
    for ms in range(1, 1001):
        (a if ms % 2 else b).add(ms)
    a.merge(b)
    assert a.total == 1000
    p50, p95 = a.percentile(0.5), a.percentile(0.95)
    assert p50 is not None
    assert p95 is not None
    assert 500 <= p50 <= 500 * 1.02
    assert 950 <= p95 <= 950 * 1.02
    assert Histogram.from_json(a.to_json()).percentile(0.95) == p95
    assert Histogram().percentile(0.5) is None


def test_one_correlation_id_on_every_event_is_capped(model: SagaModel) -> None:
    from contractctl.core.flow.instances import MAX_EVENTS

    tracker = SagaTracker(model)
    for i in range(MAX_EVENTS + 500):
        tracker.observe("same", OP, i, f"e{i}", None)
    flows = tracker.finish()
    assert tracker.truncated == 500
    assert sum(flows[OP].classes.values()) == 1
