"""Writing inside one output folder and nowhere else.

Every file goes through an ``OutputTree``: the relative path is checked (no ``..``, no
absolute part), each folder on the way is opened without following symlinks (a symlink
inside the tree is refused, never followed), and the file is written to a temporary name in
its own folder and renamed over the target, so a kill leaves the old file or the new one,
never a torn or empty one; a symlink at the target itself is replaced, not written through.
Files get mode 0666 minus the umask, like any other file the user creates.

Each path is resolved against the tree's own folder descriptors (``dir_fd``), so a symlink
swapped in after a check cannot redirect the write either.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from contractctl.core.errors import RenderError

INCOMPLETE_MARKER = ".contractctl-incomplete"
_TEMP_PREFIX = ".contractctl-tmp-"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_OPEN_FOLDERS = 32  # far below any descriptor limit; a docs build writes into 2-3 at a time


class OutputTree:
    """One output folder; ``root`` itself is the user's choice and may be anything."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folded: dict[str, str] = {}  # casefolded path → the path written this run
        # Descriptors of folders this tree already reached without symlinks, newest last: a
        # site of 40,000 pages writes into the same few folders over and over, and reopening
        # each folder on the way cost more than writing the page. A descriptor keeps naming
        # the folder it was opened on, so a symlink swapped in later cannot redirect a write.
        self._open: dict[tuple[str, ...], int] = {}
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RenderError(f"cannot create {root}: {exc.strerror}", file=str(root)) from None
        if not root.is_dir():
            raise RenderError(f"{root} is not a folder", file=str(root))

    # -- paths -------------------------------------------------------------------------------

    def _parts(self, rel: str) -> tuple[str, ...]:
        plain = rel.split("/")
        # A plain relative path (what a build writes 40,000 times) needs no pathlib.
        if all(p and p not in (".", "..") and "\x00" not in p and "\\" not in p for p in plain):
            return tuple(plain)
        path = PurePosixPath(rel)
        parts = path.parts
        if (
            not parts
            or path.is_absolute()
            or any(p in ("", ".", "..") or "\x00" in p or "\\" in p for p in parts)
        ):
            raise RenderError(f"refusing to write {rel!r}: not a plain path inside {self.root}")
        return parts

    @contextmanager
    def _folder(self, parts: tuple[str, ...], *, create: bool) -> Iterator[int]:
        """A descriptor of the folder ``parts`` below the root, reached without symlinks."""
        fd = os.open(self.root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        try:
            walked: list[str] = []
            for part in parts:
                walked.append(part)
                if create:
                    with suppress(FileExistsError):
                        os.mkdir(part, 0o777, dir_fd=fd)
                try:
                    child = os.open(
                        part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd
                    )
                except FileNotFoundError:
                    raise  # a missing folder: reads and removals find nothing there
                except OSError as exc:
                    raise self._refusal("/".join(walked), exc) from None
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    def _cached_folder(self, parts: tuple[str, ...]) -> int:
        """Like ``_folder(parts, create=True)``, kept open for the next write there."""
        fd = self._open.pop(parts, None)
        if fd is None:
            with self._folder(parts, create=True) as walked:
                fd = os.dup(walked)
            while len(self._open) >= _OPEN_FOLDERS:
                os.close(self._open.pop(next(iter(self._open))))
        self._open[parts] = fd  # re-inserted: the least recently used goes first
        return fd

    def close(self) -> None:
        """Close the folders kept open for writing; the next write opens them again."""
        while self._open:
            os.close(self._open.popitem()[1])

    def __del__(self) -> None:
        with suppress(OSError, AttributeError):
            self.close()

    def _refusal(self, rel: str, exc: OSError) -> RenderError:
        where = self.root / rel
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(where):
            return RenderError(
                f"refusing to write through the symlink {where} inside the output folder; "
                "remove it or choose another --out",
                file=str(where),
            )
        return RenderError(f"cannot write {where}: {exc.strerror}", file=str(where))

    def _claim(self, rel: str) -> None:
        folded = rel.casefold()
        other = self._folded.setdefault(folded, rel)
        if other != rel:
            raise RenderError(
                f"{rel!r} and {other!r} would be one file on a case-insensitive file system"
            )

    def claim_all(self, rels: list[str]) -> None:
        """Claim the names of files about to be written (by this tree or a forked copy of
        it); on a case clash nothing is claimed and the clash is raised."""
        before = dict(self._folded)
        try:
            for rel in rels:
                self._claim("/".join(self._parts(rel)))
        except RenderError:
            self._folded = before
            raise

    # -- operations --------------------------------------------------------------------------

    def write(self, rel: str, data: str | bytes, *, mode: int = 0o666) -> Path:
        """Write ``data`` at ``rel`` atomically; return the path written. ``mode`` (less the
        umask) is set when the file is made: a secret is never readable by others, even
        for a moment."""
        parts = self._parts(rel)
        self._claim("/".join(parts))
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            self._replace(self._cached_folder(parts[:-1]), parts[-1], payload, mode)
        except RenderError:
            raise
        except OSError as exc:
            raise RenderError(f"cannot write {self.root / rel}: {exc.strerror}") from None
        return self.root.joinpath(*parts)

    @staticmethod
    def _replace(fd: int, name: str, payload: bytes, mode: int = 0o666) -> None:
        temp = f"{_TEMP_PREFIX}{secrets.token_hex(6)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        out = os.open(temp, flags, mode, dir_fd=fd)  # 0666 by default: the umask decides
        try:
            try:
                view = memoryview(payload)
                while view:
                    view = view[os.write(out, view) :]
            finally:
                os.close(out)
            # rename replaces the directory entry: a symlink there is replaced, not followed;
            # a folder there is not (no stat before: it cost more than the rest of a write)
            try:
                os.replace(temp, name, src_dir_fd=fd, dst_dir_fd=fd)
            except IsADirectoryError:
                raise RenderError(
                    f"cannot write {name}: a folder of that name is in the way"
                ) from None
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=fd)
            raise

    def remove(self, rel: str) -> None:
        """Remove the file (or symlink: never its target) at ``rel``, if there."""
        parts = self._parts(rel)
        self.close()  # a folder emptied by a removal may go next: hold none of them open
        try:
            with self._folder(parts[:-1], create=False) as fd:
                os.unlink(parts[-1], dir_fd=fd)
        except FileNotFoundError:
            pass
        except RenderError:
            raise
        except OSError as exc:
            raise RenderError(f"cannot remove {self.root / rel}: {exc.strerror}") from None

    def read(self, rel: str, max_bytes: int = 64 * 1024 * 1024) -> str | None:
        """The text of the regular file at ``rel`` (None if absent); symlinks, FIFOs and
        devices in the tree are refused rather than followed or opened for long."""
        parts = self._parts(rel)
        try:
            with self._folder(parts[:-1], create=False) as fd:
                flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
                handle = os.open(parts[-1], flags, dir_fd=fd)
                try:
                    if not stat.S_ISREG(os.fstat(handle).st_mode):
                        raise RenderError(f"{self.root / rel} is not a regular file")
                    chunks = []
                    total = 0
                    while chunk := os.read(handle, 1 << 20):
                        chunks.append(chunk)
                        total += len(chunk)
                        if total > max_bytes:
                            raise RenderError(f"{self.root / rel} is too large to compare")
                finally:
                    os.close(handle)
        except FileNotFoundError:
            return None
        except RenderError:
            raise
        except OSError as exc:
            raise self._refusal(rel, exc) from None
        try:
            return b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError:
            raise RenderError(f"{self.root / rel} is not UTF-8 text") from None

    # -- a run -------------------------------------------------------------------------------

    def begin(self) -> None:
        """Mark the tree as being written: a kill leaves the marker, a finished run not."""
        self.write(INCOMPLETE_MARKER, "contractctl was writing this folder and did not finish\n")
        self._folded.pop(INCOMPLETE_MARKER, None)

    def finish(self) -> None:
        """Sweep temporary files an earlier, killed run left, then drop the marker."""
        self.close()
        for folder, dirs, files in os.walk(self.root):  # never descends through symlinks
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
            for name in files:
                if name.startswith(_TEMP_PREFIX):
                    with suppress(OSError):
                        os.unlink(os.path.join(folder, name))
        self.remove(INCOMPLETE_MARKER)
