"""``contractctl codegen python``: generate pydantic v2 models from the contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import PathsArgument
from contractctl.cli.root import app
from contractctl.core.errors import ExitCode

codegen_app = typer.Typer(
    name="codegen", help="Generate code from the contracts.", no_args_is_help=True,
    epilog="Example: contractctl codegen python -o build/models contracts/",
    rich_markup_mode=None,
)  # fmt: skip
app.add_typer(codegen_app, name="codegen")


@codegen_app.command(
    "python",
    epilog="Example: contractctl codegen python -o build/models contracts/ "
    "(add --check in CI to fail when the models are out of date)",
)
def python(
    paths: PathsArgument = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",
            metavar="DIR",
            help="The package folder to write [default: codegen.out, models].",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 and show a diff when out of date."),
    ] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", metavar="DIR", help="A folder of templates overriding the bundled ones."
        ),
    ] = None,
) -> int:
    """One pydantic v2 model module per event version, in a package laid out by domain."""
    from contractctl.app.codegen import CodegenRequest, generate

    report = generate(
        CodegenRequest(
            paths=paths or (),
            out=out,
            check=check,
            templates=templates,
            config=state.load_config(),
        )
    )
    for finding in report.failed:
        where = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "")
        typer.echo(f"{where}: not generated: {finding.message}", err=True)
    failed = int(ExitCode.INPUT) if report.failed else None
    out = report.out
    for name in report.kept:
        typer.echo(f"kept {name}: edited since it was generated, or its contract failed", err=True)
    if check:
        if report.drift:
            typer.echo(report.diff, nl=False)
            changed = len(report.written) + len(report.removed)
            typer.echo(f"{out}: {changed} file(s) out of date; run without --check", err=True)
            return failed or int(ExitCode.FINDINGS)
        typer.echo(f"{out}: up to date ({report.modules} modules)")
        return failed or int(ExitCode.OK)
    typer.echo(
        f"{out}: {len(report.written)} written, {len(report.unchanged)} unchanged,"
        f" {len(report.removed)} removed ({report.modules} modules)"
    )
    return failed or int(ExitCode.OK)
