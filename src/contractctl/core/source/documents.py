"""Reading YAML and JSON documents safely: size limits, encodings, positions, alias bombs.

Every failure becomes a ``LoadError`` naming the file and, where known, the line; nothing
here lets a hostile file crash the process or exhaust memory.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from contractctl.core.errors import LoadError
from contractctl.core.source import trail
from contractctl.core.source.positions import DeferredPositions, Positions, join

# libyaml is ~10x faster; PyYAML's pure loader gives the same nodes.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED: dict[tuple[str, bool, bool], str] = {}
_RESOLVED_MAX = 65_536  # distinct short scalars remembered; past it, resolved each time


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, remembering the implicit tag of short scalars.

    A tag depends only on the scalar's text and whether it was plain or quoted (the resolver
    table is fixed), and a corpus repeats the same few thousand words ("type", "string",
    field names): resolving each by regular expression was a sixth of parsing a contract.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or len(value) > 64:
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit[0], implicit[1])
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) < _RESOLVED_MAX:
                _RESOLVED[key] = tag
        return tag


_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what a single input may cost. Configurable in contractctl.yaml."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_nodes: int = 1_000_000  # after alias expansion: stops "billion laughs"
    max_depth: int = 256


DEFAULT_LIMITS = Limits()


def read_text(path: Path, limits: Limits = DEFAULT_LIMITS, *, display: str | None = None) -> str:
    """The file's text, decoded as UTF-8, or a ``LoadError`` saying why not."""
    name = display or str(path)
    return decode(read_bytes(path, limits.max_file_bytes, display=name), name)


_CHUNK = 1 << 20


def read_bytes(path: Path, max_bytes: int, *, display: str | None = None) -> bytes:
    """The file's bytes, refusing anything but a regular file and stopping at ``max_bytes``.

    A FIFO, device or socket is refused before it is opened (opening a FIFO blocks, reading
    /dev/zero never ends); the size is enforced while reading, because a file can grow after
    its size was looked at and some files report none. What was read (or why not) goes on
    the run's ``trail`` when one is recorded.
    """
    if not trail.active():
        return _read_bytes(path, max_bytes, display or str(path))
    kind = f"read/{max_bytes}"
    try:
        data = _read_bytes(path, max_bytes, display or str(path))
    except LoadError as exc:
        trail.note(kind, str(path), "!" + exc.message)
        raise
    trail.note(kind, str(path), digest(data))
    return data


def digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path, max_bytes: int, name: str) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LoadError("file not found", file=name) from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {_reason(exc)}", file=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError("is a directory, expected a file", file=name)
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"is {_kind(info.st_mode)}, expected a regular file", file=name)
    if info.st_size > max_bytes:
        raise LoadError(_too_big(info.st_size, max_bytes), file=name)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, open does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise LoadError(f"cannot read file: {_reason(exc)}", file=name) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LoadError("is not a regular file", file=name)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise LoadError(_too_big(total, max_bytes, at_least=True), file=name)
    except OSError as exc:
        raise LoadError(f"cannot read file: {_reason(exc)}", file=name) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    limit = f"the {max_bytes / 1_048_576:.0f} MiB limit (limits.max_file_bytes)"
    if at_least:
        return f"file is larger than {limit}"
    return f"file is {size / 1_048_576:.1f} MiB, over {limit}"


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (contains NUL bytes), expected UTF-8 text", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def parse_yaml(
    text: str, name: str, limits: Limits = DEFAULT_LIMITS, *, deferred: bool = False
) -> tuple[Any, Positions]:
    """Parse one YAML document into plain Python data plus the position of every node.

    Duplicate keys, alias expansion past ``limits.max_nodes``, nesting past
    ``limits.max_depth`` and multi-document files are errors. ``deferred``: the positions
    are found by parsing ``text`` again when first asked for (they are kept meanwhile as
    the text alone, a few times smaller than the table).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        opened = exc.context_mark
        if mark is not None and opened is not None and mark.line > opened.line:
            if mark.line >= text.count("\n"):
                # Hit the end of the file: the useful place is where the unclosed thing began.
                problem = f"{problem} ({exc.context} that is never closed)"
                mark = opened
            else:
                problem = f"{problem} ({exc.context} at line {opened.line + 1})"
        raise LoadError(
            f"malformed YAML: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML: {exc}", file=name) from None
    except RecursionError:
        raise LoadError(
            f"YAML nested too deeply (limit {limits.max_depth} levels)", file=name
        ) from None
    positions = Positions()
    if node is None:
        return None, positions
    if deferred:
        positions = DeferredPositions(recompute=_Reparse(text, name, limits))
    builder = _Builder(name, limits, None if deferred else positions)
    try:
        return builder.build(node, "", 0), positions
    finally:
        builder.close()


@dataclass(frozen=True, slots=True)
class _Reparse:
    """The positions of ``text``, found again: a value, not a closure, so a contract with
    deferred positions can be pickled (``docs build`` hands contracts between processes)."""

    text: str
    name: str
    limits: Limits

    def __call__(self) -> Positions:
        return parse_yaml(self.text, self.name, self.limits)[1]


class _Builder:
    """Turns composed YAML nodes into data, recording positions and enforcing limits."""

    def __init__(self, name: str, limits: Limits, positions: Positions | None) -> None:
        self.name = name
        self.limits = limits
        self.positions = positions  # None: record nothing (nor build the pointers)
        self.count = 0
        self.constructor = yaml.SafeLoader("")
        self.active: set[int] = set()

    def close(self) -> None:
        # The loader refers to itself (its parser state is a bound method) and keeps every
        # value it constructed: left to the cyclic collector, a large load's garbage piled up.
        self.constructor.dispose()
        self.constructor.constructed_objects.clear()

    def _error(self, message: str, node: yaml.Node) -> LoadError:
        m = node.start_mark
        return LoadError(message, file=self.name, line=m.line + 1, column=m.column + 1)

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self._error(
                f"document expands to more than {self.limits.max_nodes:,} values "
                "(an alias bomb?); limits.max_nodes",
                node,
            )
        if depth > self.limits.max_depth:
            raise self._error(
                f"nested deeper than {self.limits.max_depth} levels (limits.max_depth)", node
            )
        positions = self.positions
        if positions is not None and pointer not in positions.nodes:
            positions.nodes[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value  # what SafeConstructor returns, without its bookkeeping
            if node.tag == "tag:yaml.org,2002:timestamp":
                # Contracts are JSON data: keep dates as the ISO text the author wrote.
                return node.value
            try:
                return self.constructor.construct_object(node)
            except yaml.YAMLError as exc:
                raise self._error(f"invalid value: {exc}", node) from None
            except ValueError as exc:  # e.g. an impossible timestamp such as 2024-13-45
                raise self._error(f"invalid value {node.value!r}: {exc}", node) from None
        if id(node) in self.active:
            raise self._error("recursive alias: a node contains itself", node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if self.positions is None:
                    return [self.build(child, "", depth + 1) for child in node.value]
                return [
                    self.build(child, join(pointer, i), depth + 1)
                    for i, child in enumerate(node.value)
                ]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, pointer, depth)
        finally:
            self.active.discard(id(node))
        raise self._error(f"unsupported YAML node {type(node).__name__}", node)

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, pointer, depth + 1)
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if not isinstance(source, dict):
                        raise self._error("merge key '<<' needs a mapping", value_node)
                    for k, v in source.items():
                        result.setdefault(k, v)
                continue
            key = self.build(key_node, pointer, depth + 1)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise self._error("mapping keys must be scalars", key_node)
            if isinstance(key, bool | int | float) or key is None:
                key = str(key).lower() if isinstance(key, bool) or key is None else str(key)
            if key in result:
                raise self._error(f"duplicate key {key!r}", key_node)
            child = ""
            if self.positions is not None:
                child = join(pointer, key)
                self.positions.keys[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            # Interned: a thousand contracts repeat the same few hundred keys.
            result[intern(key)] = self.build(value_node, child, depth + 1)
        return result


def parse_json(text: str, name: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse JSON text; errors name the line and column. Nesting past ``limits.max_depth``
    is an error, as in YAML: every later step may then walk the document recursively."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"malformed JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise LoadError(
            f"JSON nested too deeply (limit {limits.max_depth} levels, limits.max_depth)",
            file=name,
        ) from None
    check_depth(data, limits.max_depth, name, text=text)
    return data


def check_depth(data: Any, max_depth: int, name: str, *, text: str | None = None) -> None:
    """Raise ``LoadError`` if ``data`` nests arrays/objects deeper than ``max_depth``.

    ``text``, the source ``data`` was parsed from, lets most documents skip the walk: each
    array or object opens with a bracket in it, so a text with at most ``max_depth`` opening
    brackets (strings may add more, never fewer) cannot nest deeper.
    """
    if text is not None and text.count("{") + text.count("[") <= max_depth:
        return
    # Level by level with exact type checks: the walk visits every value of every schema,
    # and a generator with isinstance against a union cost a third of loading a corpus.
    level = [data]
    depth = 0
    while level:
        if depth > max_depth:
            raise LoadError(f"nested deeper than {max_depth} levels (limits.max_depth)", file=name)
        below: list[Any] = []
        for node in level:
            values = node.values() if type(node) is dict else node
            if type(node) is dict or type(node) is list:
                below += [v for v in values if type(v) is dict or type(v) is list]
        level = below
        depth += 1


def json_line(text: str, pointer: str) -> int | None:
    """Best-effort line of ``pointer`` in JSON ``text`` (only computed when reporting)."""
    if not pointer:
        return 1
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
    pos = 0
    for token in tokens:
        if token.isdigit():
            continue  # array index: keep searching for the next key
        idx = text.find(json.dumps(token) + ":", pos)
        if idx < 0:
            idx = text.find(json.dumps(token), pos)
        if idx < 0:
            break
        pos = idx
    return text.count("\n", 0, pos) + 1
