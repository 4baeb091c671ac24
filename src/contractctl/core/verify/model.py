"""What a verify run takes and gives: options, the result, and how raw values are read."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from contractctl.core.flow.instances import FlowStats
from contractctl.core.flow.roles import SagaSettings
from contractctl.core.verify.tally import Tally


def loads(data: bytes | str) -> Any:
    """JSON text → value; ValueError if it is not JSON."""
    try:
        # 5x faster than json.loads on 1 KB events, and parsing is most of what verify costs.
        return orjson.loads(data)
    except ValueError:
        # orjson refuses integers beyond 64 bits, which JSON allows: let the stdlib decide.
        return json.loads(data)


ENVELOPE_KEYS = frozenset({"topic", "key", "headers", "timestamp", "value", "partition", "offset"})
# (schema type "AVRO"/"JSON", schema text) for a registry schema id, or None when unknown.
SchemaLookup = Callable[[int], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    samples: int = 5  # source positions kept per finding
    examples: int = 5  # correlation ids kept per saga class
    show_payloads: bool = False
    type_header: str | None = "ce_type"  # header naming the event (``name`` or ``name@version``)
    timestamp_field: str | None = None  # payload field read when the envelope has no timestamp
    now_ms: int | None = None  # judge stuck workflows at this time, not the newest event's
    today: _dt.date | None = None  # for sunsets of events without a timestamp
    saga: SagaSettings = field(default_factory=SagaSettings)


def timestamp_ms(value: Any) -> int | None:
    """Epoch milliseconds from an int/float (ms) or an ISO 8601 date-time; None otherwise."""
    if type(value) is int:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            moment = _dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_dt.UTC)
        return int(moment.timestamp() * 1000)
    if isinstance(value, _dt.datetime):
        return int(value.timestamp() * 1000)
    return None


@dataclass(slots=True)
class VerifyResult:
    tally: Tally
    flows: dict[str, FlowStats]
    events: int
    matched: Counter[str]
    duplicates: Counter[str]
    unreadable: int
    peak_open: int
    truncated: int  # events past an instance's MAX_EVENTS: counted, not kept
