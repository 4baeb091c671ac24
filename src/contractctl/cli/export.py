"""``contractctl export asyncapi``: the contracts as an AsyncAPI 3.0 document."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import OutputOption, PathsArgument, write_atomic
from contractctl.cli.root import app
from contractctl.core.errors import ExitCode

export_app = typer.Typer(
    name="export",
    help="Export contracts to other formats.",
    epilog="Example: contractctl export asyncapi contracts/ -o asyncapi.yaml",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")


class DocFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@export_app.command(
    "asyncapi",
    epilog="Example: contractctl export asyncapi contracts/ -o asyncapi.yaml",
)
def asyncapi(
    paths: PathsArgument = None,
    fmt: Annotated[
        DocFormat, typer.Option("--format", "-f", help="yaml (default) or json.")
    ] = DocFormat.yaml,
    output: OutputOption = None,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="info.title")
    ] = "Event contracts",
    api_version: Annotated[
        str, typer.Option("--api-version", metavar="VERSION", help="info.version of the document.")
    ] = "1.0.0",
) -> int:
    """Write channels, one send/receive operation per producer and consumer, and messages."""
    from contractctl.app.export import AsyncApiRequest, export_asyncapi

    outcome = export_asyncapi(
        AsyncApiRequest(
            paths=paths or (), config=state.load_config(), title=title, version=api_version
        )
    )
    text = outcome.text(fmt.value)
    if output is not None:
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)
    for f in outcome.input_errors:
        typer.echo(f"error: {f.file}: {f.message}", err=True)
    return int(ExitCode.INPUT if outcome.input_errors else ExitCode.OK)
