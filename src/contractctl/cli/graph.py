"""``contractctl graph``: flow analysis of the choreography, or the graph as Mermaid/DOT/JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import (
    FailOn,
    OutputFormat,
    OutputOption,
    PathsArgument,
    emit_report,
    write_atomic,
)
from contractctl.cli.root import app
from contractctl.core.errors import ExitCode


class GraphFormat(StrEnum):
    text = "text"
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


@app.command(
    "graph",
    epilog="Examples: contractctl graph contracts/ ; contractctl graph -f mermaid -o flow.mmd",
)
def graph(
    paths: PathsArgument = None,
    fmt: Annotated[
        GraphFormat,
        typer.Option("--format", "-f", help="text: the findings; mermaid, dot, json: the graph."),
    ] = GraphFormat.text,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding reaches this severity (default: error for text, "
            "never for exports).",
        ),
    ] = None,
    output: OutputOption = None,
) -> int:
    """Report unconsumed events, missing producers, cycles, unemitted compensation events and
    consumers of deprecated events; or export the producer/consumer graph."""
    from contractctl.app.graph import GraphRequest, analyse_graph

    outcome = analyse_graph(GraphRequest(paths=paths or (), config=state.load_config()))
    if fmt is GraphFormat.text:
        if output is not None:
            fmt_out = OutputFormat.json
            return emit_report(
                outcome.report,
                fmt_out,
                fail_on or FailOn.error,
                output,
                input_errors=outcome.input_errors,
            )
        return emit_report(
            outcome.report,
            OutputFormat.text,
            fail_on or FailOn.error,
            input_errors=outcome.input_errors,
        )
    text = outcome.export(fmt.value)
    if output is not None:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
    if outcome.input_errors:
        return int(ExitCode.INPUT)
    if fail_on is not None and fail_on is not FailOn.never:
        from contractctl.core.vocab.findings import Severity

        if outcome.report.fails(Severity(fail_on.value)):
            return int(ExitCode.FINDINGS)
    return int(ExitCode.OK)
