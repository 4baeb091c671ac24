"""``contractctl check``: the compatibility gate."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

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
from contractctl.core.vocab.findings import Report

if TYPE_CHECKING:
    from contractctl.core.registry.config import RegistrySettings

_LEVELS = "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE"


def _hide_compatible(report: Report) -> Report:
    """The report without the info-level list of compatible changes (text and github only)."""
    kept = [f for f in report.findings if not f.extra.get("compatible")]
    hidden = len(report.findings) - len(kept)
    if not hidden:
        return report
    headline = f"{report.summary.get('headline', '')} ({hidden} compatible change"
    headline += f"{'s' * (hidden != 1)} not listed; --show-compatible lists them)"
    return replace(report, findings=kept, summary={**report.summary, "headline": headline})


@app.command(
    epilog="Examples: contractctl check (each event's versions against one another); "
    "contractctl check --against git:origin/main --format github; "
    "contractctl check contracts/orders --against ./release-1.4/contracts --level FULL",
)
def check(
    paths: PathsArgument = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            "-a",
            metavar="BASELINE",
            help="Baseline: git:REF, a directory of contracts (or of pulled registry schemas), "
            "or registry. Default: `baseline` in contractctl.yaml, else the tree's own history.",
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            metavar="LEVEL",
            help=f"Override every contract's compatibility level: {_LEVELS}.",
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", metavar="POLICY", help="JSON Schema policy: STRICT (default) or LENIENT."
        ),
    ] = None,
    show_compatible: Annotated[
        bool,
        typer.Option(
            "--show-compatible",
            "--verbose",
            "-v",
            help="Also list compatible changes in text/github output (json always has them).",
        ),
    ] = False,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Against git:REF, judge every contract (default: what changed since REF, "
            "with the same findings for it).",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.text,
    fail_on: FailOnOption = FailOn.error,
    output: OutputOption = None,
    # -- registry options (issue 4) --
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry",
            metavar="URL",
            help="Registry URL(s) for --against registry (implies it); overrides "
            "contractctl.yaml and CONTRACTCTL_REGISTRY_URL.",
        ),
    ] = None,
    server_verify: Annotated[
        bool,
        typer.Option(
            "--server-verify",
            help="With --against registry: also ask the registry's compatibility endpoint "
            "and report where it disagrees.",
        ),
    ] = False,
    no_cache: NoCacheOption = False,
) -> int:
    """Check schema compatibility against earlier versions, with version discipline.

    Every change is reported with its rule ID; breaking ones name the consumers they break.
    A breaking change needs a new major version or a reviewed accepted_breaks entry.
    Exit codes: 0 compatible, 1 findings at --fail-on, 2 usage, 3 unreadable input or
    baseline, 4 registry unreachable.
    """
    from contractctl.app.check import CheckRequest
    from contractctl.app.check import check as run_check
    from contractctl.core.errors import UsageError
    from contractctl.core.vocab.levels import Level, Policy

    try:
        level_value = Level.parse(level).value if level else None
        policy_value = Policy.parse(policy).value if policy else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = state.load_config()
    settings: RegistrySettings | None = None
    if registry is not None or (server_verify and against == "registry"):
        # Only here: the registry settings' module is a tenth of a small check's imports.
        from contractctl.cli.publish import registry_settings
        from contractctl.core.registry.config import RegistrySettings

        if against not in (None, "registry"):
            raise UsageError("--registry needs --against registry (or no --against)")
        _, found = registry_settings(registry)
        assert isinstance(found, RegistrySettings)
        settings = found
        against = "registry"
    elif server_verify:
        raise UsageError("--server-verify needs --against registry")
    outcome = run_check(
        CheckRequest(
            paths=paths or (),
            config=config,
            against=against,
            level=level_value,
            policy=policy_value,
            registry=settings,
            server_verify=server_verify,
            all=all_,
            cache=not no_cache,
        )
    )
    report = outcome.report
    if not show_compatible and fmt in (OutputFormat.text, OutputFormat.github):
        report = _hide_compatible(report)
    return emit_report(report, fmt, fail_on, output, input_errors=outcome.input_errors)
