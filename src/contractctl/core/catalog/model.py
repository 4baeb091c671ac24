"""The catalog's view model: everything a docs page shows, computed once from the contracts.

Templates only lay this out. Every list is sorted and every URL derives from names alone, so
the same contracts give the same site, byte for byte.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from contractctl.core.catalog.changes import ChangeView, VersionDiff, version_changes
from contractctl.core.catalog.flows import FlowView, diagram, flow_view, neighbourhood
from contractctl.core.catalog.observed import ObservedFlow
from contractctl.core.contract.model import Consumer, Contract, SemVer
from contractctl.core.contract.payload import resolved_schema
from contractctl.core.errors import ContractctlError
from contractctl.core.flow.graph import FlowGraph, build_graph
from contractctl.core.flow.saga import find_sagas, saga_mermaid, saga_svg
from contractctl.core.schema.table import FieldRow, field_rows
from contractctl.core.vocab.findings import Finding
from contractctl.core.vocab.pathnames import component

# Rows in the one events table of index.html (about 1 KB each with their search data).
# Above this the index lists the domains and each domain gets its own searchable table
# page, so a 20,000-contract catalog (5,000 events) has no 5 MB front page.
INDEX_EVENTS_UP_TO = 1500


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """The page name for a contract name: one safe, bounded path component, distinct for
    distinct names (``svc a``, ``svc_a`` and ``svc/a`` get three pages) even on a
    case-insensitive file system (``Orders`` and ``orders`` too); ``index`` is kept for the
    pages the catalog names itself. Remembered: every link to a page asks for its name
    again (an event's name alone, ~20 times per site)."""
    return component(text, reserved=("index",), case_safe=True)


@dataclass(slots=True)
class VersionView:
    """One version's page. Its field table, pretty JSON and change list are computed when
    a page first reads them, once: a site drawn by two processes then computes each
    event's in the process that draws that event's pages, not all of them before."""

    contract: Contract
    url: str  # relative to the site root
    previous_contract: Contract | None = None  # the version before, when changes are listed
    previous: str | None = None
    diff_url: str | None = None  # the page of the changes from ``previous``
    source: str = ""  # the contract file, relative to the repository root
    source_url: str | None = None  # the file in the repository's web view, when configured
    _rows: list[FieldRow] | None = None
    _raw_schema: str | None = None
    _examples: list[tuple[str, str | None, str]] | None = None
    _diff: VersionDiff | None = None
    _diffed: bool = False

    @property
    def rows(self) -> list[FieldRow]:
        if self._rows is None:
            self._rows = _rows(self.contract)
        return self._rows

    @property
    def raw_schema(self) -> str:
        if self._raw_schema is None:
            self._raw_schema = _pretty(self.contract.schema.document)
        return self._raw_schema

    @property
    def examples(self) -> list[tuple[str, str | None, str]]:
        """(name, description, pretty JSON) of each example."""
        if self._examples is None:
            self._examples = [
                (e.name, e.description, _pretty(e.payload)) for e in self.contract.examples
            ]
        return self._examples

    @property
    def diff(self) -> VersionDiff | None:
        """None: no previous version, or not computable."""
        if not self._diffed:
            old = self.previous_contract
            self._diff = version_changes(old, self.contract) if old is not None else None
            self._diffed = True
        return self._diff

    @property
    def changes(self) -> list[ChangeView] | None:
        return self.diff.changes if self.diff is not None else None

    def forget(self) -> None:
        """Drop what was computed for pages already drawn; a later read computes it again."""
        self._rows = self._raw_schema = self._examples = self._diff = None
        self._diffed = False


@dataclass(slots=True)
class EventView:
    name: str
    slug: str
    domain: str
    url: str
    latest: VersionView
    versions: list[VersionView]  # newest first
    services: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    search_terms: tuple[str, ...] = ()  # owners and tags of its producers and consumers

    @property
    def contract(self) -> Contract:
        return self.latest.contract


@dataclass(slots=True)
class ServiceView:
    name: str
    slug: str
    url: str
    produces: list[EventView]
    consumes: list[tuple[EventView, Consumer]]
    compensates: list[str]  # compensation events it emits
    owners: tuple[str, ...] = ()
    description: str | None = None
    repository: str | None = None
    tags: tuple[str, ...] = ()
    declared: bool = False  # listed under ``services:`` in contractctl.yaml
    # What its drawing needs; the drawing is made when its page first reads it (in the
    # process that draws that page), not for every service before the render.
    _around: tuple[FlowGraph, Mapping[str, str]] | None = None
    _svg: str | None = None

    @property
    def svg(self) -> str:
        """Its neighbourhood: what it emits and consumes, and who is on the other end;
        empty for a service with neither."""
        if self._svg is None:
            self._svg = ""
            if self._around is not None and (self.produces or self.consumes):
                graph, dead_letters = self._around
                around = neighbourhood(graph, self.name)
                self._svg = diagram(around, _flow_href, dead_letters, f"Flow around {self.name}")
        return self._svg


@dataclass(slots=True)
class TeamView:
    """An owner: the events and services it owns, and what its services consume."""

    name: str
    slug: str
    url: str
    events: list[EventView] = field(default_factory=list)
    services: list[ServiceView] = field(default_factory=list)
    consumes: list[tuple[EventView, ServiceView]] = field(default_factory=list)


@dataclass(slots=True)
class SiteModel:
    title: str
    events: list[EventView]
    domains: list[tuple[str, list[EventView]]]
    services: list[ServiceView]
    flows: list[FlowView]
    graph: FlowGraph
    findings: list[Finding]
    filters: dict[str, list[str]]
    teams: list[TeamView] = field(default_factory=list)
    split_index: bool = False  # index.html lists domains; domains/<d>.html list events


def _version_key(c: Contract) -> tuple[int, SemVer | str]:
    try:
        return (0, c.semver)
    except ValueError:
        return (1, c.version)


def _pretty(value: Any) -> str:
    # orjson writes the same text as the json module (indent 2, non-ASCII as is) several
    # times faster; a float (whose exponent form differs), an integer past 64 bits, a
    # non-string key or a lone surrogate goes through the json module as before.
    if _plain(value):
        with contextlib.suppress(orjson.JSONEncodeError):
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def _plain(value: Any) -> bool:
    """Whether ``value`` holds only strings, small integers, booleans, None, string-keyed
    dicts and lists (walked level by level: schemas are what it is asked about)."""
    level = [value]
    while level:
        below: list[Any] = []
        for v in level:
            t = type(v)
            if t is dict:
                if any(type(k) is not str for k in v):
                    return False
                below.extend(v.values())
            elif t is list:
                below.extend(v)
            elif t is int:
                if not -(1 << 63) <= v < 1 << 64:
                    return False
            elif t is not str and t is not bool and v is not None:
                return False
        level = below
    return True


def _rows(c: Contract) -> list[FieldRow]:
    """Field rows with external refs bundled in, so their fields show like local ones."""
    document = c.schema.document
    if c.schema.format == "jsonschema":
        # A broken reference is validate's to report; the page then shows the ref as written.
        with contextlib.suppress(ContractctlError, OSError, ValueError):
            document = resolved_schema(c)
    return field_rows(c.schema.format, document, c.schema.named_types)


def event_url(name: str) -> str:
    return f"events/{slug(name)}.html"


def version_url(name: str, version: str) -> str:
    return f"events/{slug(name)}/{slug(version)}.html"


def diff_url(name: str, old: str, new: str) -> str:
    # One bounded component for the pair: two 5,000-digit versions still make a file name.
    return f"events/{slug(name)}/{component(f'changes-{old}-to-{new}', case_safe=True)}.html"


def service_url(name: str) -> str:
    return f"services/{slug(name)}.html"


def domain_index_url(domain: str) -> str:
    return f"domains/{slug(domain)}.html"


def team_url(name: str) -> str:
    return f"teams/{slug(name)}.html"


def source_path(path: Path, root: Path | None) -> str:
    """The contract's path relative to the repository root; never an absolute path."""
    return _relative(path, _resolved(root))


def _resolved(root: Path | None) -> str | None:
    try:
        return str(root.resolve()) if root is not None else None
    except (OSError, RuntimeError):
        return None


def _relative(path: Path, root: str | None, folders: dict[str, str] | None = None) -> str:
    """``source_path`` against a root resolved once per build, not once per contract;
    ``folders`` remembers the folders resolved so far (see ``_real``)."""
    if root is not None:
        try:
            rel = os.path.relpath(_real(path, folders), root)
        except (OSError, ValueError):
            rel = ""
        if rel and not rel.startswith(".."):
            return Path(rel).as_posix()
    return path.as_posix() if not path.is_absolute() else path.name


def _real(path: Path, folders: dict[str, str] | None) -> str:
    """``path.resolve()``. A file that is not itself a symlink lies where its folder
    resolves to, so with ``folders`` each folder is resolved once: resolving every one of
    20,000 contracts' paths (a stat per component) was a second of the catalog's model."""
    if folders is None or ".." in path.parts or os.path.islink(path):
        return str(path.resolve())
    folder, name = os.path.split(os.path.join(os.getcwd(), path))
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = str(Path(folder).resolve())
    return os.path.join(real, name)


def flow_url(domain: str | None) -> str:
    return "flows/index.html" if domain is None else f"flows/{slug(domain)}.html"


def _flow_href(node: str) -> str:
    kind, _, name = node.partition(":")
    # Page names are percent-encoded: the link escapes the "%" again.
    return "../" + quote(service_url(name) if kind == "service" else event_url(name))


def build_site_model(
    contracts: Sequence[Contract],
    *,
    title: str = "Event catalog",
    changes: bool = True,
    declared: Mapping[str, Mapping[str, Any]] | None = None,
    source_root: Path | None = None,
    repository_url: str | None = None,
    observed: Sequence[ObservedFlow] = (),
    graph: FlowGraph | None = None,
) -> SiteModel:
    """``declared`` holds the ``services:`` section of contractctl.yaml (owner, description,
    repository, tags); ``source_root`` is what footers' paths are relative to, and links
    go to ``repository_url``/path when it is set; ``graph`` is ``build_graph(contracts)``
    when the caller already built it."""
    graph = graph if graph is not None else build_graph(contracts)
    root = _resolved(source_root)
    folders: dict[str, str] = {}
    by_name: dict[str, list[Contract]] = defaultdict(list)
    for c in contracts:
        by_name[c.name].append(c)

    # Grouped once: scanning every finding for each event made the catalog quadratic.
    event_findings: dict[str, list[Finding]] = defaultdict(list)
    for f in graph.findings:
        if f.event:
            event_findings[f.event.split("@")[0]].append(f)

    events: list[EventView] = []
    for name in sorted(by_name):
        ordered = sorted(by_name[name], key=_version_key)
        views: list[VersionView] = []
        for i, c in enumerate(ordered):
            prev = ordered[i - 1] if i else None
            views.append(
                VersionView(
                    contract=c,
                    url=version_url(name, c.version),
                    previous_contract=prev if changes else None,
                    previous=prev.version if prev else None,
                    diff_url=diff_url(name, prev.version, c.version) if prev else None,
                    source=(src := _relative(c.path, root, folders)),
                    source_url=f"{repository_url.rstrip('/')}/{src}" if repository_url else None,
                )
            )
        views.reverse()
        node = graph.events[name]
        events.append(
            EventView(
                name=name,
                slug=slug(name),
                domain=ordered[-1].domain,
                url=event_url(name),
                latest=views[0],
                versions=views,
                services=sorted({*node.producers, *node.consumers}),
                findings=event_findings.get(name, []),
            )
        )
    by_event = {e.name: e for e in events}

    domains: dict[str, list[EventView]] = defaultdict(list)
    for e in events:
        domains[e.domain].append(e)

    services = _services(graph, events, by_event, declared or {})
    by_service = {svc.name: svc for svc in services}
    for ev in events:
        near = [by_service[n] for n in ev.services if n in by_service]
        ev.search_terms = tuple(sorted({t for svc in near for t in (*svc.owners, *svc.tags)}))
    dead_letters = {
        e.name: e.contract.error_policy.dead_letter
        for e in events
        if e.contract.error_policy and e.contract.error_policy.dead_letter
    }
    for svc in services:
        svc._around = (graph, dead_letters)

    saga_views: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # by start's domain
    for saga in find_sagas(graph, {e.name: e.contract.tags for e in events}):
        for path in saga.paths:
            drawn = (path.title, saga_svg(path, f"Saga {path.title}"), saga_mermaid(path))
            saga_views[graph.events[saga.start].domain].append(drawn)

    def flow(part: FlowGraph, domain: str | None, title: str) -> FlowView:
        return flow_view(
            part,
            slug="index" if domain is None else slug(domain),
            url=flow_url(domain),
            title=title,
            href=_flow_href,
            domain_href=lambda d: slug(d) + ".html",
            dead_letters=dead_letters,
            whole=domain is None,
            findings=graph.findings,
            sagas=[v for d in sorted(saga_views) for v in saga_views[d]]
            if domain is None
            else saga_views.get(domain, []),
        )

    flows = [flow(graph, None, "The whole choreography")]
    for domain in sorted(domains):
        names = [e.name for e in domains[domain]]
        flows.append(flow(graph.subgraph(_with_neighbours(graph, names)), domain, domain))
    for view in flows:  # each verified workflow on the pages that hold its first event
        shown = set(view.events)
        view.observed = [o for o in observed if view.slug == "index" or o.flow in shown]

    filters = {
        "domain": sorted(domains),
        "owner": sorted({e.contract.owner for e in events if e.contract.owner}),
        "producer": sorted({p for n in graph.events.values() for p in n.producers}),
        "consumer": sorted({k for n in graph.events.values() for k in n.consumers}),
        "tag": sorted({t for e in events for t in e.contract.tags}),
    }
    return SiteModel(
        title=title,
        events=events,
        domains=[(d, domains[d]) for d in sorted(domains)],
        services=services,
        flows=flows,
        graph=graph,
        findings=graph.findings,
        filters=filters,
        teams=_teams(events, services),
        split_index=len(events) > INDEX_EVENTS_UP_TO,
    )


def _services(
    graph: FlowGraph,
    events: list[EventView],
    by_event: dict[str, EventView],
    declared: Mapping[str, Mapping[str, Any]],
) -> list[ServiceView]:
    """One view per service used by a contract or declared; linear in events and versions."""
    produced: dict[str, list[EventView]] = defaultdict(list)
    compensation = {c for node in graph.events.values() for c in node.compensation}
    for node in graph.events.values():
        for p in node.producers:
            if node.name in by_event:
                produced[p].append(by_event[node.name])
    consumed: dict[str, list[tuple[EventView, Consumer]]] = defaultdict(list)
    for ev in events:
        # The newest version that lists a service: older pins still count as reading.
        first: dict[str, Consumer] = {}
        for v in ev.versions:
            for k in v.contract.consumers:
                first.setdefault(k.service, k)
        for name, k in sorted(first.items()):
            consumed[name].append((ev, k))
    out: list[ServiceView] = []
    for s in sorted({*graph.services, *declared}):
        info = declared.get(s, {})
        owner = info.get("owner", ())
        out.append(
            ServiceView(
                s,
                slug(s),
                service_url(s),
                produced.get(s, []),
                consumed.get(s, []),
                [e.name for e in produced.get(s, []) if e.name in compensation],
                owners=(owner,) if isinstance(owner, str) else tuple(owner),
                description=info.get("description"),
                repository=info.get("repository"),
                tags=tuple(info.get("tags", ())),
                declared=s in declared,
            )
        )
    return out


def _teams(events: list[EventView], services: list[ServiceView]) -> list[TeamView]:
    teams: dict[str, TeamView] = {}

    def team(name: str) -> TeamView:
        if name not in teams:
            teams[name] = TeamView(name, slug(name), team_url(name))
        return teams[name]

    for ev in events:
        if ev.contract.owner:
            team(ev.contract.owner).events.append(ev)
    for svc in services:
        for owner in svc.owners:
            t = team(owner)
            t.services.append(svc)
            t.consumes.extend((ev, svc) for ev, _ in svc.consumes)
    for t in teams.values():
        t.consumes.sort(key=lambda pair: (pair[0].name, pair[1].name))
    return [teams[n] for n in sorted(teams)]


def _with_neighbours(graph: FlowGraph, names: list[str]) -> list[str]:
    """A domain's events plus the compensation events they name, to show the saga's way back."""
    out = set(names)
    for n in names:
        out.update(graph.events[n].compensation)
    return sorted(out)
