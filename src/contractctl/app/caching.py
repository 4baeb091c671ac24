"""Whether a command's run remembers its parses and its report on disk (``.contractctl/cache``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import remembering

if TYPE_CHECKING:
    from contractctl.adapters.parse_cache import ParseCache
    from contractctl.core.vocab.findings import Report

Outcome = TypeVar("Outcome", bound="_Outcome")


def _in_ci() -> bool:
    # Every CI service sets CI (GitHub, GitLab, CircleCI, Buildkite, Jenkins via plugins...).
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@contextmanager
def parse_cache(config: Config, enabled: bool = True) -> Iterator[ParseCache | None]:
    """Within the block, contract parses come from and go to the project's cache, unless
    ``enabled`` is off (``--no-cache``) or the config says ``cache: false``. Unset, it is on
    except in CI: a fresh checkout has nothing to recall and would only pay for the writes
    (``cache: true`` where the CI keeps the folder between runs). Yields the cache, or None."""
    wanted = config.cache if config.cache is not None else not _in_ci()
    if not (enabled and wanted):
        yield None
        return
    from contractctl.adapters.parse_cache import open_cache

    cache = open_cache(config.root)
    try:
        with remembering(cache):
            yield cache
    finally:
        if cache is not None:
            cache.close()


class _Outcome(Protocol):
    @property
    def report(self) -> Report: ...

    @property
    def input_errors(self) -> int: ...


def reused(
    cache: ParseCache | None,
    command: str,
    asked: Sequence[Any],
    given: Sequence[Any],
    run: Callable[[], Outcome],
    recalled: Callable[[Report, int], Outcome],
) -> Outcome:
    """``run()``'s outcome, or one made by ``recalled`` from the report (and count of input
    errors) an earlier run left in ``cache`` when it was ``asked`` the same (the options) and
    ``given`` the same (config, date, roots), while every file and path it rested on is as
    it was (``adapters.result_cache``)."""
    if cache is None:
        return run()
    from contractctl.adapters import result_cache
    from contractctl.core.contract.facts import forget_paths
    from contractctl.core.source.trail import recording

    key = result_cache.run_key(command, asked, given)
    if key is None:
        return run()
    found = result_cache.recall(cache, command, key)
    if found is not None:
        return recalled(*found)
    forget_paths()
    with recording() as facts:
        outcome = run()
    result_cache.remember(cache, command, key, facts, outcome.report, outcome.input_errors)
    return outcome


def given_to(config: Config, today: date | None, paths: Sequence[Path]) -> list[Any]:
    """What a run is given besides its options: the effective config, the date (sunsets,
    deprecations, expiring acceptances) and the project roots."""
    return [repr(config), today.isoformat() if today else None, roots_of(config, paths)]


def roots_of(config: Config, paths: Sequence[Path]) -> list[str]:
    """The folders the contracts below each of ``paths`` may read files from: part of what a
    run is given (``core.contract.roots``)."""
    from contractctl.core.contract.roots import project_roots

    starts = list(paths) or [config.contracts_dir]
    return [str(r) for s in starts for r in project_roots(config, near=Path(s))]
