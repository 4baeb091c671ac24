"""Fetching remote ``$ref`` targets over HTTP, only when ``allow_remote_refs`` is on."""

from __future__ import annotations

from typing import Any

MAX_BYTES = 5 * 1024 * 1024


def fetch_json(url: str) -> Any:
    import httpx

    with httpx.Client(timeout=10.0, follow_redirects=True) as client:
        response = client.get(url)
        response.raise_for_status()
        if len(response.content) > MAX_BYTES:
            raise ValueError(f"{url} is larger than {MAX_BYTES} bytes")
        return response.json()
