"""Schema registry adapters: the HTTP client, the embedded registry, and the baseline over both.

``open_registry(settings)`` returns the HTTP client when a URL is configured and the
embedded registry otherwise; both implement ``RegistryAPI``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from contractctl.adapters.registry.api import (
    Reference,
    RegisteredSchema,
    RegistryAPI,
    SchemaSubmission,
    ServerVerdict,
)
from contractctl.adapters.registry.embedded import EmbeddedRegistry

if TYPE_CHECKING:
    import httpx

    from contractctl.core.registry.config import RegistrySettings


def open_registry(
    settings: RegistrySettings,
    *,
    root: Path | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> RegistryAPI:
    """The registry ``settings`` point at; ``root`` anchors a relative embedded path."""
    if settings.embedded:
        path = settings.embedded_path
        if root is not None and not path.is_absolute():
            path = root / path
        return EmbeddedRegistry(path)
    from contractctl.adapters.registry.client import HttpRegistry

    return HttpRegistry(settings, transport=transport)


__all__ = [
    "EmbeddedRegistry",
    "Reference",
    "RegisteredSchema",
    "RegistryAPI",
    "SchemaSubmission",
    "ServerVerdict",
    "open_registry",
]
