"""The typer application and its global options; every command module registers on ``app``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from contractctl._version import __version__
from contractctl.cli import state

app = typer.Typer(
    name="contractctl",
    help="Govern the event contracts of a choreographed system: validate contracts, "
    "check schema compatibility, publish to a schema registry, generate models and "
    "render a catalog.\n\nExample: contractctl check contracts/",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contractctl {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            metavar="FILE",
            help="Path to contractctl.yaml (default: found upward from the current directory).",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks and debug logging.")
    ] = False,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color", help="Never colour output (also NO_COLOR=1; FORCE_COLOR=1 forces it)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    state.CONFIG_PATH = config
    state.DEBUG = debug
    # NO_COLOR (no-color.org): any non-empty value turns colour off, like --no-color.
    state.NO_COLOR = no_color or bool(os.environ.get("NO_COLOR"))
