"""The on-disk cache of parses: ``.contractctl/cache/`` below the project root.

An entry is named by a hash of what produced it (this cache's format, contractctl's version,
the parser's own source) and of its input (the kind of parse and the exact text), so a
changed file, however its size and time stamp were faked, is a different name: a miss.
Entries hold plain JSON data, never pickles, behind an HMAC made with a key kept outside the
project (``$XDG_CACHE_HOME/contractctl/cache-key``): a corrupted entry, or one committed to
the repository or forged by anyone without that key, fails the check and counts as a miss,
as does any entry whose shape the reader does not recognise.

The cache is safe to delete at any time. Writing is atomic and never goes through a symlink
(``OutputTree``); when the folder cannot be written (a read-only checkout) the run goes on
without a cache. It is bounded: past ``MAX_ENTRIES`` files the oldest written are removed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from contractctl import _version
from contractctl.adapters.safe_write import OutputTree
from contractctl.core.errors import ContractctlError

FOLDER = ".contractctl/cache"
FORMAT = "1"  # bump when an entry's layout changes
MAX_ENTRIES = 100_000
_ENTRIES = f"{FOLDER}/v{FORMAT}"
_MAX_ENTRY_BYTES = 256 * 1024 * 1024
_KEY_NAME = "cache-key"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO in the folder does not hang the read


class ParseCache:
    """A ``core.source.memo.Memo`` on disk, for one project root."""

    def __init__(self, root: Path, key: bytes) -> None:
        self._tree = OutputTree(root)
        self._root = root
        self._key = key
        self._salt = _code_id().encode()
        self.hits = 0
        self.misses = 0
        self.written = 0
        self._writable = True
        self._entries_fd = -2  # not opened yet; -1: not there
        self.trouble: str | None = None  # why writing stopped, for --debug and tests

    def _name(self, kind: str, text: str) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(kind.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _mac(self, name: str, payload: bytes) -> str:
        return hmac.new(self._key, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest()

    def recall(self, kind: str, text: str) -> Any | None:
        name = self._name(kind, text)
        raw = self._read(name)
        value = self._open(name, kind, raw) if raw is not None else None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def _folder(self) -> int | None:
        """The entries folder, opened once per run and reached without following a symlink
        (walking the path again for each of thousands of entries cost a fifth of a run)."""
        if self._entries_fd == -2:
            fd: int | None = None
            try:
                fd = os.open(self._root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
                for part in _ENTRIES.split("/"):
                    child = os.open(
                        part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd
                    )
                    os.close(fd)
                    fd = child
            except OSError:
                if fd is not None:
                    os.close(fd)
                fd = None
            self._entries_fd = -1 if fd is None else fd
        return None if self._entries_fd < 0 else self._entries_fd

    def _read(self, name: str) -> bytes | None:
        folder = self._folder()
        if folder is None:
            return None
        try:
            handle = os.open(name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK, dir_fd=folder)
        except OSError:  # absent, a symlink, a folder in the way: a miss
            return None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY_BYTES:
                return None
            chunks = []
            while chunk := os.read(handle, max(info.st_size, 1 << 16)):
                chunks.append(chunk)
                if sum(map(len, chunks)) > _MAX_ENTRY_BYTES:
                    return None
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(handle)

    def _open(self, name: str, kind: str, raw: bytes) -> Any | None:
        mac, _, payload = raw.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(name, payload).encode()):
            return None
        try:
            entry = json.loads(payload)
        except ValueError:
            return None
        if not (isinstance(entry, dict) and entry.get("kind") == kind and "value" in entry):
            return None
        return entry["value"]

    def remember(self, kind: str, text: str, value: Any) -> None:
        if not self._writable:
            return
        name = self._name(kind, text)
        try:
            payload = json.dumps({"kind": kind, "value": value}, separators=(",", ":")).encode()
        except (TypeError, ValueError):  # not JSON data (e.g. YAML's !!binary): not kept
            return
        try:
            if not self.written:  # like pytest's cache: never committed by accident
                self._tree.write(f"{FOLDER}/.gitignore", "# contractctl's parse cache\n*\n")
            self._tree.write(
                f"{_ENTRIES}/{name}", self._mac(name, payload).encode() + b"\n" + payload
            )
        except (ContractctlError, OSError) as exc:
            # A read-only checkout or a full disk: the run goes on without a cache.
            self.trouble = str(exc)
            self._writable = False
            return
        self.written += 1

    def close(self) -> None:
        """Keep the cache bounded after a run that added to it."""
        if self._entries_fd >= 0:
            os.close(self._entries_fd)
        self._entries_fd = -2
        if self.written:
            prune(self._root / _ENTRIES, MAX_ENTRIES)


def prune(folder: Path, limit: int) -> int:
    """Remove the oldest-written entries of ``folder`` past ``limit``; the number removed."""
    try:
        with os.scandir(folder) as listing:
            entries = [e for e in listing if e.is_file(follow_symlinks=False)]
        if len(entries) <= limit:
            return 0
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
        doomed = entries[: len(entries) - limit * 9 // 10]  # room for the next runs
        for entry in doomed:
            os.unlink(entry.path)
    except OSError:  # another run pruned first, or the folder went away: next time
        return 0
    return len(doomed)


def open_cache(root: Path) -> ParseCache | None:
    """The cache of the project at ``root``, or None when no key can be had."""
    key = _user_key()
    if key is None:
        return None
    try:
        return ParseCache(root, key)
    except (ContractctlError, OSError):
        return None


def _key_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "contractctl"


def _user_key() -> bytes | None:
    """The user's secret for the cache's HMACs, made on first use; None if it cannot be."""
    import secrets

    try:
        tree = OutputTree(_key_folder())
        text = tree.read(_KEY_NAME, max_bytes=1024)
        if text is None or len(text.strip()) < 64:
            tree.write(_KEY_NAME, secrets.token_hex(32) + "\n", mode=0o600)  # a secret
            text = tree.read(_KEY_NAME, max_bytes=1024)  # another process may have won
    except (ContractctlError, OSError):
        return None
    if text is None or len(text.strip()) < 64:
        return None
    return text.strip().encode()


@functools.cache
def _code_id() -> str:
    """Which code made an entry: contractctl's version and the parser's source, so editing
    the parser (a development checkout keeps its version) never recalls its old output."""
    from contractctl.core.contract import loader
    from contractctl.core.source import documents, memo, positions

    digest = hashlib.sha256(f"{FORMAT}/{_version.__version__}".encode())
    for module in (documents, memo, positions, loader):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # no source beside the bytecode: the version alone tells
            digest.update(str(module.__file__).encode())
    return digest.hexdigest()
