"""Events from Kafka through confluent-kafka (the optional extra ``contractctl[kafka]``).

With ``--group`` the consumer joins that group and commits what it read, so several verify
processes split the topics' partitions through Kafka's group protocol (range assignment:
co-partitioned topics keyed by the same id land in the same process, so each saga instance is
seen whole by one process). Without it, a throw-away group that never commits: verifying moves
nobody's offsets. Reading stops when every assigned partition is at its end, after
``max_messages``, or after ``timeout`` seconds without a message.

A group member commits what it read before a rebalance takes a partition from it, and resumes
where the group committed (``--from-beginning`` and ``--since`` apply to the partitions the
group never committed), so a process joining mid-read neither reads an event twice nor skips
one. Which processes share the work is the group protocol's call: one that joins after the
others have read everything gets nothing to read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from contractctl.core.errors import BrokerError, UsageError
from contractctl.core.verify.settings import KafkaSettings
from contractctl.core.verify.tally import Where

INSTALL_HINT = "verify --kafka needs confluent-kafka: pip install 'contractctl[kafka]'"
_BATCH = 500
_LOG = logging.getLogger("contractctl.kafka")
# librdkafka reports every failed connection attempt; shown with --debug only.
_LOG.addHandler(logging.NullHandler())


@dataclass(slots=True)
class KafkaRequest:
    bootstrap: str
    topics: Sequence[str]
    group: str | None = None
    from_beginning: bool = False
    since_ms: int | None = None  # start this long before now
    max_messages: int | None = None
    timeout_s: float = 10.0  # stop after this long without a message


class MessageSink(Protocol):
    def feed_message(
        self,
        topic: str,
        value: bytes | None,
        where: Where,
        *,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        ts_ms: int | None = None,
    ) -> None: ...

    def bad_record(self, reason: str, where: Where) -> None: ...


def _library() -> Any:
    try:
        import confluent_kafka
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return confluent_kafka


def consumer_config(settings: KafkaSettings, request: KafkaRequest) -> dict[str, Any]:
    conf: dict[str, Any] = settings.client_config()
    if request.bootstrap:
        conf["bootstrap.servers"] = request.bootstrap
    if "bootstrap.servers" not in conf:
        raise UsageError("--kafka needs a bootstrap address (or verify.kafka.bootstrap)")
    conf.update(
        {
            "client.id": "contractctl-verify",
            "group.id": request.group or f"contractctl-verify-{uuid.uuid4().hex[:12]}",
            "enable.auto.commit": bool(request.group),
            "auto.offset.reset": "earliest" if request.from_beginning else "latest",
            "enable.partition.eof": True,
            # librdkafka prefetches up to 64 MiB per partition by default; keep memory bounded.
            "queued.max.messages.kbytes": 16384,
            # librdkafka logs connection trouble itself; route it through logging (--debug).
            "logger": _LOG,
        }
    )
    return conf


def consume(
    *,
    kafka_settings: KafkaSettings,
    request: KafkaRequest,
    sink: MessageSink,
    max_event_bytes: int,
    headers: Sequence[str] = (),
) -> dict[str, Any]:
    """Feed the topics' messages to ``sink``; statistics of the run (messages, rate, partitions).

    Only the ``headers`` named are decoded and passed on (the type header): tracing and
    CloudEvents headers would cost more to decode than the rest of the message.
    """
    ck = _library()
    conf = consumer_config(kafka_settings, request)
    consumer = ck.Consumer(conf)
    try:
        _check_topics(ck, consumer, request, conf["bootstrap.servers"])
        return _run(ck, consumer, request, sink, max_event_bytes, frozenset(headers))
    except ck.KafkaException as exc:  # raised by consume() and by our assignment callback
        raise BrokerError(f"Kafka at {conf['bootstrap.servers']}: {_reason(exc)}") from None
    finally:
        consumer.close()


def _check_topics(ck: Any, consumer: Any, request: KafkaRequest, bootstrap: str) -> None:
    try:
        meta = consumer.list_topics(timeout=min(request.timeout_s, 10.0))
    except ck.KafkaException as exc:
        raise BrokerError(f"cannot reach Kafka at {bootstrap}: {_reason(exc)}") from None
    missing = [t for t in request.topics if t not in meta.topics]
    if missing:
        raise UsageError(f"no topic {missing[0]!r} on {bootstrap}")


def _reason(exc: Any) -> str:
    err: Any = exc.args[0] if exc.args else None
    return str(err.str()) if hasattr(err, "str") else str(exc)


def _run(
    ck: Any,
    consumer: Any,
    request: KafkaRequest,
    sink: MessageSink,
    max_event_bytes: int,
    wanted: frozenset[str],
) -> dict[str, Any]:
    assigned: set[tuple[str, int]] = set()
    at_end: set[tuple[str, int]] = set()

    def on_assign(c: Any, partitions: list[Any]) -> None:
        resumed: list[Any] = []
        if request.group is not None:  # where the group committed, it resumes
            committed = c.committed(partitions, timeout=request.timeout_s)
            resumed = [p for p in committed if p.offset >= 0]
            partitions = [p for p in committed if p.offset < 0]
        if request.since_ms is not None and partitions:
            start = int(time.time() * 1000) - request.since_ms
            for p in partitions:
                p.offset = start
            partitions = c.offsets_for_times(partitions, timeout=request.timeout_s)
        elif request.from_beginning:
            for p in partitions:
                p.offset = ck.OFFSET_BEGINNING
        partitions = [*resumed, *partitions]
        assigned.update((p.topic, p.partition) for p in partitions)
        c.assign(partitions)

    def on_revoke(c: Any, partitions: list[Any]) -> None:
        if request.group is not None:
            # The next owner starts after what this process read (nothing to commit raises).
            with contextlib.suppress(ck.KafkaException):
                c.commit(asynchronous=False)
        for p in partitions:
            assigned.discard((p.topic, p.partition))
            at_end.discard((p.topic, p.partition))

    consumer.subscribe(list(request.topics), on_assign=on_assign, on_revoke=on_revoke)
    count = 0
    began = time.monotonic()
    last = began
    first: float | None = None
    eof_code = ck.KafkaError._PARTITION_EOF
    while request.max_messages is None or count < request.max_messages:
        want = _BATCH if request.max_messages is None else min(_BATCH, request.max_messages - count)
        batch = consumer.consume(num_messages=want, timeout=0.2)
        now = time.monotonic()
        if not batch:
            if now - last > request.timeout_s:
                break
            if assigned and at_end >= assigned:
                break
            continue
        last = now
        if first is None:
            first = now
        for msg in batch:
            err = msg.error()
            where: Where = (msg.topic() or "?", msg.partition() or 0, msg.offset() or 0)
            if err is not None:
                if err.code() == eof_code:
                    at_end.add((msg.topic(), msg.partition()))
                    continue
                if err.fatal():
                    raise BrokerError(f"Kafka: {err.str()}")
                _LOG.warning("Kafka: %s", err.str())
                continue
            at_end.discard((msg.topic(), msg.partition()))
            count += 1
            value = msg.value()
            if value is not None and len(value) > max_event_bytes:
                sink.bad_record(f"a message over {max_event_bytes} bytes", where)
                continue
            raw_headers = msg.headers()
            headers = (
                {
                    k: v.decode("utf-8", "replace")
                    for k, v in raw_headers
                    if k in wanted and v is not None
                }
                if raw_headers
                else None
            )
            ts_type, ts = msg.timestamp()
            sink.feed_message(
                msg.topic(),
                value,
                where,
                key=msg.key(),
                headers=headers,
                ts_ms=ts if ts_type != ck.TIMESTAMP_NOT_AVAILABLE else None,
            )
    seconds = time.monotonic() - began
    reading = last - first if first is not None else 0.0
    return {
        "messages": count,
        "seconds": round(seconds, 3),
        # from the first batch to the last: joining the group is not reading
        "messages_per_second": round(count / reading, 1) if reading > 0 else None,
        "group": request.group,
        "partitions": sorted(f"{t}/{p}" for t, p in assigned),
        "process": os.getpid(),
    }
