"""Whether the facts on a remembered run's trail (``core.source.trail``) still hold: each
is looked at again the way the run looked at it, and compared with what it gave then."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from contractctl.core.errors import LoadError
from contractctl.core.source import documents, trail


def still_hold(facts: Iterable[tuple[str, str, str]]) -> bool:
    """True when every (kind, argument, value) gives the same value now; an unknown kind
    never holds."""
    for kind, arg, value in facts:
        look = _LOOKS.get(kind) or (_read if kind.startswith("read/") else None)
        if look is None or look(kind, arg) != value:
            return False
    return True


def forget_paths() -> None:
    """Forget what this process remembered of paths, so a recorded run notes every fact
    (a memo hit would look at the file system without noting it)."""
    from contractctl.core.contract import loader, roots

    loader._shown.cache_clear()
    loader._base.cache_clear()
    roots._enclosing.cache_clear()


def _read(kind: str, arg: str) -> str:
    try:
        limit = int(kind.partition("/")[2])
        return documents.digest(documents.read_bytes(Path(arg), limit))
    except LoadError as exc:
        return "!" + exc.message
    except ValueError:
        return trail.CHANGED


def _realpath(_: str, arg: str) -> str:
    try:
        return str(Path(arg).resolve())
    except (OSError, RuntimeError):
        return "!"


def _listing(_: str, arg: str) -> str:
    from contractctl.core.contract.loader import listing_now

    return listing_now(arg)


def _base(_: str, arg: str) -> str:
    from contractctl.core.contract.loader import _base

    return _base.__wrapped__(arg, os.getcwd())


def _ref_file(_: str, arg: str) -> str:
    from contractctl.core.schema.jsonschema_refs import existing_file

    return str(existing_file(Path(arg)) or "")


_LOOKS: dict[str, Callable[[str, str], str]] = {
    "realpath": _realpath,
    "listing": _listing,
    "base": _base,
    "ref-file": _ref_file,
}
