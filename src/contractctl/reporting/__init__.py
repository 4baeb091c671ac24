"""Renderings of a ``Report`` for machines and reviewers: json, github, junit, sarif,
markdown (no terminal code)."""

from __future__ import annotations

from collections.abc import Callable

from contractctl.core.vocab.findings import Report

FORMATS = ("text", "json", "github", "junit", "sarif", "markdown")


def renderer(fmt: str) -> Callable[[Report], str]:
    """The renderer for a machine format (json renders at the default fail-on level)."""
    if fmt == "json":
        from contractctl.reporting import json_report

        return json_report.render
    if fmt == "github":
        from contractctl.reporting import github

        return github.render
    if fmt == "junit":
        from contractctl.reporting import junit

        return junit.render
    if fmt == "sarif":
        from contractctl.reporting import sarif

        return sarif.render
    if fmt == "markdown":
        from contractctl.reporting import markdown

        return markdown.render
    raise ValueError(f"no machine renderer for {fmt!r}")
