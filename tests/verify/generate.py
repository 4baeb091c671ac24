"""A realistic event stream of the bundled order-fulfilment saga, with its ground truth.

Each workflow instance is drawn from a scenario whose class ``verify`` must find: happy
paths, payment failures and stock failures with their compensations, a stuck inventory step,
a failure whose refund never comes, orphans (a cause lost), and at-least-once duplicates;
plus one schema violation, one event on an unknown topic and a last order still in flight.
Instances start ``spacing_ms`` apart and interleave as in production; events are written in
timestamp order through a small heap, so a million events need no more memory than a few.

Run as a script to write a stream: ``python tests/verify/generate.py OUT.ndjson --orders N``
(the ground truth goes to ``OUT.truth.json``).
"""

from __future__ import annotations

import heapq
import json
import random
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The largest error-policy budget of the bundled contracts (OrderCancelled: 10 attempts of the
# 30 s default timeout plus 102.2 s of backoff); failures that need it to expire are placed
# earlier than this before the end of the stream.
HORIZON_MS = 402_200
START_MS = 1_793_600_000_000  # 2026-11-03, near the contracts' examples

SCENARIOS = (
    ("happy", 0.70),
    ("payment_failed", 0.10),
    ("stock_failed", 0.07),
    ("stuck_inventory", 0.04),
    ("refund_missing", 0.03),
    ("orphan", 0.03),
    ("duplicate", 0.03),
)
CLASS_OF = {
    "happy": "completed",
    "duplicate": "completed",
    "invalid": "completed",
    "payment_failed": "compensated",
    "stock_failed": "compensated",
    "stuck_inventory": "stuck",
    "refund_missing": "failed_without_compensation",
    "orphan": "orphan",
    "in_flight": "in_flight",
}
SKUS = ("MUG-BLUE", "TEE-M-BLK", "SOCK-L-RED", "CAP-ONE-GRN", "BAG-TOTE-NAT", "PEN-GEL-BLU")
STREETS = ("Kastanienallee", "Rue de la Paix", "Herengracht", "Via Roma", "Calle Mayor")


@dataclass
class Truth:
    orders: int = 0
    events: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)  # rule → events
    duplicates: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "events": self.events,
            "classes": dict(sorted(self.classes.items())),
            "findings": dict(sorted(self.findings.items())),
            "duplicates": self.duplicates,
        }


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def token(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def _iso(ms: int) -> str:
    import datetime as dt

    moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class _Order:
    """The events of one instance, built step by step with consistent ids."""

    def __init__(self, ids: _Ids, t0: int) -> None:
        self.ids = ids
        self.rng = ids.rng
        self.t = t0
        self.correlation = ids.uuid()
        self.order_id = "ord_" + ids.token(12)
        self.events: list[tuple[int, dict[str, Any]]] = []
        self.lines = [
            {
                "sku": self.rng.choice(SKUS),
                "quantity": self.rng.randint(1, 4),
                "unit_price": {"amount_minor": self.rng.randint(199, 9999), "currency": "EUR"},
            }
            for _ in range(self.rng.randint(2, 5))
        ]
        self.total = sum(x["quantity"] * x["unit_price"]["amount_minor"] for x in self.lines)

    def _emit(self, topic: str, name: str, value: dict[str, Any], gap: tuple[int, int]) -> str:
        self.t += self.rng.randint(*gap)
        event_id = value["event_id"]
        headers = {
            "ce_specversion": "1.0",
            "ce_type": name,
            "ce_source": f"/{topic.split('.', maxsplit=1)[0]}-service",
            "ce_id": event_id,
            "ce_time": _iso(self.t),
            "ce_subject": self.order_id,
            "traceparent": f"00-{self.ids.token(32)}-{self.ids.token(16)}-01",
            "x-request-id": self.ids.uuid(),
            "x-producer-build": f"{topic.split('.', maxsplit=1)[0]}-service/4.12.{self.rng.randint(0, 9)}",
            "x-tenant": "acme-eu-west-1",
            "content-type": "application/json",
        }
        envelope = {
            "topic": topic,
            "key": self.order_id,
            "timestamp": self.t,
            "headers": headers,
            "value": value,
        }
        self.events.append((self.t, envelope))
        return event_id

    def _base(self, cause: str | None = None) -> dict[str, Any]:
        value: dict[str, Any] = {
            "event_id": self.ids.uuid(),
            "correlation_id": self.correlation,
        }
        if cause is not None:
            value["causation_id"] = cause
        value["order_id"] = self.order_id
        return value

    def placed(self, *, invalid: bool = False) -> str:
        v = self._base()
        v.update(
            customer_id=f"cus_{self.rng.randint(1000, 99999)}",
            placed_at=_iso(self.t),
            channel=self.rng.choice(("web", "mobile", "store")),
            lines=self.lines,
            total={"amount_minor": -1 if invalid else self.total, "currency": "EUR"},
            shipping_address={
                "line1": f"{self.rng.randint(1, 200)} {self.rng.choice(STREETS)}",
                "city": "Berlin",
                "postal_code": f"{self.rng.randint(10000, 99999)}",
                "country": "DE",
            },
        )
        return self._emit("orders.order-placed", "orders.OrderPlaced", v, (0, 0))

    def paid(self) -> str:
        v = self._base()
        v.update(
            payment_id="pay_" + self.ids.token(10),
            amount={"amount_minor": self.total, "currency": "EUR"},
            captured_at=self.t,
            method=self.rng.choice(("CARD", "PAYPAL", "WALLET")),
            risk_score=round(self.rng.random() / 10, 4),
        )
        return self._emit("payments.payment-succeeded", "payments.PaymentSucceeded", v, (200, 3000))

    def payment_failed(self) -> str:
        v = self._base()
        v.update(reason="DECLINED", failed_at=self.t, provider_message="Do not honour")
        return self._emit("payments.payment-failed", "payments.PaymentFailed", v, (200, 3000))

    def reserved(self, cause: str) -> str:
        v = self._base(cause)
        v.update(
            reservation_id="res_" + self.ids.token(8),
            warehouse=self.rng.choice(("AMS-1", "FRA-2", "LYS-1")),
            lines=[{"sku": x["sku"], "quantity": x["quantity"]} for x in self.lines],
            expires_at=_iso(self.t + 86_400_000),
        )
        return self._emit(
            "inventory.inventory-reserved", "inventory.InventoryReserved", v, (50, 800)
        )

    def stock_failed(self, cause: str) -> str:
        v = self._base(cause)
        v.update(missing=[{"sku": self.lines[0]["sku"], "quantity": 1}], reason="OUT_OF_STOCK")
        return self._emit(
            "inventory.inventory-reservation-failed",
            "inventory.InventoryReservationFailed",
            v,
            (50, 800),
        )

    def shipped(self) -> str:
        v = self._base()
        v.update(
            shipment_id="shp_" + self.ids.token(6),
            carrier=self.rng.choice(("DHL", "UPS", "POSTNL")),
            tracking_number=str(self.rng.randint(10**17, 10**18)),
            estimated_delivery=20400 + self.rng.randint(1, 5),
            created_at=self.t,
        )
        return self._emit("shipping.shipment-created", "shipping.ShipmentCreated", v, (1000, 9000))

    def cancelled(self, cause: str, reason: str) -> str:
        v = self._base(cause)
        v.update(cancelled_at=_iso(self.t), reason=reason)
        return self._emit("orders.order-cancelled", "orders.OrderCancelled", v, (100, 2000))

    def refunded(self, cause: str) -> str:
        v = self._base(cause)
        v.update(
            refund_id="ref_" + self.ids.token(6),
            payment_id="pay_" + self.ids.token(10),
            amount_minor=self.total,
            currency="EUR",
            refunded_at=_iso(self.t),
        )
        return self._emit("payments.payment-refunded", "payments.PaymentRefunded", v, (100, 2000))

    def duplicate_last(self) -> None:
        t, envelope = self.events[-1]
        self.events.append((t + self.rng.randint(10, 500), envelope))


def _play(order: _Order, scenario: str) -> None:
    placed = order.placed(invalid=scenario == "invalid")
    if scenario == "in_flight":
        return
    if scenario == "payment_failed":
        failed = order.payment_failed()
        order.cancelled(failed, "PAYMENT_FAILED")
        return
    paid = order.paid()
    if scenario == "duplicate":
        order.duplicate_last()
    if scenario == "stuck_inventory":
        return
    if scenario in ("stock_failed", "refund_missing"):
        failed = order.stock_failed(paid)
        order.cancelled(failed, "OUT_OF_STOCK")
        if scenario == "stock_failed":
            order.refunded(failed)
        return
    del placed
    order.reserved(order.ids.uuid() if scenario == "orphan" else paid)
    order.shipped()


def _scenario(rng: random.Random, late: bool) -> str:
    roll = rng.random()
    name = "happy"
    for candidate, weight in SCENARIOS:
        roll -= weight
        if roll < 0:
            name = candidate
            break
    # A failure needs a horizon of stream after it to be told from one still in flight.
    if late and name in ("stuck_inventory", "refund_missing"):
        return "happy"
    return name


def generate(orders: int, *, seed: int = 12, spacing_ms: int = 10_000) -> Iterator[str]:
    """NDJSON lines of ``orders`` workflow instances; the ground truth is ``generate.truth``."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    truth = Truth(orders=orders)
    generate.truth = truth  # type: ignore[attr-defined]
    end = START_MS + orders * spacing_ms
    heap: list[tuple[int, int, str]] = []
    seq = 0
    invalid_at = orders // 3
    for i in range(orders):
        t0 = START_MS + i * spacing_ms
        while heap and heap[0][0] < t0:
            yield heapq.heappop(heap)[2]
        if i == orders - 1:
            scenario = "in_flight"
        elif i == invalid_at:
            scenario = "invalid"
        else:
            scenario = _scenario(rng, late=t0 > end - 2 * HORIZON_MS)
        order = _Order(ids, t0)
        _play(order, scenario)
        truth.classes[CLASS_OF[scenario]] += 1
        if scenario == "duplicate":
            truth.duplicates += 1
        if scenario == "invalid":
            truth.findings["VERIFY_PAYLOAD_INVALID"] += 1
        if i == orders // 2:
            unknown = {
                "topic": "orders.order-shipped",
                "key": order.order_id,
                "timestamp": t0 + 5,
                "headers": {"ce_type": "orders.OrderShipped"},
                "value": {"event_id": ids.uuid(), "order_id": order.order_id},
            }
            order.events.append((t0 + 5, unknown))
            truth.findings["VERIFY_UNKNOWN_CHANNEL"] += 1
        for t, envelope in order.events:
            seq += 1
            truth.events += 1
            heapq.heappush(heap, (t, seq, json.dumps(envelope, separators=(",", ":"))))
    while heap:
        yield heapq.heappop(heap)[2]


def write(path: Path, orders: int, *, seed: int = 12, spacing_ms: int = 10_000) -> Truth:
    with path.open("w", encoding="utf-8") as fh:
        for line in generate(orders, seed=seed, spacing_ms=spacing_ms):
            fh.write(line + "\n")
    truth: Truth = generate.truth  # type: ignore[attr-defined]
    path.with_suffix(".truth.json").write_text(
        json.dumps(truth.to_json(), indent=2) + "\n", encoding="utf-8"
    )
    return truth


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--spacing-ms", type=int, default=10_000)
    args = ap.parse_args()
    result = write(args.out, args.orders, seed=args.seed, spacing_ms=args.spacing_ms)
    sys.stdout.write(json.dumps(result.to_json()) + "\n")
