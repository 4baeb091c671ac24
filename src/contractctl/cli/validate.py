"""``contractctl validate``."""

from __future__ import annotations

from contractctl.cli import state
from contractctl.cli.app import app
from contractctl.cli.common import (
    FailOn,
    FailOnOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    PathsArgument,
    emit_report,
)


@app.command(
    epilog="Example: contractctl validate contracts/ --format github",
)
def validate(
    paths: PathsArgument = None,
    fmt: FormatOption = OutputFormat.text,
    fail_on: FailOnOption = FailOn.error,
    output: OutputOption = None,
) -> int:
    """Validate contracts: structure, schemas, examples, references and governance rules."""
    from contractctl.app.validate import ValidateRequest
    from contractctl.app.validate import validate as run_validate

    config = state.load_config()
    fetcher = None
    if config.allow_remote_refs:
        from contractctl.adapters.remote_refs import fetch_json

        fetcher = fetch_json
    outcome = run_validate(ValidateRequest(paths=paths or (), config=config, fetcher=fetcher))
    return emit_report(outcome.report, fmt, fail_on, output, input_errors=outcome.input_errors)
