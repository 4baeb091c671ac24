"""Options every reporting command shares, and turning a ``Report`` into output + exit code."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.core.errors import ExitCode, UsageError
from contractctl.core.vocab.findings import Report, Severity


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"
    markdown = "markdown"


class TextOrJson(StrEnum):
    """The formats of commands that print a report of their own (publish, registry)."""

    text = "text"
    json = "json"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: text, json, github (also appends markdown to "
        "$GITHUB_STEP_SUMMARY when set), junit, sarif or markdown (a review summary).",
    ),
]
FailOnOption = Annotated[
    FailOn,
    typer.Option("--fail-on", help="Exit 1 when a finding reaches this severity (or never)."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to this file instead of stdout."
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the parse cache in .contractctl/cache (also `cache: false` "
        "in contractctl.yaml).",
    ),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATH…",
        show_default=False,
        help="Contract files or directories (default: the contracts directory from "
        "contractctl.yaml, else ./contracts).",
    ),
]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _append_summary(path: Path, text: str) -> None:
    """Append to the step summary GitHub gives the job (other steps write to it too)."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write GITHUB_STEP_SUMMARY {path}: {exc.strerror}") from None


def emit_report(
    report: Report,
    fmt: OutputFormat,
    fail_on: FailOn,
    output: Path | None = None,
    *,
    input_errors: int = 0,
) -> int:
    """Render ``report`` and return the exit code (3 input errors, 1 findings, 0 clean)."""
    threshold = Severity(fail_on.value) if fail_on is not FailOn.never else None
    if input_errors:
        code = int(ExitCode.INPUT)
    elif threshold is not None and report.fails(threshold):
        code = int(ExitCode.FINDINGS)
    else:
        code = int(ExitCode.OK)
    if fmt is OutputFormat.text:
        from contractctl.cli.text_report import render_text

        if output is not None:
            raise UsageError("--output needs a machine format (json, github, junit, sarif)")
        render_text(report, color=not state.NO_COLOR, failed=code != 0)
    else:
        from contractctl.reporting import renderer

        if fmt is OutputFormat.json:
            from contractctl.reporting.json_report import render as render_json

            text = render_json(report, threshold or Severity.ERROR)
        else:
            text = renderer(fmt.value)(report)
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if fmt is OutputFormat.github and summary:
            _append_summary(Path(summary), renderer("markdown")(report))
    return code
