"""Finding the files below the folders a user names, and saying what was not searched.

Nothing below a named folder is passed over in silence: a folder that cannot be listed, a
symlink loop, a symlink to a folder (not followed: the tree searched is the tree on disk,
and a file is never found twice through two names) and a folder named like a file the
walk looks for are each reported as a ``Notice``. Only the folders in ``skip_dirs``
(VCS and tool caches) are left out without a word. Explicit files are taken as given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Notice:
    path: Path
    reason: str
    unreadable: bool = False  # an input error (exit 3), not only a remark


@dataclass(slots=True)
class Discovery:
    files: list[Path] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def discover_files(
    starts: Iterable[Path], wanted: Callable[[str], bool], skip_dirs: frozenset[str]
) -> Discovery:
    """Files whose names ``wanted`` accepts below ``starts``, each folder sorted by name."""
    found = Discovery()
    for start in starts:
        if start.is_dir():
            _walk(start, wanted, skip_dirs, found)
        else:
            found.files.append(start)
    found.files = sorted(dict.fromkeys(found.files))
    return found


def _walk(
    folder: Path, wanted: Callable[[str], bool], skip_dirs: frozenset[str], found: Discovery
) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        found.notices.append(
            Notice(folder, f"cannot read folder: {exc.strerror or exc}", unreadable=True)
        )
        return
    for entry in entries:
        path = Path(folder, entry.name)
        try:
            is_link, is_dir = entry.is_symlink(), entry.is_dir()
        except OSError as exc:  # ELOOP: a symlink that leads to itself
            if wanted(entry.name):
                found.files.append(path)  # reading it reports the loop, as for a named file
            else:
                found.notices.append(Notice(path, f"not searched: {exc.strerror or exc}"))
            continue
        if is_link and is_dir:
            found.notices.append(Notice(path, _link_reason(path)))
        elif is_dir:
            if entry.name in skip_dirs:
                continue
            if wanted(entry.name):
                found.notices.append(
                    Notice(path, "a folder named like a contract file: searched as a folder")
                )
            _walk(path, wanted, skip_dirs, found)
        elif wanted(entry.name):
            found.files.append(path)


def _link_reason(link: Path) -> str:
    target = link.resolve()
    inside = link.parent.resolve()
    if inside == target or inside.is_relative_to(target):
        return f"a symlink loop (it points back to {os.readlink(link)}): not followed"
    return (
        f"a symlink to a folder ({os.readlink(link)}): not followed; "
        "name the folder itself to check what it holds"
    )
