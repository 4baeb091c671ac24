"""``contractctl diff``: the changes between two schemas or contracts."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import OutputOption, write_atomic
from contractctl.cli.root import app


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(
    epilog="Examples: contractctl diff old.json new.json; "
    "contractctl diff git:origin/main:contracts/orders/order-placed.v1.yaml "
    "contracts/orders/order-placed.v1.yaml --format markdown >> CHANGELOG.md",
)
def diff(
    old: Annotated[
        str,
        typer.Argument(metavar="OLD", help="Old side: schema file, contract file or git:REF:path."),
    ],
    new: Annotated[
        str,
        typer.Argument(metavar="NEW", help="New side: schema file, contract file or git:REF:path."),
    ],
    level: Annotated[
        str,
        typer.Option(
            "--level",
            metavar="LEVEL",
            help="Compatibility level to judge at (default FULL: both ways).",
        ),
    ] = "FULL",
    policy: Annotated[
        str,
        typer.Option("--policy", metavar="POLICY", help="JSON Schema policy: STRICT or LENIENT."),
    ] = "STRICT",
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format: text, json or markdown.")
    ] = DiffFormat.text,
    output: OutputOption = None,
    reference: Annotated[
        list[Path] | None,
        typer.Option(
            "--reference",
            "-r",
            metavar="FILE",
            help="An .avsc file defining Avro named types the two sides use (repeatable).",
        ),
    ] = None,
) -> int:
    """Show every change between OLD and NEW: rule ID, location, directions it breaks, why.

    Each change is listed once, as it happened (OLD → NEW), compatible ones too.

    Exit codes: 0 compatible at --level, 1 breaking, 2 usage, 3 unreadable input.
    """
    from contractctl.app.diff import DiffRequest, as_dict, to_markdown, to_text
    from contractctl.app.diff import diff as run_diff
    from contractctl.core.errors import UsageError
    from contractctl.core.vocab.levels import Level, Policy

    try:
        level_value, policy_value = Level.parse(level).value, Policy.parse(policy).value
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    result = run_diff(
        DiffRequest(
            old,
            new,
            level=level_value,
            policy=policy_value,
            config=state.load_config(),
            references=list(reference or []),
        )
    )
    if fmt is DiffFormat.json:
        text = json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
    elif fmt is DiffFormat.markdown:
        text = to_markdown(result)
    else:
        text = to_text(result)
    if output is not None:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
    return 0 if result.compatible else 1
