"""Reading files at a git ref without touching the work tree (for git baselines and diff).

``snapshot(ref, top, pathspec)`` copies the blobs below ``pathspec`` at ``ref`` into a
temporary directory laid out like the repository, so relative ``$ref`` and schema file
paths resolve as they did at that commit; the directory is removed on exit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from contractctl.core.errors import BaselineError


def git(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """Run git; a missing git or a failing command becomes a ``BaselineError``."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise BaselineError(
            "git is not installed (or not on PATH); it is needed for git:REF"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BaselineError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
    return done.stdout


def repo_top(cwd: Path, ref: str) -> Path:
    """The repository's top-level directory, checking that ``ref`` names a commit in it."""
    if not ref:
        raise BaselineError("a git baseline needs a ref, e.g. git:origin/main")
    try:
        top = Path(git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    except BaselineError as exc:
        if "not installed" in exc.message:
            raise
        raise BaselineError(
            f"{cwd} is not inside a git repository (needed for git:{ref})"
        ) from None
    try:
        git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except BaselineError:
        raise BaselineError(
            f"unknown git ref {ref!r} (try `git fetch`, or check the name)"
        ) from None
    return top


def relative_to_top(path: Path, top: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise BaselineError(f"{path} is outside the git repository {top}") from None


@contextmanager
def snapshot(ref: str, top: Path, pathspec: PurePosixPath) -> Iterator[Path]:
    """A temporary copy of ``pathspec`` at ``ref``; yields the directory standing for ``top``."""
    listing = git(["ls-tree", "-r", "--full-name", "-z", ref, "--", str(pathspec)], top)
    blobs: list[tuple[str, str]] = []
    for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        _mode, kind, sha = meta.split()
        if kind == "blob":
            blobs.append((sha, path))
    scratch = Path(tempfile.mkdtemp(prefix="contractctl-git-"))
    try:
        _materialise(blobs, top, scratch)
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _materialise(blobs: Sequence[tuple[str, str]], top: Path, scratch: Path) -> None:
    """Write each blob to ``scratch/<path>`` with one ``git cat-file --batch`` process."""
    if not blobs:
        return
    out = git(["cat-file", "--batch"], top, stdin="".join(f"{sha}\n" for sha, _ in blobs).encode())
    offset = 0
    for _sha, path in blobs:
        header_end = out.index(b"\n", offset)
        size = int(out[offset:header_end].split()[2])
        start = header_end + 1
        parts = PurePosixPath(path)
        if parts.is_absolute() or ".." in parts.parts:
            raise BaselineError(f"refusing to materialise unsafe path {path!r} from git")
        target = scratch / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[start : start + size])
        offset = start + size + 1  # each blob is followed by a newline


# ---------------------------------------------------------------------------------------------
# What changed since a ref (for incremental check/validate)


def changed_paths(ref: str, top: Path) -> list[str]:
    """Paths (relative to ``top``) that differ between ``ref`` and the work tree.

    Staged, unstaged, deleted and untracked (not ignored) files alike: a pull request's
    change is what the work tree holds, however much of it is committed.
    """
    tracked = git(["diff", "--name-only", "--no-renames", "-z", ref, "--"], top)
    untracked = git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    names = (tracked + b"\0" + untracked).decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def grep_files(
    top: Path,
    patterns: Sequence[str],
    pathspecs: Sequence[str],
    *,
    ref: str | None = None,
    regex: bool = False,
    without_match: bool = False,
) -> set[str]:
    """Files (relative to ``top``) below ``pathspecs`` whose text contains any pattern.

    In the work tree (tracked and untracked files) or, with ``ref``, at that commit; fixed
    strings unless ``regex`` (POSIX extended); ``without_match`` lists the files matching
    none. git's grep reads thousands of files in C, far cheaper than parsing them.
    """
    if not patterns:
        return set()
    args = ["grep", "-z", "-L" if without_match else "-l", "-E" if regex else "-F"]
    for pattern in patterns:
        args += ["-e", pattern]
    args += [ref] if ref is not None else ["--untracked"]
    args += ["--", *pathspecs]
    try:
        done = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    except FileNotFoundError:
        raise BaselineError("git is not installed (or not on PATH)") from None
    if done.returncode not in (0, 1):  # 1: nothing matched
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BaselineError(f"git grep failed: {message[-1] if message else 'no output'}")
    found = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    prefix = f"{ref}:" if ref is not None else ""
    return {name.removeprefix(prefix) for name in found if name}


def read_at(ref: str, top: Path, paths: Sequence[str]) -> dict[str, bytes]:
    """The contents of ``paths`` at ``ref`` (one ``cat-file`` process); absent ones left out."""
    if not paths:
        return {}
    out = git(["cat-file", "--batch"], top, stdin="".join(f"{ref}:{p}\n" for p in paths).encode())
    found: dict[str, bytes] = {}
    offset = 0
    for path in paths:
        header_end = out.index(b"\n", offset)
        header = out[offset:header_end].split()
        offset = header_end + 1
        if header[-1] == b"missing" or header[1] != b"blob":
            if header[-1] != b"missing":
                offset += int(header[2]) + 1  # a tree or a submodule: skip its body
            continue
        size = int(header[2])
        found[path] = out[offset : offset + size]
        offset += size + 1
    return found


def write_files(files: dict[str, bytes], scratch: Path) -> None:
    """Lay ``files`` (repository-relative paths) out below ``scratch``; unsafe paths refused."""
    for path, data in files.items():
        parts = PurePosixPath(path)
        if parts.is_absolute() or ".." in parts.parts:
            raise BaselineError(f"refusing to materialise unsafe path {path!r} from git")
        target = scratch / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _run_all(commands: Sequence[Sequence[str]], top: Path, ok: tuple[int, ...]) -> list[bytes]:
    """Run git commands concurrently (a work-tree and a ref scan overlap on two cores)."""
    try:
        procs = [
            subprocess.Popen(
                ["git", *args], cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for args in commands
        ]
    except FileNotFoundError:
        raise BaselineError("git is not installed (or not on PATH)") from None
    outputs = []
    for args, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate()
        if proc.returncode not in ok:
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise BaselineError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
        outputs.append(out)
    return outputs


@dataclass(slots=True)
class Scan:
    """One side (work tree or a ref) of a contracts directory, as git sees it cheaply."""

    files: list[str]  # every file matching the pathspecs, relative to the top
    matches: dict[str, list[str]]  # file → the text each pattern matched in it, in order


def scan(
    top: Path,
    patterns: Sequence[str],
    directory: str,
    suffixes: Sequence[str],
    refs: Sequence[str | None],
) -> list[Scan]:
    """For each ref (None: the work tree, tracked, untracked and ignored files alike, as a
    directory walk sees them), the files below ``directory`` ending in ``suffixes`` and what
    the POSIX extended ``patterns`` match in them (``git grep -o``), all sides at once."""
    base = "" if directory in ("", ".") else directory.rstrip("/") + "/"
    specs = [f":(glob){base}**/*{suffix}" for suffix in suffixes]
    commands: list[list[str]] = []
    for ref in refs:
        grep = ["grep", "-o", "-z", "-E", *(a for p in patterns for a in ("-e", p))]
        if ref is None:
            commands.append([*grep, "--untracked", "--no-exclude-standard", "--", *specs])
            commands.append(["ls-files", "-z", "--cached", "--others", "--", *specs])
            commands.append(["ls-files", "-z", "--deleted", "--", *specs])
        else:
            commands.append([*grep, ref, "--", *specs])
            commands.append(["ls-tree", "-r", "-z", "--name-only", ref, "--", base or "."])
            commands.append(["version"])  # keeps three outputs per side
    outputs = _run_all(commands, top, ok=(0, 1))  # grep exits 1 when nothing matched
    sides = []
    for index, ref in enumerate(refs):
        found, listing, deleted = outputs[3 * index : 3 * index + 3]
        prefix = f"{ref}:" if ref is not None else ""
        matches: dict[str, list[str]] = {}
        for line in found.decode("utf-8", "surrogateescape").split("\n"):
            path, sep, text = line.partition("\0")
            if sep:
                matches.setdefault(path.removeprefix(prefix), []).append(text)
        names = listing.decode("utf-8", "surrogateescape").split("\0")
        # The index still lists files deleted from the work tree.
        gone = set(deleted.decode("utf-8", "surrogateescape").split("\0")) if ref is None else ()
        files = [f for f in dict.fromkeys(names) if f.endswith(tuple(suffixes)) and f not in gone]
        sides.append(Scan(files, matches))
    return sides
