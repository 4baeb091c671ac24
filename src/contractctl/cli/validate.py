"""``contractctl validate``."""

from __future__ import annotations

from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import (
    FailOn,
    FailOnOption,
    FormatOption,
    NoCacheOption,
    OutputFormat,
    OutputOption,
    PathsArgument,
    emit_report,
)
from contractctl.cli.root import app


@app.command(
    epilog="Example: contractctl validate contracts/ --format github",
)
def validate(
    paths: PathsArgument = None,
    fmt: FormatOption = OutputFormat.text,
    fail_on: FailOnOption = FailOn.error,
    output: OutputOption = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help="A git ref: validate only the contracts changed since it (and those they "
            "affect), with the findings a full run gives for them.",
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Validate contracts: structure, schemas, examples, references and governance rules."""
    from contractctl.app.validate import ValidateRequest
    from contractctl.app.validate import validate as run_validate

    config = state.load_config()
    outcome = run_validate(
        ValidateRequest(
            paths=paths or (), config=config, changed_since=changed_since, cache=not no_cache
        )
    )
    return emit_report(outcome.report, fmt, fail_on, output, input_errors=outcome.input_errors)
