"""Process-wide CLI settings set by the global options (debug, colour, config path)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractctl.core.contract.config import Config

CONFIG_PATH: Path | None = None
DEBUG = False
NO_COLOR = False
# Secret values registered by adapters (registry passwords, tokens) never reach the terminal.
SECRETS: set[str] = set()


def redact(text: str) -> str:
    for secret in SECRETS:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "****")
    return text


def load_config() -> Config:
    from contractctl.core.contract.config import load_config as _load

    return _load(CONFIG_PATH)
