"""``contractctl rules``, ``contractctl schema`` and ``contractctl init``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli.root import app


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(epilog="Example: contractctl rules --format json")
def rules(
    fmt: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = RulesFormat.text,
) -> int:
    """List every rule with its ID, category, default severity and the directions it breaks."""
    from contractctl.app.catalogue import rules_json, rules_markdown, rules_rows

    if fmt is RulesFormat.json:
        sys.stdout.write(json.dumps(rules_json(), indent=2) + "\n")
    elif fmt is RulesFormat.markdown:
        sys.stdout.write(rules_markdown())
    else:
        import shutil

        from contractctl.cli.text_report import render_rules

        # Off a terminal nothing wraps: a pipe or a log keeps one line per rule.
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(render_rules(rules_rows(), width))
    return 0


class SchemaKind(StrEnum):
    contract = "contract"
    report = "report"
    config = "config"


@app.command(epilog="Example: contractctl schema > docs/contract.schema.json")
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="contract (default), report or config.")
    ] = SchemaKind.contract,
) -> int:
    """Print a JSON Schema: of contract files (for editors), the JSON report, or the config."""
    from contractctl.core.contract.config import CONFIG_SCHEMA
    from contractctl.core.contract.format import CONTRACT_SCHEMA
    from contractctl.reporting.json_report import REPORT_SCHEMA

    documents = {
        SchemaKind.contract: CONTRACT_SCHEMA,
        SchemaKind.report: REPORT_SCHEMA,
        SchemaKind.config: CONFIG_SCHEMA,
    }
    sys.stdout.write(json.dumps(documents[kind], indent=2) + "\n")
    return 0


@app.command(epilog="Example: contractctl init my-project")
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to scaffold (default: here).")
    ] = Path(),
) -> int:
    """Scaffold contractctl.yaml and one example contract; never overwrites a file."""
    from contractctl.app.scaffold import scaffold

    for path in scaffold(directory):
        typer.echo(f"created {path}")
    here = directory.resolve() == Path.cwd().resolve()
    typer.echo(
        "next: contractctl validate" if here else f"next: cd {directory} && contractctl validate"
    )
    return 0
