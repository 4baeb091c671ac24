"""``contractctl registry diff``: drift between the contracts and the registry (exit 1)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import PathsArgument
from contractctl.cli.publish import RegistryOption, registry_settings
from contractctl.cli.registry import registry_app


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@registry_app.command(
    "diff",
    epilog="Example (CI): contractctl registry diff --registry https://sr.example.com "
    "|| echo 'the registry is not what the repository says'",
)
def diff(
    paths: PathsArgument = None,
    registry: RegistryOption = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = DiffFormat.text,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list the contracts that are in sync.")
    ] = False,
) -> int:
    """Is every contract's schema registered, at its level, and has every subject a contract?

    Exit 0 when the registry and the contracts agree, 1 when they differ.
    """
    from contractctl.app.registry_diff import RegistryDiffRequest, registry_diff
    from contractctl.core.adoption.drift import Drift
    from contractctl.core.contract.config import Config
    from contractctl.core.contract.loader import load_contracts
    from contractctl.core.errors import ExitCode
    from contractctl.core.registry.config import RegistrySettings

    config, settings = registry_settings(registry)
    assert isinstance(config, Config)
    assert isinstance(settings, RegistrySettings)
    loaded = load_contracts([Path(p) for p in paths or ()] or None, config)
    if loaded.input_errors:
        for f in loaded.input_errors:
            sys.stderr.write(f"error: {f.file}:{f.line or 0}: {f.rule_id}: {f.message}\n")
        return int(ExitCode.INPUT)
    report = registry_diff(
        RegistryDiffRequest(
            loaded.contracts, settings, default_level=config.compatibility, root=config.root
        )
    )
    if fmt is DiffFormat.json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif fmt is DiffFormat.markdown:
        sys.stdout.write(report.to_markdown())
    else:
        for item in report.items:
            if item.kind is Drift.IN_SYNC and not show_all:
                continue
            who = f"{item.contract} ({item.file})" if item.contract else item.subject
            sys.stdout.write(state.redact(f"{item.kind.value:15} {who}: {item.detail}") + "\n")
        drifted = len(report.drifted)
        sys.stdout.write(
            f"{'in sync' if not drifted else f'{drifted} differences'} between "
            f"{len(loaded.contracts)} contracts and {state.redact(report.registry)}\n"
        )
    return int(ExitCode.FINDINGS if report.drifted else ExitCode.OK)
