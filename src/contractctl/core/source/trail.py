"""The file-system facts a run's results rest on, noted as they are used: which bytes each
file read held, where each path resolved to, what each folder walk found. A result
remembered with its trail may be reused later only while every fact on it still holds, the
way a build system trusts an output only while its inputs hash the same.

Noting costs one global test when no one is recording (every run without a result cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

Facts = dict[tuple[str, str], str]

CHANGED = "\0changed"  # a fact seen with two values in one run: it can never hold again

_facts: Facts | None = None


@contextmanager
def recording() -> Iterator[Facts]:
    """Within the block, every fact noted is kept in the dict yielded (and in any outer one)."""
    global _facts  # noqa: PLW0603  (the recorder of one command's run)
    outer, _facts = _facts, {}
    mine = _facts
    try:
        yield mine
    finally:
        _facts = outer
        if outer is not None:
            for (kind, arg), value in mine.items():
                _put(outer, kind, arg, value)


def active() -> bool:
    return _facts is not None


def note(kind: str, arg: str, value: str) -> None:
    """That ``kind`` of look at ``arg`` gave ``value`` (e.g. a file's digest)."""
    if _facts is not None:
        _put(_facts, kind, arg, value)


def _put(facts: Facts, kind: str, arg: str, value: str) -> None:
    seen = facts.setdefault((kind, arg), value)
    if seen != value:
        facts[(kind, arg)] = CHANGED


def resolve(path: Path) -> Path:
    """``path.resolve()``, noted: which file a symlinked path means is an input too."""
    try:
        out = path.resolve()
    except (OSError, RuntimeError):
        note("realpath", str(path), "!")
        raise
    note("realpath", str(path), str(out))
    return out
