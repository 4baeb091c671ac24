"""What the compatibility gate compares against: earlier versions of each event.

A baseline (the contracts in the tree, a git ref, a directory, a schema registry) answers
"which versions of this event came before?". Adapters implement ``Baseline``; the gate in
``app.check`` only sees this protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from contractctl.core.contract.model import Contract, Example


@dataclass(frozen=True, slots=True)
class BaselineVersion:
    """One earlier version of an event's schema."""

    schema: Any
    schema_type: str  # "JSON" | "AVRO"
    label: str  # where it came from, e.g. "git:origin/main:contracts/orders/placed.v1.yaml"
    version: str | None = None  # the contract's semver when known (None for registry versions)
    examples: tuple[Example, ...] = ()
    contract: Contract | None = None
    named_types: dict[str, Any] | None = None  # Avro named types from other files


class Baseline(Protocol):
    """A source of earlier versions, looked up by the contract being checked."""

    name: str

    def history(self, contract: Contract) -> list[BaselineVersion]:
        """Earlier versions of ``contract``'s event, oldest first; [] for a new event."""
        ...

    def level(self, contract: Contract) -> str | None:
        """The compatibility level the baseline itself enforces (a registry's), if any."""
        ...

    def event_names(self) -> set[str] | None:
        """Every event the baseline knows, to report removed events; None if unknown."""
        ...
