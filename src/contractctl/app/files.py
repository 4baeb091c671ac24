"""Writing output files atomically: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from contractctl.core.errors import RenderError


def atomic_write(path: Path, text: str, *, make_parents: bool = True) -> None:
    """Write via a temporary file beside ``path`` (unique per process and thread)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc


def read_if_exists(path: Path) -> str | None:
    """The file's text, None when it does not exist; unreadable files are input errors."""
    from contractctl.core.errors import InputError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
