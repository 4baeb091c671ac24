"""Use case ``docs build``: load contracts, compute the catalog, render it to a folder."""

from __future__ import annotations

import gc
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from contractctl.core.catalog.observed import ObservedFlow
from contractctl.core.contract.config import Config
from contractctl.core.contract.loader import LoadResult, load_contracts
from contractctl.core.errors import ContractctlError, InputError, PagesNotBuilt
from contractctl.core.vocab.findings import Finding

if TYPE_CHECKING:
    from contractctl.core.catalog.model import SiteModel

FORMATS = ("html", "markdown")


@dataclass(frozen=True, slots=True)
class DocsRequest:
    paths: Sequence[Path]
    out: Path
    format: str = "html"
    templates: Path | None = None  # a folder whose templates override the bundled ones
    title: str = "Event catalog"
    config: object | None = None  # core.config.Config, when the CLI loaded one
    force: bool = False  # write into a non-empty folder that no docs build wrote
    verify_report: Path | None = None  # a `verify -f json` report shown on the flow pages


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

    config = request.config if isinstance(request.config, Config) else None
    # The load, the graph and the model allocate millions of objects that all survive until
    # the render, and (the YAML loader freeing its own cycles) leave almost no cyclic
    # garbage: the collector's full passes over the growing heap freed nothing and cost a
    # tenth of those steps. It pauses until the model stands; the model is then frozen
    # for the render (the collector looks only at what pages allocate: a full pass over
    # the model at 20,000 contracts costs ~0.4 s, and queueing and joining 40,000 pages
    # set off several) and let go afterwards, so a long-lived `docs serve` frees it.
    was_enabled = gc.isenabled()
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        model, loaded = _model(request, config)
        if not frozen:  # else what is frozen stays so, and nothing more joins it
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
    try:
        files = render_site(
            model, request.out, request.format, request.templates, force=request.force
        )
    finally:
        if not frozen:
            gc.unfreeze()
    return DocsReport(
        out=request.out,
        files=files,
        events=len(model.events),
        contracts=len(loaded.contracts),
        services=len(model.services),
        findings=sorted([*loaded.findings, *model.findings], key=Finding.sort_key),
    )


def _model(request: DocsRequest, config: Config | None) -> tuple[SiteModel, LoadResult]:
    from contractctl.adapters.split_load import split_load
    from contractctl.core.catalog.model import build_site_model
    from contractctl.core.flow.graph import build_graph
    from contractctl.core.source.positions import Positions

    # Only flow findings ask for a line, so each contract keeps its text rather than a JSON
    # pointer per value (half of what a load keeps) and is parsed again if one is asked for.
    # A big tree is parsed by two processes (a forked child hands its part back).
    loaded = load_contracts(list(request.paths), config, deferred_positions=True, spread=split_load)
    effective = config or Config()
    graph = build_graph(loaded.contracts)
    # The flow findings now carry their lines, and nothing after the graph reads where a
    # value sat: the texts kept for them are dropped before the catalog allocates its own.
    for c in loaded.contracts:
        c.positions = Positions()
    model = build_site_model(
        loaded.contracts,
        graph=graph,
        title=request.title,
        declared=effective.services,
        # Footers name files relative to the project (contractctl.yaml's folder, else the
        # current one), so the site never shows the build machine's absolute paths.
        source_root=effective.root if effective.file else Path.cwd(),
        repository_url=effective.docs.get("repository_url"),
        observed=_observed(request.verify_report or _configured_report(effective)),
    )
    return model, loaded


def fingerprint(
    paths: Sequence[Path], extra: Sequence[Path] = ()
) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every file under ``paths``: a change to any of them shows."""
    seen: list[tuple[str, int, int]] = []
    for root in [*paths, *extra]:
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in candidates:
            try:
                st = path.stat()
            except OSError:
                continue  # vanished between listing and stat: the next poll sees the rest
            if path.is_file():
                seen.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(seen)


def serve_docs(
    request: DocsRequest,
    *,
    port: int,
    stop: threading.Event,
    on_ready: Callable[[str, DocsReport], None],
    log: Callable[[str], None],
    poll: float = 1.0,
) -> None:
    """Build into a temporary folder, serve it on 127.0.0.1, rebuild on change until ``stop``.

    Changes are found by polling file stats every ``poll`` seconds (no watcher dependency).
    A rebuild that fails is reported through ``log`` and the last good site stays up.
    """
    from contractctl.adapters.site_server import SiteServer
    from contractctl.core.contract.config import Config

    config = request.config if isinstance(request.config, Config) else Config()
    sources = [*request.paths] or [config.contracts_dir]
    extra = [p for p in (request.templates,) if p is not None]
    with tempfile.TemporaryDirectory(prefix="contractctl-docs-") as tmp:
        site = replace(request, out=Path(tmp) / "site", format="html", force=False)
        report = build_docs(site)
        server = SiteServer(site.out, port)
        server.start()
        try:
            on_ready(server.url, report)
            seen = fingerprint(sources, extra)
            while not stop.wait(poll):
                now = fingerprint(sources, extra)
                if now == seen:
                    continue
                seen = now
                try:
                    report = build_docs(site)
                except PagesNotBuilt as exc:
                    log(f"rebuilt, but {exc}")
                    continue
                except ContractctlError as exc:
                    log(f"rebuild failed, still serving the last good site: {exc}")
                    continue
                log(
                    f"rebuilt: {report.events} events, {report.contracts} contracts, "
                    f"{len(report.files)} files"
                )
        finally:
            server.stop()


def _configured_report(config: Config) -> Path | None:
    value = config.docs.get("verify_report")
    if not isinstance(value, str) or not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else config.root / path


def _observed(path: Path | None) -> list[ObservedFlow]:
    """The flow rows of a verify JSON report; none without one."""
    if path is None:
        return []
    import json

    from contractctl.core.catalog.observed import observed_flows

    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the verify report {path}: {exc.strerror}") from None
    if len(raw) > _MAX_REPORT_BYTES:
        raise InputError(f"{path}: larger than {_MAX_REPORT_BYTES:,} bytes: not a verify report")
    try:
        report = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    return observed_flows(report, str(path))


_MAX_REPORT_BYTES = 64 * 1024 * 1024
