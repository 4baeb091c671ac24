"""``contractctl import registry | asyncapi``: adopt an existing estate as contract files."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.publish import RegistryOption, registry_settings
from contractctl.cli.root import app

import_app = typer.Typer(
    help="Adopt an existing schema registry or AsyncAPI document as contract files.",
    epilog="Example: contractctl import asyncapi asyncapi.yaml --output contracts/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")

OutputDir = Annotated[
    Path, typer.Option("--output", "-o", metavar="DIR", help="Folder to write the contracts to.")
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")
]


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[
    ImportFormat, typer.Option("--format", "-f", help="Output format: text or json.")
]


SHOWN = 20  # written files listed in text output; kept (hand-edited) ones are always listed


def _out(text: str) -> None:
    sys.stdout.write(state.redact(text))  # a registry URL may carry credentials


def _render(report: object, fmt: ImportFormat) -> None:
    from contractctl.app.adopt_write import ImportReport
    from contractctl.core.adoption.manifest import FileAction

    assert isinstance(report, ImportReport)
    if fmt is ImportFormat.json:
        _out(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
        return
    verb = "would write" if report.dry_run else "wrote"
    written = [
        (p, a) for p, a in sorted(report.actions.items())
        if a in (FileAction.CREATE, FileAction.UPDATE)
    ]  # fmt: skip
    for path, action in written[:SHOWN]:
        _out(f"{action.value:9} {report.output / path}\n")
    if len(written) > SHOWN:
        _out(f"…         and {len(written) - SHOWN} more (--format json lists all)\n")
    for path, kept in sorted(report.actions.items()):
        if kept is FileAction.KEPT:
            _out(f"kept      {report.output / path} (edited by hand; not overwritten)\n")
    for subject, why in report.skipped:
        _out(f"skipped   {subject}: {why}\n")
    for line in report.majors:
        _out(f"major     {line} (breaks the version before it)\n")
    created = report.count(FileAction.CREATE) + report.count(FileAction.UPDATE)
    subjects = f" of {report.subjects} subjects" if report.subjects else ""
    _out(
        f"{report.contracts} contracts{subjects} from {report.source}: "
        f"{verb} {created} files, {report.count(FileAction.UNCHANGED)} unchanged, "
        f"{report.count(FileAction.KEPT)} kept\n"
    )
    if report.contracts and not report.dry_run:
        _out(f"next: contractctl validate {report.output}  (lists what to fill in)\n")


@import_app.command(
    "registry",
    epilog="Example: contractctl import registry --registry http://localhost:8081 "
    "--subject 'orders.*' --output contracts/",
)
def registry(
    output: OutputDir,
    subject: Annotated[
        list[str] | None,
        typer.Option(
            "--subject",
            "-s",
            metavar="PATTERN",
            help="Glob pattern of subjects to import (repeatable).",
        ),
    ] = None,
    registry: RegistryOption = None,
    dry_run: DryRun = False,
    fmt: FormatOpt = ImportFormat.text,
) -> int:
    """Write one contract per subject version, with schemas, references and levels."""
    from contractctl.app.adopt_registry import RegistryImportRequest, import_registry
    from contractctl.core.contract.config import Config
    from contractctl.core.registry.config import RegistrySettings

    config, settings = registry_settings(registry)
    assert isinstance(config, Config)
    assert isinstance(settings, RegistrySettings)
    report = import_registry(
        RegistryImportRequest(
            settings, output, tuple(subject or ()), root=config.root, dry_run=dry_run
        )
    )
    _render(report, fmt)
    return 0


@import_app.command(
    "asyncapi",
    epilog="Example: contractctl import asyncapi asyncapi.yaml --output contracts/",
)
def asyncapi(
    document: Annotated[
        Path, typer.Argument(metavar="FILE", help="The AsyncAPI document (YAML or JSON).")
    ],
    output: OutputDir,
    dry_run: DryRun = False,
    fmt: FormatOpt = ImportFormat.text,
) -> int:
    """Write one contract per message of an AsyncAPI 2.x or 3.x document."""
    from contractctl.app.adopt_asyncapi import AsyncApiImportRequest, import_asyncapi
    from contractctl.core.errors import UsageError

    if not document.is_file():
        raise UsageError(f"{document}: no such file")
    report = import_asyncapi(AsyncApiImportRequest(document, output, dry_run=dry_run))
    _render(report, fmt)
    return 0
