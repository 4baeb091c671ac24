"""The catalog's flow diagrams: whole system, per domain, per service, and what each shows.

A diagram draws services, events, their dead-letter channels and the edges between them by
kind (emits, consumes, compensates, dead-letter). Above ``AGGREGATE_ABOVE`` nodes the
whole-system view is aggregated: one node per domain, one edge per pair of domains with the
number of events behind it, so the default view stays legible at any size; the per-domain
pages hold the detail. Cost is linear in the edges plus the layout of what is drawn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from contractctl.core.catalog.observed import ObservedFlow
from contractctl.core.flow.graph import (
    COMPENSATES,
    CONSUMES,
    FlowGraph,
    event_id,
    service_id,
    to_mermaid,
)
from contractctl.core.flow.svg_layout import Link, Node, render_svg
from contractctl.core.vocab.findings import Finding

# Services plus events; the bundled system has 17, the 250-event benchmark 300.
AGGREGATE_ABOVE = 120
# Dead-letter channels double the nodes; past this many events they go into the tooltips.
DEAD_LETTER_NODES_UP_TO = 20
DEAD_LETTER = "dead-letter"
# Nodes plus edges drawn inline in a page; a larger flow (a 20,000-contract domain draws
# ~4,000) goes into its own SVG file shown through <object>, and its Mermaid source into a
# .mmd file, so no page passes 2 MB. A 5,000-contract domain (~1,100) stays inline.
INLINE_ELEMENTS_UP_TO = 1500


@dataclass(frozen=True, slots=True)
class DomainLink:
    source: str
    target: str
    consumed: int  # events of ``source`` consumed by services that emit into ``target``
    compensations: int  # events of ``source`` whose compensation lives in ``target``


@dataclass(slots=True)
class FlowView:
    slug: str
    title: str
    url: str
    svg: str  # links relative to the flows/ folder
    mermaid: str
    events: list[str]
    findings: list[Finding]
    aggregated: bool = False
    domain_links: list[DomainLink] = field(default_factory=list)
    sagas: list[tuple[str, str, str]] = field(default_factory=list)  # title, SVG, Mermaid
    observed: list[ObservedFlow] = field(default_factory=list)  # from a verify report
    svg_file: str | None = None  # the SVG's own file (beside the page) when too big inline
    mermaid_file: str | None = None  # likewise for the Mermaid source


def dead_letter_id(event: str) -> str:
    # One node per event, not per channel: a channel shared by many events would otherwise
    # sit at the far end of the drawing with long edges from everywhere.
    return f"dlq:{event}"


def elements(graph: FlowGraph) -> int:
    return len(graph.services) + len(graph.events) + len(graph.edges)


def diagram(
    graph: FlowGraph,
    href: Callable[[str], str | None],
    dead_letters: Mapping[str, str],
    title: str,
    link_target: str | None = None,
) -> str:
    """Services, events and dead-letter channels of ``graph`` as one SVG."""
    nodes = [Node(service_id(s), s, "service", href(service_id(s))) for s in graph.services]
    links = [Link(e.source, e.target, e.kind) for e in graph.edges]
    channels: list[tuple[str, str]] = []
    draw_channels = len(graph.events) <= DEAD_LETTER_NODES_UP_TO
    for n, e in graph.events.items():
        kind = (
            "event" + (" deprecated" if e.deprecated else "") + ("" if e.declared else " missing")
        )
        tip = n + (f" {e.latest}" if e.latest else "") + (" (deprecated)" if e.deprecated else "")
        channel = dead_letters.get(n)
        if channel and not draw_channels:
            tip += f"; dead-letter channel {channel}"
        nodes.append(Node(event_id(n), n, kind, href(event_id(n)) if e.declared else None, tip))
        if channel and draw_channels:
            channels.append((n, channel))
            links.append(Link(event_id(n), dead_letter_id(n), DEAD_LETTER))
    nodes.extend(
        Node(dead_letter_id(n), c, "dlq", None, f"dead-letter channel {c} of {n}")
        for n, c in channels
    )
    return render_svg(nodes, links, title=title, link_target=link_target)


def neighbourhood(graph: FlowGraph, service: str) -> FlowGraph:
    """A service, the events it emits and consumes, and the services directly across them.

    Other consumers of the events it consumes are left out: they are not its neighbours,
    and in a large system they would turn every service's diagram into the whole system.
    """
    sid = service_id(service)
    mine = {n for n, e in graph.events.items() if service in e.producers or service in e.consumers}
    keep_edges = []
    for edge in graph.edges:
        kind, source, target = edge.kind, edge.source, edge.target
        if kind == COMPENSATES:
            keep = source.removeprefix("event:") in mine and target.removeprefix("event:") in mine
        elif kind == CONSUMES:  # event -> service
            event = graph.events[source.removeprefix("event:")]
            keep = target == sid or (service in event.producers)
        else:  # produces: service -> event
            event = graph.events[target.removeprefix("event:")]
            keep = source == sid or (service in event.consumers)
        if keep:
            keep_edges.append(edge)
    services = sorted(
        {e.source.removeprefix("service:") for e in keep_edges if e.source.startswith("service:")}
        | {e.target.removeprefix("service:") for e in keep_edges if e.target.startswith("service:")}
        | {service}
    )
    events = {n: graph.events[n] for n in sorted(mine)}
    return FlowGraph(tuple(services), events, tuple(keep_edges))


def domain_links(graph: FlowGraph) -> list[DomainLink]:
    """Pairs of domains linked by consumption (via the consumer's own events) or compensation.

    A service belongs to every domain it emits into; a consumer that emits nothing ends the
    flow and links no domain.
    """
    homes: dict[str, set[str]] = defaultdict(set)
    for e in graph.events.values():
        for p in e.producers:
            homes[p].add(e.domain)
    consumed: Counter[tuple[str, str]] = Counter()
    compensated: Counter[tuple[str, str]] = Counter()
    for e in graph.events.values():
        reached = {d for s in e.consumers for d in homes.get(s, ())}
        for d in reached:
            consumed[(e.domain, d)] += 1
        for d in {graph.events[c].domain for c in e.compensation if c in graph.events}:
            compensated[(e.domain, d)] += 1
    pairs = sorted({*consumed, *compensated})
    return [DomainLink(a, b, consumed[(a, b)], compensated[(a, b)]) for a, b in pairs]


def domain_diagram(
    graph: FlowGraph, links: list[DomainLink], href: Callable[[str], str], title: str
) -> str:
    counts = Counter(e.domain for e in graph.events.values())
    nodes = [
        Node(f"domain:{d}", f"{d} ({n} events)", "domain", href(d), f"open the {d} flow")
        for d, n in sorted(counts.items())
    ]
    drawn: list[Link] = []
    for dl in links:
        # One edge per pair keeps the drawing sparse; both counts go into its tooltip.
        tip = (
            f"{dl.source} → {dl.target}: {dl.consumed} events consumed, "
            f"{dl.compensations} compensations"
        )
        kind = CONSUMES if dl.consumed else COMPENSATES
        drawn.append(Link(f"domain:{dl.source}", f"domain:{dl.target}", kind, tip))
    return render_svg(nodes, drawn, title=title)


def should_aggregate(graph: FlowGraph) -> bool:
    return len(graph.services) + len(graph.events) > AGGREGATE_ABOVE


def flow_view(
    graph: FlowGraph,
    *,
    slug: str,
    url: str,
    title: str,
    href: Callable[[str], str | None],
    domain_href: Callable[[str], str],
    dead_letters: Mapping[str, str],
    whole: bool,
    findings: list[Finding],
    sagas: list[tuple[str, str, str]] | None = None,
) -> FlowView:
    """``findings`` are the whole system's; a part keeps those about its own events."""
    ids = {event_id(n) for n in graph.events}
    findings = [f for f in findings if f.event is None or event_id(f.event.split("@")[0]) in ids]
    aggregated = whole and should_aggregate(graph)
    links = domain_links(graph) if aggregated else []
    big = elements(graph) > INLINE_ELEMENTS_UP_TO
    svg = (
        domain_diagram(graph, links, domain_href, f"Flow: {title}")
        if aggregated
        else diagram(graph, href, dead_letters, f"Flow: {title}", "_top" if big else None)
    )
    return FlowView(
        slug=slug,
        title=title,
        url=url,
        svg=svg,
        mermaid=to_mermaid(graph),
        events=sorted(graph.events),
        findings=findings if whole else [f for f in findings if f.event],
        aggregated=aggregated,
        domain_links=links,
        sagas=sagas or [],
        svg_file=f"{slug}.svg" if big and not aggregated else None,
        mermaid_file=f"{slug}.mmd" if big else None,
    )
