"""``contractctl docs build``: render the event catalog as a static site."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import PathsArgument
from contractctl.cli.root import app
from contractctl.core.errors import ExitCode

docs_app = typer.Typer(
    name="docs", help="Render the event catalog.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(docs_app, name="docs")


class DocsFormat(StrEnum):
    html = "html"
    markdown = "markdown"


@docs_app.command(
    "build",
    epilog="Example: contractctl docs build --out site contracts/",
)
def build(
    paths: PathsArgument = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the site into.")] = Path(
        "site"
    ),
    fmt: Annotated[
        DocsFormat, typer.Option("--format", "-f", help="html (default) or markdown (a wiki).")
    ] = DocsFormat.html,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="A folder of templates that override the bundled ones by file name.",
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The site title.")] = "Event catalog",
) -> int:
    """Build a static catalog: events by domain, event and service pages, flow diagrams."""
    from contractctl.app.docs import DocsRequest, build_docs

    report = build_docs(
        DocsRequest(
            paths=paths or (),
            out=out,
            format=fmt.value,
            templates=templates,
            title=title,
            config=state.load_config(),
        )
    )
    typer.echo(
        f"wrote {len(report.files)} files to {report.out} "
        f"({report.events} events, {report.contracts} contracts, {report.services} services)"
    )
    unreadable = [f for f in report.findings if f.extra.get("input_error")]
    for f in unreadable:
        typer.echo(f"error: {f.file}: {f.message}", err=True)
    return int(ExitCode.INPUT if unreadable else ExitCode.OK)
