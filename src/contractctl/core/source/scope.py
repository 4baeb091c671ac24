"""Which folders a project's inputs may come from: the one test of "inside the project"."""

from __future__ import annotations

from pathlib import Path

from contractctl.core.source import trail


def outside_roots(
    path: Path,
    roots: tuple[Path, ...],
    *,
    roots_resolved: bool = False,
    path_resolved: bool = False,
) -> str | None:
    """Why ``path`` may not be read (it resolves outside every root), or None if it may.

    Resolving first means a symlink inside a root that points elsewhere counts as elsewhere.
    ``roots_resolved``: the caller resolved ``roots`` already (a loader reading thousands of
    files resolves its roots once; each resolution costs a system call per folder);
    ``path_resolved``: ``path`` is the result of resolving, which succeeded.
    """
    try:
        target = path if path_resolved else trail.resolve(path)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
        return f"cannot resolve {path}: {exc}"
    for root in roots:
        try:
            if target.is_relative_to(root if roots_resolved else trail.resolve(root)):
                return None
        except (OSError, RuntimeError):
            continue
    shown = ", ".join(str(r) for r in roots)
    return (
        f"{path} is outside the project root ({shown}); "
        "list its folder under extra_roots in contractctl.yaml to allow it"
    )
