"""Whether a command's run remembers its parses on disk (``.contractctl/cache``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import remembering


@contextmanager
def parse_cache(config: Config, enabled: bool = True) -> Iterator[None]:
    """Within the block, contract parses come from and go to the project's cache, unless
    ``enabled`` is off (``--no-cache``) or the config says ``cache: false``."""
    if not (enabled and config.cache):
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
