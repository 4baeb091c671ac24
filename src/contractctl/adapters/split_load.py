"""Loading a big tree of contracts in two processes (a ``core.contract.loader.Spread``).

Parsing the YAML is most of a large ``docs build``'s serial time (about 9 s of 20,000
contracts), and each file loads alone: a forked child loads the second part of the files
and hands the contracts back pickled, while this process loads the first part. The result
is what one process would have loaded, in the same order (the loader joins the parts).

Unpickling costs this process about a tenth of what parsing the same files would, after the
child's part is in: this process takes a little more than half of the files so that both
finish together.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path

from contractctl.core.contract.loader import LoadResult

_PARALLEL_FILES = 2000  # below this a second process costs more than it saves
_OWN_SHARE = 0.53  # of the files, loaded here; the rest by the child


def split_load(files: list[Path], load: Callable[[list[Path]], LoadResult]) -> list[LoadResult]:
    """``load`` the first part of ``files`` here and the rest in a forked child."""
    if (
        len(files) < _PARALLEL_FILES
        or (os.cpu_count() or 1) < 2
        or not hasattr(os, "fork")
        # Forking beside other threads (``docs serve``'s server) could leave the child
        # waiting on a lock one of them held.
        or threading.active_count() > 1
    ):
        return [load(files)]
    cut = round(len(files) * _OWN_SHARE)
    mine, theirs = files[:cut], files[cut:]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child's own coverage is not collected)
        os.close(read)
        _child(theirs, load, write)
    os.close(write)
    try:
        first = load(mine)
    finally:
        with os.fdopen(read, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(pid, 0)
    second = None
    if os.waitstatus_to_exitcode(status) == 0:
        # The bytes come from this process's own forked child, through a pipe no other
        # process holds: they are as trusted as the process itself.
        second = pickle.loads(data)
    if not isinstance(second, LoadResult):
        # The child failed (killed, out of memory, a bug): its part is loaded here, so
        # whatever went wrong is reported as one process would have reported it.
        second = load(theirs)
    return [first, second]


def _child(
    files: list[Path], load: Callable[[list[Path]], LoadResult], fd: int
) -> None:  # pragma: no cover
    code = 0
    try:
        data = pickle.dumps(load(files), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:  # the parent loads this part itself instead
        code = 70
    finally:
        os._exit(code)
