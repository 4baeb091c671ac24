"""Command-line entry point. ``--version`` answers before importing the CLI stack."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> NoReturn:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from contractctl._version import __version__

        sys.stdout.write(f"contractctl {__version__}\n")
        sys.exit(0)
    from contractctl.cli.app import run
    from contractctl.core.contract.loader import one_shot_process

    one_shot_process()
    sys.exit(run(args))
