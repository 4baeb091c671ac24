"""Reading back output files an earlier run wrote (writes go through ``adapters.safe_write``)."""

from __future__ import annotations

from pathlib import Path


def read_if_exists(path: Path) -> str | None:
    """The file's text, None when it does not exist; unreadable files are input errors."""
    from contractctl.core.errors import InputError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
