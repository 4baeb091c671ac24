"""Whether a command's run remembers its parses on disk (``.contractctl/cache``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import remembering


def _in_ci() -> bool:
    # Every CI service sets CI (GitHub, GitLab, CircleCI, Buildkite, Jenkins via plugins...).
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@contextmanager
def parse_cache(config: Config, enabled: bool = True) -> Iterator[None]:
    """Within the block, contract parses come from and go to the project's cache, unless
    ``enabled`` is off (``--no-cache``) or the config says ``cache: false``. Unset, it is on
    except in CI: a fresh checkout has nothing to recall and would only pay for the writes
    (``cache: true`` where the CI keeps the folder between runs)."""
    wanted = config.cache if config.cache is not None else not _in_ci()
    if not (enabled and wanted):
        yield
        return
    from contractctl.adapters.parse_cache import open_cache

    cache = open_cache(config.root)
    try:
        with remembering(cache):
            yield
    finally:
        if cache is not None:
            cache.close()
