"""``contractctl impact EVENT[@VERSION] [--field PATH]``: consumers, what they lose, retire?"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import PathsArgument
from contractctl.cli.root import app
from contractctl.core.errors import ExitCode

if TYPE_CHECKING:
    from contractctl.core.review.usage import EventUsage


class ImpactFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _reads(reads: tuple[str, ...] | None) -> str:
    return ", ".join(reads) if reads is not None else "everything (no reads declared)"


def _text(u: EventUsage) -> str:
    lines = [
        f"{u.event}: owner {u.owner or '-'}, producer {u.producer or '-'}, "
        f"versions {', '.join(u.versions)}"
        + (f" (deprecated: {', '.join(u.deprecated)})" if u.deprecated else "")
    ]
    if u.field_known is False:
        lines.append(f"note: no version in scope declares field `{u.field_path}`")
    if not u.consumers:
        lines.append("no consumer declared")
    for c in u.consumers:
        lines.append(f"- {c.service} (owner {c.owner or 'unknown'})")
        lines.append(f"    purpose:  {c.purpose or '-'}")
        lines.append(
            f"    versions: {c.versions or 'as declared'} → reads {', '.join(c.reads_versions)}"
        )
        lines.append(f"    reads:    {_reads(c.reads)}")
        if c.loses:
            lines.append(f"    loses:    {c.loses}")
    lines.append(u.verdict + ".")
    return "\n".join(lines) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(u: EventUsage) -> str:
    title = u.event + (f"@{u.version}" if u.version else "")
    lines = [f"## Impact: {title}" + (f", field `{u.field_path}`" if u.field_path else ""), ""]
    lines.append(
        f"Owner {u.owner or '–'}, producer {u.producer or '–'}, versions {', '.join(u.versions)}."
    )
    lines.append("")
    if u.consumers:
        lines.append("| consumer | owner | purpose | versions | reads | would lose |")
        lines.append("|---|---|---|---|---|---|")
        for c in u.consumers:
            cells = (
                c.service,
                c.owner or "–",
                c.purpose or "–",
                f"{c.versions or 'as declared'} ({', '.join(c.reads_versions)})",
                _reads(c.reads),
                c.loses or "nothing",
            )
            lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
        lines.append("")
    lines.append(f"**{u.verdict}.**")
    return "\n".join(lines) + "\n"


@app.command(
    epilog="Examples: contractctl impact orders.OrderPlaced; "
    "contractctl impact orders.OrderPlaced@1.0.0; "
    "contractctl impact orders.OrderPlaced --field lines[].sku --format markdown",
)
def impact(
    target: Annotated[
        str, typer.Argument(help="EVENT or EVENT@VERSION.", metavar="EVENT[@VERSION]")
    ],
    field: Annotated[
        str | None,
        typer.Option(
            "--field", metavar="FIELD", help="A payload field path (lines[].sku): who reads it."
        ),
    ] = None,
    paths: PathsArgument = None,
    fmt: Annotated[
        ImpactFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = ImpactFormat.text,
) -> int:
    """Who consumes an event (or a version, or a field), what they would lose, and whether it
    can be retired now. Exit 0 when it can be retired, 1 when a consumer would lose it."""
    from contractctl.app.impact import ImpactRequest
    from contractctl.app.impact import impact as run_impact

    outcome = run_impact(
        ImpactRequest(
            target=target, field_path=field, paths=paths or (), config=state.load_config()
        )
    )
    usage = outcome.usage
    if fmt is ImpactFormat.json:
        sys.stdout.write(json.dumps(asdict(usage), indent=2) + "\n")
    elif fmt is ImpactFormat.markdown:
        sys.stdout.write(_markdown(usage))
    else:
        sys.stdout.write(_text(usage))
    if outcome.input_errors:
        return int(ExitCode.INPUT)
    return int(ExitCode.OK if usage.retirable else ExitCode.FINDINGS)
