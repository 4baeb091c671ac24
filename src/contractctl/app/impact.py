"""``contractctl impact``: who consumes an event, a version of it, or one of its fields."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from contractctl.app.review import service_owners
from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import load_contracts
from contractctl.core.contract.model import SemVer
from contractctl.core.errors import UsageError
from contractctl.core.review.consumers import by_event
from contractctl.core.review.usage import EventUsage, event_usage


@dataclass(slots=True)
class ImpactRequest:
    target: str  # EVENT or EVENT@VERSION
    field_path: str | None = None
    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)


@dataclass(slots=True)
class ImpactOutcome:
    usage: EventUsage
    input_errors: int


def impact(request: ImpactRequest) -> ImpactOutcome:
    event, _, version = request.target.partition("@")
    if version:
        try:
            SemVer.parse(version)
        except ValueError as exc:
            raise UsageError(f"{request.target}: {exc}") from None
    loaded = load_contracts(list(request.paths) or None, request.config)
    events = by_event(loaded.contracts)
    line = events.get(event)
    if line is None:
        close = difflib.get_close_matches(event, sorted(events), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UsageError(f"no contract declares event {event!r}{hint}")
    if version and all(c.version != version for c in line):
        known = ", ".join(c.version for c in line)
        raise UsageError(f"{event} has no version {version} (it has {known})")
    usage = event_usage(line, service_owners(loaded.contracts), version or None, request.field_path)
    return ImpactOutcome(usage, len(loaded.input_errors))
