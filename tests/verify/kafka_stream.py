"""The generated stream produced into Kafka as a producer fleet would write it.

JSON for JSON Schema contracts; Avro in the Confluent wire format (magic byte, schema id from
the project's embedded registry, which ``contractctl publish`` filled) for PaymentSucceeded and
ShipmentCreated; bare Avro binary for PaymentFailed, whose schema verify takes from the
contract matched by topic.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

WIRE = {"payments.payment-succeeded", "shipping.shipment-created"}
BARE_AVRO = {"payments.payment-failed"}


def _schemas(project: Path) -> dict[str, tuple[int, Any]]:
    """topic → (registered id, parsed Avro schema) of the Avro topics, from the registry."""
    import asyncio

    from fastavro import parse_schema

    from contractctl.adapters.registry import EmbeddedRegistry

    async def ids() -> dict[str, tuple[int, str]]:
        api = EmbeddedRegistry(project / ".contractctl" / "registry")
        out = {}
        for topic in WIRE | BARE_AVRO:
            reg = await api.version(f"{topic}-value", "latest")
            assert reg is not None
            out[topic] = (reg.id, reg.schema)
        money = await api.version("com.acme.common.Money", "latest")
        assert money is not None
        out["money"] = (money.id, money.schema)
        return out

    found = asyncio.run(ids())
    named: dict[str, Any] = {}
    parse_schema(json.loads(found.pop("money")[1]), named_schemas=named)
    return {t: (i, parse_schema(json.loads(s), named_schemas=named)) for t, (i, s) in found.items()}


def produce(bootstrap: str, project: Path, lines: Iterable[str]) -> int:
    """Produce NDJSON envelopes as their producers would encode them; how many."""
    from confluent_kafka import Producer
    from fastavro import schemaless_writer

    schemas = _schemas(project)
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    failed: list[str] = []

    def delivered(err: Any, msg: Any) -> None:
        if err is not None:
            failed.append(str(err))

    count = 0
    for line in lines:
        env = json.loads(line)
        topic, value = env["topic"], env["value"]
        if topic in schemas:
            schema_id, parsed = schemas[topic]
            buf = io.BytesIO()
            schemaless_writer(buf, parsed, value)
            body = buf.getvalue()
            payload = b"\x00" + schema_id.to_bytes(4, "big") + body if topic in WIRE else body
        else:
            payload = json.dumps(value).encode()
        producer.produce(
            topic,
            key=env["key"],
            value=payload,
            headers=list(env.get("headers", {}).items()),
            timestamp=env["timestamp"],
            on_delivery=delivered,
        )
        count += 1
        producer.poll(0)
    assert producer.flush(60) == 0
    if failed:
        raise RuntimeError(f"{len(failed)} messages not delivered, e.g. {failed[0]}")
    return count
