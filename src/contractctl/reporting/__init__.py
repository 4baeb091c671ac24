"""Machine-readable renderings of a ``Report``: json, github, junit, sarif (no terminal code)."""

from __future__ import annotations

from collections.abc import Callable

from contractctl.core.findings import Report

FORMATS = ("text", "json", "github", "junit", "sarif")


def renderer(fmt: str) -> Callable[[Report], str]:
    if fmt == "json":
        from contractctl.reporting.json_report import render  # noqa: PLC0415
    elif fmt == "github":
        from contractctl.reporting.github import render  # noqa: PLC0415
    elif fmt == "junit":
        from contractctl.reporting.junit import render  # noqa: PLC0415
    elif fmt == "sarif":
        from contractctl.reporting.sarif import render  # noqa: PLC0415
    else:
        raise ValueError(f"no machine renderer for {fmt!r}")
    return render
