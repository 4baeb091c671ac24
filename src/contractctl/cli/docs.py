"""``contractctl docs build`` and ``docs serve``: render the event catalog, or preview it live."""

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
    name="docs",
    help="Render the event catalog.",
    epilog="Example: contractctl docs build -o site contracts/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(docs_app, name="docs")


class DocsFormat(StrEnum):
    html = "html"
    markdown = "markdown"


@docs_app.command(
    "build",
    epilog="Example: contractctl docs build -o site contracts/",
)
def build(
    paths: PathsArgument = None,
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", "--out", metavar="DIR", help="Folder to write the site into."
        ),
    ] = Path("site"),
    fmt: Annotated[
        DocsFormat, typer.Option("--format", "-f", help="html (default) or markdown (a wiki).")
    ] = DocsFormat.html,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A folder of templates that override the bundled ones by file name.",
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The site title.")
    ] = "Event catalog",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder that no docs build wrote (its files are kept).",
        ),
    ] = False,
    verify_report: Annotated[
        Path | None,
        typer.Option(
            "--verify-report",
            metavar="FILE",
            help="A `contractctl verify -f json` report: its workflow figures on the flow "
            "pages (default: docs.verify_report in contractctl.yaml).",
        ),
    ] = None,
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
            force=force,
            verify_report=verify_report,
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


@docs_app.command(
    "serve",
    epilog="Example: contractctl docs serve --port 8000 contracts/",
)
def serve(
    paths: PathsArgument = None,
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="PORT", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."
        ),
    ] = 8000,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A folder of templates that override the bundled ones by file name.",
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The site title.")
    ] = "Event catalog",
) -> int:
    """Serve the catalog on 127.0.0.1 and rebuild it when a contract changes (Ctrl-C stops)."""
    import threading

    from contractctl.app.docs import DocsReport, DocsRequest, serve_docs

    def ready(url: str, report: DocsReport) -> None:
        typer.echo(
            f"serving {report.events} events, {report.contracts} contracts at {url} "
            "(rebuilds on change; Ctrl-C stops)"
        )

    def log(message: str) -> None:
        typer.echo(message, err=True)

    request = DocsRequest(
        paths=paths or (),
        out=Path("."),  # replaced by a temporary folder
        templates=templates,
        title=title,
        config=state.load_config(),
    )
    try:
        serve_docs(request, port=port, stop=threading.Event(), on_ready=ready, log=log)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    return int(ExitCode.OK)
