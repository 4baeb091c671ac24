"""``contractctl publish``: register contract schemas in the schema registry."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli import state
from contractctl.cli.common import PathsArgument, TextOrJson
from contractctl.cli.root import app

RegistryOption = Annotated[
    str | None,
    typer.Option(
        "--registry",
        metavar="URL",
        help="Registry URL(s), comma-separated for failover; overrides contractctl.yaml and "
        "CONTRACTCTL_REGISTRY_URL. Default: the configured registry, else the embedded one.",
    ),
]


def registry_settings(registry: str | None) -> tuple[object, object]:
    """(config, settings) from contractctl.yaml, the environment and ``--registry``."""
    from contractctl.core.registry.config import (
        RegistryOverrides,
        parse_registry_settings,
    )

    config = state.load_config()
    urls = tuple(u.strip() for u in registry.split(",") if u.strip()) if registry else None
    settings = parse_registry_settings(
        config.registry,
        env=os.environ,
        overrides=RegistryOverrides(urls=urls),
        base_dir=config.root,
    )
    state.SECRETS.update(settings.secrets)
    if state.DEBUG:
        import logging

        logging.basicConfig(level=logging.WARNING, format="debug: %(message)s")
        logging.getLogger("contractctl.registry").setLevel(logging.DEBUG)
        sys.stderr.write(f"debug: registry: {settings.describe()}\n")
    return config, settings


@app.command(
    epilog="Example: contractctl publish --dry-run   (then: contractctl publish)",
)
def publish(
    paths: PathsArgument = None,
    registry: RegistryOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; register nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Register schemas the local check finds incompatible (the registry still "
            "applies its own level).",
        ),
    ] = False,
    fmt: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="Output format: text or json.")
    ] = TextOrJson.text,
) -> int:
    """Register each contract's schema under its subject (idempotent; checks first)."""
    from contractctl.app.publish import PublishRequest, load_publishable
    from contractctl.app.publish import publish as run_publish
    from contractctl.cli.registry_render import render_publish
    from contractctl.core.contract.config import Config
    from contractctl.core.errors import ExitCode
    from contractctl.core.registry.config import RegistrySettings

    config, settings = registry_settings(registry)
    assert isinstance(config, Config)
    assert isinstance(settings, RegistrySettings)
    ready = load_publishable([Path(p) for p in paths or ()], config)
    errors = ready.load_errors or ready.schema_errors
    if errors:
        for f in errors:
            sys.stderr.write(
                state.redact(f"error: {f.file}:{f.line or 0}: {f.rule_id}: {f.message}") + "\n"
            )
        sys.stderr.write(
            "publish: nothing registered; fix the contracts first (see `contractctl validate`)\n"
        )
        return int(ExitCode.INPUT if ready.load_errors else ExitCode.FINDINGS)
    report = run_publish(
        PublishRequest(
            contracts=ready.contracts,
            settings=settings,
            root=config.root,
            default_level=config.compatibility,
            policy=config.policy,
            dry_run=dry_run,
            force=force,
        )
    )
    if fmt is TextOrJson.json:
        body = {
            "registry": report.registry,
            "dry_run": report.dry_run,
            "outcomes": [o.to_json() for o in report.outcomes],
            "exit_code": int(report.exit_code),
        }
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
    else:
        render_publish(report)
    return int(report.exit_code)
