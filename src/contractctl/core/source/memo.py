"""The seam for remembering parses across runs: a ``Memo`` maps (kind, source text) to the
plain data parsing it gave. Core only asks and tells; where and whether a memo keeps anything
(an on-disk cache under ``.contractctl/cache``) is the adapters' business.

A memo may forget anything and may be tampered with: callers treat every answer as untrusted
data, check its shape, and parse again when it does not fit.
"""

from __future__ import annotations

from typing import Any, Protocol

from contractctl.core.source.positions import Positions


class Memo(Protocol):
    def recall(self, kind: str, text: str) -> Any | None:
        """What ``remember`` stored for this kind and text, or None."""

    def remember(self, kind: str, text: str, value: Any) -> None:
        """Keep ``value`` (JSON-shaped data) for this kind and text, if the memo can."""


def positions_to_data(positions: Positions) -> dict[str, list[Any]]:
    """``positions`` as flat JSON arrays (pointers, lines, columns for nodes, then keys)."""
    out: dict[str, list[Any]] = {}
    for name, table in (("nodes", positions.nodes), ("keys", positions.keys)):
        out[name] = [list(table), [v[0] for v in table.values()], [v[1] for v in table.values()]]
    return out


def positions_from_data(value: Any) -> Positions | None:
    """The inverse of ``positions_to_data``; None when ``value`` does not have its shape."""
    if not isinstance(value, dict):
        return None
    tables = []
    for name in ("nodes", "keys"):
        columns = value.get(name)
        if not (isinstance(columns, list) and len(columns) == 3):
            return None
        pointers, lines, cols = columns
        if not (
            isinstance(pointers, list)
            and isinstance(lines, list)
            and isinstance(cols, list)
            and len(pointers) == len(lines) == len(cols)
            # set(map(type, ...)) runs in C: a contract has thousands of positions
            and set(map(type, pointers)) <= {str}
            and set(map(type, lines)) | set(map(type, cols)) <= {int}
        ):
            return None
        tables.append(dict(zip(pointers, zip(lines, cols, strict=True), strict=True)))
    return Positions(nodes=tables[0], keys=tables[1])
