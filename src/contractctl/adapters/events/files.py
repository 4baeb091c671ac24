"""Event files: NDJSON / JSON Lines, a JSON array, a directory of them, or ``-`` for stdin.

Memory stays bounded whatever the file: NDJSON is read a line at a time and a line longer
than ``max_event_bytes`` is skipped without being held (a finding, not an error); a JSON
array is parsed whole, so it is refused past ``max_file_bytes`` (stream big captures as
NDJSON instead).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from contractctl.adapters.events import EventSink
from contractctl.core.errors import LoadError, UsageError

SUFFIXES = (".ndjson", ".jsonl", ".json")
_WS = b" \t\r\n"


def expand(paths: Sequence[str]) -> list[str]:
    """The files ``paths`` name (directories walked for event files, sorted); ``-`` kept."""
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(
                str(p) for p in sorted(path.rglob("*")) if p.suffix in SUFFIXES and p.is_file()
            )
        elif path.exists():
            out.append(raw)
        else:
            raise UsageError(f"no such file or directory: {raw}")
    return out


def read_files(
    paths: Sequence[str],
    sink: EventSink,
    *,
    max_event_bytes: int,
    max_file_bytes: int,
    stdin: BinaryIO | None = None,
) -> list[str]:
    """Feed every event of ``paths`` to ``sink``; the names of the files read."""
    files = expand(paths)
    for name in files:
        if name == "-":
            _read(stdin or sys.stdin.buffer, "<stdin>", sink, max_event_bytes, max_file_bytes)
            continue
        try:
            with open(name, "rb") as fh:
                _read(fh, name, sink, max_event_bytes, max_file_bytes)
        except OSError as exc:
            raise LoadError(f"cannot read: {exc.strerror}", file=name) from None
    return files


def _read(fh: BinaryIO, name: str, sink: EventSink, limit: int, max_file: int) -> None:
    peek = getattr(fh, "peek", None)
    head: bytes = peek(64) if peek is not None else b""
    if head.lstrip(_WS)[:1] == b"[":
        data = fh.read(max_file + 1)
        if len(data) > max_file:
            raise LoadError(
                f"a JSON array over {max_file} bytes (limits.max_file_bytes); "
                "write big captures as NDJSON, one event a line",
                file=name,
            )
        _array(data, name, sink)
        return
    # The loop verify spends its time in: locals only, no generator between file and sink.
    feed = sink.feed_line
    readline = fh.readline
    lineno = 0
    while line := readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            # Skip the rest of the oversize line in bounded chunks, never holding it.
            while line and not line.endswith(b"\n"):
                line = readline(65536)
            sink.bad_record(f"an event over {limit} bytes (verify.max_event_bytes)", (name, lineno))
        elif line.strip(_WS):
            feed(line, (name, lineno))


def _array(data: bytes, name: str, sink: EventSink) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        sink.bad_record(f"not UTF-8 (byte {exc.start})", (name, 1))
        return
    decoder = json.JSONDecoder()
    i = text.index("[") + 1
    line = 1 + text.count("\n", 0, i)
    while True:
        start = i
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        line += text.count("\n", start, i)
        if i >= len(text):
            sink.bad_record("the JSON array is not closed (truncated file?)", (name, line))
            return
        if text[i] == "]":
            return
        try:
            obj, end = decoder.raw_decode(text, i)
        except ValueError:
            sink.bad_record("not JSON (a truncated or malformed array element)", (name, line))
            return
        sink.feed_value(obj, (name, line))
        line += text.count("\n", i, end)
        i = end
        while i < len(text) and text[i] in " \t\r\n":
            line += text[i] == "\n"
            i += 1
        if i < len(text) and text[i] == ",":
            i += 1
        elif i < len(text) and text[i] != "]":
            sink.bad_record("expected , or ] between array elements", (name, line))
            return
