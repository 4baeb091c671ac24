"""Where each value of a parsed document came from: JSON pointer → (line, column)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape(token)}"


@dataclass(slots=True)
class Positions:
    """1-based line and column of every node, keyed by JSON pointer ("" is the root).

    ``key_lines`` holds where a mapping *key* sits, which is where an unknown-field error
    should point.
    """

    nodes: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        """The nearest known position at or above ``pointer``."""
        table = self.keys if key else self.nodes
        p = pointer
        while True:
            if p in table:
                return table[p]
            if p in self.nodes:
                return self.nodes[p]
            if not p:
                return None
            p = p.rpartition("/")[0]

    def line(self, pointer: str, *, key: bool = False) -> int | None:
        found = self.locate(pointer, key=key)
        return found[0] if found else None

    def column(self, pointer: str, *, key: bool = False) -> int | None:
        found = self.locate(pointer, key=key)
        return found[1] if found else None


@dataclass(slots=True)
class DeferredPositions(Positions):
    """Positions found again only when first asked for, by ``recompute`` (parsing the same
    text again). A pointer per value is about half of what a loaded contract keeps; a run
    that asks for few lines (``docs build``: a line per flow finding) need not hold them all.
    """

    recompute: Callable[[], Positions] | None = None

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        if self.recompute is not None:
            found, self.recompute = self.recompute(), None
            self.nodes, self.keys = found.nodes, found.keys
        return Positions.locate(self, pointer, key=key)
