"""Use case ``docs build``: load contracts, compute the catalog, render it to a folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from contractctl.core.contract.loader import load_contracts
from contractctl.core.vocab.findings import Finding

FORMATS = ("html", "markdown")


@dataclass(frozen=True, slots=True)
class DocsRequest:
    paths: Sequence[Path]
    out: Path
    format: str = "html"
    templates: Path | None = None  # a folder whose templates override the bundled ones
    title: str = "Event catalog"
    config: object | None = None  # core.config.Config, when the CLI loaded one


@dataclass(slots=True)
class DocsReport:
    out: Path
    files: list[Path] = field(default_factory=list)
    events: int = 0
    contracts: int = 0
    services: int = 0
    findings: list[Finding] = field(default_factory=list)  # load problems and flow findings


def build_docs(request: DocsRequest) -> DocsReport:
    # Imported here so `contractctl graph` and `export` never pay for jinja2.
    from contractctl.adapters.site_render import render_site
    from contractctl.core.catalog.model import build_site_model
    from contractctl.core.contract.config import Config

    config = request.config if isinstance(request.config, Config) else None
    loaded = load_contracts(list(request.paths), config)
    model = build_site_model(loaded.contracts, title=request.title)
    files = render_site(model, request.out, request.format, request.templates)
    return DocsReport(
        out=request.out,
        files=files,
        events=len(model.events),
        contracts=len(loaded.contracts),
        services=len(model.services),
        findings=sorted([*loaded.findings, *model.findings], key=Finding.sort_key),
    )
