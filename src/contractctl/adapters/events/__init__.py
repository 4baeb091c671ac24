"""Where events come from: files (NDJSON, JSON arrays, directories, stdin) and Kafka.

Readers only read: each record goes to an ``EventSink`` (the core verifier) with its source
position, and the sink judges it.
"""

from __future__ import annotations

from typing import Any, Protocol

from contractctl.core.verify.tally import Where


class EventSink(Protocol):
    def feed_line(self, data: bytes | str, where: Where) -> None: ...

    def feed_value(self, obj: Any, where: Where) -> None: ...

    def bad_record(self, reason: str, where: Where) -> None: ...
