"""The catalog's view model: everything a docs page shows, computed once from the contracts.

Templates only lay this out. Every list is sorted and every URL derives from names alone, so
the same contracts give the same site, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from contractctl.core.catalog.flows import FlowView, diagram, flow_view
from contractctl.core.contract.model import Consumer, Contract, SemVer
from contractctl.core.errors import ContractctlError
from contractctl.core.flow.graph import FlowGraph, build_graph
from contractctl.core.schema.table import FieldRow, field_rows
from contractctl.core.vocab.findings import Finding

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(text: str) -> str:
    """A file name that is the same on every OS and needs no URL escaping."""
    cleaned = _UNSAFE.sub("_", text).strip(".")
    return cleaned or "_"


@dataclass(frozen=True, slots=True)
class ChangeView:
    rule_id: str
    path: str
    direction: str
    breaking: bool
    message: str


@dataclass(slots=True)
class VersionView:
    contract: Contract
    url: str  # relative to the site root
    rows: list[FieldRow]
    raw_schema: str
    examples: list[tuple[str, str | None, str]]  # (name, description, pretty JSON)
    previous: str | None = None
    changes: list[ChangeView] | None = None  # None: no previous version or engine missing


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
    svg: str = ""  # its neighbourhood: what it emits and consumes, and who is on the other end


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


def _version_key(c: Contract) -> tuple[int, SemVer | str]:
    try:
        return (0, c.semver)
    except ValueError:
        return (1, c.version)


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def _changes(old: Contract, new: Contract) -> list[ChangeView] | None:
    """Schema changes between consecutive versions; None when they cannot be computed."""
    if old.schema.format != new.schema.format:
        return None
    try:
        from contractctl.core.compat.engine import check_compatibility
        from contractctl.core.contract.payload import resolved_schema

        result = check_compatibility(
            resolved_schema(old),
            resolved_schema(new),
            schema_type=new.schema.schema_type,
            level="FULL",
            named={**old.schema.named_types, **new.schema.named_types},
        )
    except ImportError:  # the compatibility engine for this format is not installed yet
        return None
    except (ContractctlError, ValueError, TypeError, KeyError):
        return None  # a schema the engine cannot judge gets no change list, not a failed build
    seen: set[tuple[str, str, str]] = set()
    out: list[ChangeView] = []
    for ch in result.changes:
        key = (ch.rule_id, ch.path, str(ch.direction.value))
        if key in seen:
            continue
        seen.add(key)
        out.append(ChangeView(ch.rule_id, ch.path, ch.direction.value, ch.breaking, ch.message))
    return sorted(out, key=lambda c: (c.path, c.rule_id, c.direction))


def event_url(name: str) -> str:
    return f"events/{slug(name)}.html"


def version_url(name: str, version: str) -> str:
    return f"events/{slug(name)}/{slug(version)}.html"


def service_url(name: str) -> str:
    return f"services/{slug(name)}.html"


def flow_url(domain: str | None) -> str:
    return "flows/index.html" if domain is None else f"flows/{slug(domain)}.html"


def _flow_href(node: str) -> str:
    kind, _, name = node.partition(":")
    return "../" + (service_url(name) if kind == "service" else event_url(name))


def build_site_model(
    contracts: Sequence[Contract], *, title: str = "Event catalog", changes: bool = True
) -> SiteModel:
    graph = build_graph(contracts)
    by_name: dict[str, list[Contract]] = defaultdict(list)
    for c in contracts:
        by_name[c.name].append(c)

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
                    rows=field_rows(c.schema.format, c.schema.document),
                    raw_schema=_pretty(c.schema.document),
                    examples=[(e.name, e.description, _pretty(e.payload)) for e in c.examples],
                    previous=prev.version if prev else None,
                    changes=_changes(prev, c) if prev and changes else None,
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
                findings=[f for f in graph.findings if f.event and f.event.split("@")[0] == name],
            )
        )
    by_event = {e.name: e for e in events}

    domains: dict[str, list[EventView]] = defaultdict(list)
    for e in events:
        domains[e.domain].append(e)

    services: list[ServiceView] = []
    for s in graph.services:
        produced = [by_event[n] for n in graph.produced_by(s) if n in by_event]
        consumed: list[tuple[EventView, Consumer]] = []
        for ev in events:
            # The newest version that lists the service: older pins still count as reading.
            for v in ev.versions:
                k = next((k for k in v.contract.consumers if k.service == s), None)
                if k is not None:
                    consumed.append((ev, k))
                    break
        comp = [n for n in graph.produced_by(s) if _is_compensation(graph, n)]
        services.append(ServiceView(s, slug(s), service_url(s), produced, consumed, comp))

    dead_letters = {
        e.name: e.contract.error_policy.dead_letter
        for e in events
        if e.contract.error_policy and e.contract.error_policy.dead_letter
    }
    for svc in services:
        near = graph.subgraph([*graph.produced_by(svc.name), *graph.consumed_by(svc.name)])
        svc.svg = diagram(near, _flow_href, dead_letters, f"Flow around {svc.name}")

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
        )

    flows = [flow(graph, None, "The whole choreography")]
    for domain in sorted(domains):
        names = [e.name for e in domains[domain]]
        flows.append(flow(graph.subgraph(_with_neighbours(graph, names)), domain, domain))

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
    )


def _is_compensation(graph: FlowGraph, name: str) -> bool:
    return any(name in e.compensation for e in graph.events.values())


def _with_neighbours(graph: FlowGraph, names: list[str]) -> list[str]:
    """A domain's events plus the compensation events they name, to show the saga's way back."""
    out = set(names)
    for n in names:
        out.update(graph.events[n].compensation)
    return sorted(out)
