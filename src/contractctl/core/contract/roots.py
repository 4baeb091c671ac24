"""The project's roots: the folders whose files a contract may name (``schema.file``,
``references``, example files, ``$ref``s). Everything else is refused, so a contract cannot
pull ``../../outside/creds.json`` into a registry, a catalog or an export."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from contractctl.core.contract.config import CONFIG_NAMES, Config


def project_roots(config: Config, near: Path | None = None) -> tuple[Path, ...]:
    """Where the files a contract names may live.

    The folder of contractctl.yaml (else the git work tree around the working directory,
    else the working directory); for contracts ``near`` a folder (or file) outside that
    project, their own project found the same way from there (else that folder itself);
    then the config's ``extra_roots``.
    """
    base = config.root.resolve() if config.file is not None else _enclosing(config.root.resolve())
    roots = [base]
    if near is not None:
        own = _enclosing((near if near.is_dir() else near.parent).resolve())
        if not own.is_relative_to(base):
            roots.append(own)
    roots.extend((config.root / extra).resolve() for extra in config.extra_roots)
    return tuple(roots)


@lru_cache(maxsize=256)
def _enclosing(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` holding contractctl.yaml or ``.git``, else
    ``folder`` itself."""
    for candidate in (folder, *folder.parents):
        if any((candidate / name).is_file() for name in CONFIG_NAMES):
            return candidate
        if (candidate / ".git").exists():
            return candidate
    return folder
