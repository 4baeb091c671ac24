"""``contractctl registry ls | show SUBJECT | pull --out DIR``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from contractctl.cli.common import TextOrJson
from contractctl.cli.publish import RegistryOption, registry_settings
from contractctl.cli.root import app

registry_app = typer.Typer(
    help="Inspect the schema registry (the configured one, else the embedded one).",
    epilog="Example: contractctl registry ls; contractctl registry pull -o baseline/",
    no_args_is_help=True,
)
app.add_typer(registry_app, name="registry")

FormatOpt = Annotated[
    TextOrJson, typer.Option("--format", "-f", help="Output format: text or json.")
]


def _request(registry: str | None) -> object:
    from contractctl.app.registry import RegistryRequest
    from contractctl.core.contract.config import Config
    from contractctl.core.registry.config import RegistrySettings

    config, settings = registry_settings(registry)
    assert isinstance(config, Config)
    assert isinstance(settings, RegistrySettings)
    return RegistryRequest(settings=settings, root=config.root)


@registry_app.command("ls", epilog="Example: contractctl registry ls --format json")
def ls(registry: RegistryOption = None, fmt: FormatOpt = TextOrJson.text) -> int:
    """List the registry's subjects."""
    from contractctl.app.registry import RegistryRequest, list_subjects

    request = _request(registry)
    assert isinstance(request, RegistryRequest)
    subjects = list_subjects(request)
    if fmt is TextOrJson.json:
        sys.stdout.write(json.dumps(subjects, indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{s}\n" for s in subjects))
    return 0


@registry_app.command("show", epilog="Example: contractctl registry show orders.order-placed-value")
def show(
    subject: Annotated[str, typer.Argument(metavar="SUBJECT", help="The subject to show.")],
    registry: RegistryOption = None,
    fmt: FormatOpt = TextOrJson.text,
) -> int:
    """Show a subject's versions, ids and compatibility level."""
    from contractctl.app.registry import RegistryRequest, show_subject
    from contractctl.cli.registry_render import render_subject

    request = _request(registry)
    assert isinstance(request, RegistryRequest)
    info = show_subject(request, subject)
    if fmt is TextOrJson.json:
        sys.stdout.write(json.dumps(info.to_json(), indent=2) + "\n")
    else:
        render_subject(info)
    return 0


@registry_app.command(
    "pull",
    epilog="Example: contractctl registry pull --out baseline/ && contractctl check "
    "--against baseline/",
)
def pull(
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", "--out", metavar="DIR", help="Directory to write the schemas to."
        ),
    ],
    subjects: Annotated[
        list[str] | None,
        typer.Argument(metavar="SUBJECT…", help="Subjects to pull (default: all)."),
    ] = None,
    registry: RegistryOption = None,
) -> int:
    """Pull registered schemas into a directory usable as an offline --against baseline."""
    from contractctl.app.registry import RegistryRequest
    from contractctl.app.registry import pull as run_pull

    request = _request(registry)
    assert isinstance(request, RegistryRequest)
    report = run_pull(request, out, subjects or ())
    sys.stdout.write(
        f"pulled {len(report.files)} schema versions of {report.subjects} subjects from "
        f"{report.registry} into {out}\n"
    )
    return 0
