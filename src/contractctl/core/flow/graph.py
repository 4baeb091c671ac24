"""The choreography as a graph: who emits which event, who reacts, and what is wrong with it.

Nodes are services and events (an event is a name across all its versions); edges are
``produces`` (service → event), ``consumes`` (event → service) and ``compensates`` (event →
the compensation event its error policy names). Everything is sorted so that exports and
the rendered site are byte-identical for the same contracts.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from contractctl.core.contract.model import Contract, SemVer
from contractctl.core.rules import graph as rules
from contractctl.core.vocab.findings import Finding

PRODUCES = "produces"
CONSUMES = "consumes"
COMPENSATES = "compensates"


@dataclass(frozen=True, slots=True)
class EventNode:
    name: str
    domain: str
    versions: tuple[str, ...]  # oldest first
    latest: str
    deprecated: bool  # the latest version is deprecated
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    compensation: tuple[str, ...]  # event names the error policies name
    declared: bool = True  # False for compensation events with no contract at all


@dataclass(frozen=True, slots=True)
class Edge:
    source: str  # node id: "service:<name>" or "event:<name>"
    target: str
    kind: str


@dataclass(slots=True)
class FlowGraph:
    services: tuple[str, ...]
    events: dict[str, EventNode]
    edges: tuple[Edge, ...]
    cycles: tuple[tuple[str, ...], ...] = ()
    findings: list[Finding] = field(default_factory=list)

    def produced_by(self, service: str) -> list[str]:
        return [e.name for e in self.events.values() if service in e.producers]

    def consumed_by(self, service: str) -> list[str]:
        return [e.name for e in self.events.values() if service in e.consumers]

    def subgraph(self, event_names: Iterable[str]) -> FlowGraph:
        """The events named, their producers and consumers, and compensation links among them."""
        keep = set(event_names)
        events = {n: e for n, e in self.events.items() if n in keep}
        services = sorted({s for e in events.values() for s in (*e.producers, *e.consumers)})
        ids = {service_id(s) for s in services} | {event_id(n) for n in events}
        edges = tuple(e for e in self.edges if e.source in ids and e.target in ids)
        return FlowGraph(tuple(services), events, edges)


def service_id(name: str) -> str:
    return f"service:{name}"


def event_id(name: str) -> str:
    return f"event:{name}"


def _version_key(version: str) -> tuple[int, SemVer | str]:
    try:
        return (0, SemVer.parse(version))
    except ValueError:
        return (1, version)


def _event_name(ref: str) -> str:
    """Compensation entries may pin a version (``orders.OrderCancelled@1.0.0``)."""
    return ref.split("@", 1)[0].strip()


def build_graph(contracts: Sequence[Contract]) -> FlowGraph:
    """Build the flow graph and run every analysis on it."""
    by_name: dict[str, list[Contract]] = defaultdict(list)
    for c in contracts:
        by_name[c.name].append(c)
    events: dict[str, EventNode] = {}
    for name in sorted(by_name):
        versions = sorted(by_name[name], key=lambda c: _version_key(c.version))
        latest = versions[-1]
        events[name] = EventNode(
            name=name,
            domain=latest.domain,
            versions=tuple(c.version for c in versions),
            latest=latest.version,
            deprecated=latest.deprecated is not None,
            producers=tuple(sorted({c.producer for c in versions if c.producer})),
            consumers=tuple(sorted({k.service for c in versions for k in c.consumers})),
            compensation=tuple(
                sorted(
                    {
                        _event_name(ref)
                        for c in versions
                        if c.error_policy
                        for ref in c.error_policy.compensation
                        if _event_name(ref)
                    }
                )
            ),
        )
    for name in sorted({comp for e in list(events.values()) for comp in e.compensation}):
        if name not in events:
            domain = name.rpartition(".")[0] or "default"
            events[name] = EventNode(name, domain, (), "", False, (), (), (), declared=False)
    events = dict(sorted(events.items()))

    edges: set[Edge] = set()
    for e in events.values():
        for p in e.producers:
            edges.add(Edge(service_id(p), event_id(e.name), PRODUCES))
        for s in e.consumers:
            edges.add(Edge(event_id(e.name), service_id(s), CONSUMES))
        for comp in e.compensation:
            if comp != e.name:
                edges.add(Edge(event_id(e.name), event_id(comp), COMPENSATES))
    services = tuple(sorted({s for e in events.values() for s in (*e.producers, *e.consumers)}))
    graph = FlowGraph(services, events, tuple(sorted(edges, key=_edge_key)))
    graph.cycles = tuple(service_cycles(graph))
    graph.findings = analyse(graph, by_name)
    return graph


def _edge_key(e: Edge) -> tuple[str, str, str]:
    return (e.source, e.target, e.kind)


def service_cycles(graph: FlowGraph) -> list[tuple[str, ...]]:
    """One representative cycle per strongly connected group of services, sorted."""
    succ: dict[str, set[str]] = defaultdict(set)
    for e in graph.events.values():
        for p in e.producers:
            succ[p].update(e.consumers)
    components = _tarjan(list(graph.services), succ)
    cycles: list[tuple[str, ...]] = []
    for comp in components:
        members = set(comp)
        start = min(comp)
        if len(comp) == 1 and start not in succ[start]:
            continue
        cycles.append(_cycle_through(start, members, succ))
    return sorted(cycles)


def _tarjan(nodes: list[str], succ: dict[str, set[str]]) -> list[list[str]]:
    # Iterative Tarjan: 50 services recurse fine, generated corpora of thousands might not.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(succ[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(succ[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                result.append(sorted(comp))
    return result


def _cycle_through(start: str, members: set[str], succ: dict[str, set[str]]) -> tuple[str, ...]:
    """The shortest cycle from ``start`` back to itself inside one component (BFS)."""
    parent: dict[str, str] = {}
    queue = [start]
    seen = {start}
    while queue:
        node = queue.pop(0)
        for nxt in sorted(succ[node] & members):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return (*reversed(path), start)
            if nxt not in seen:
                seen.add(nxt)
                parent[nxt] = node
                queue.append(nxt)
    return (start, start)


_RULES = {r.id: r for r in rules.GRAPH_RULES}


def _finding(rule: str, message: str, contract: Contract | None, pointer: str = "") -> Finding:
    rule_rec = _RULES[rule]
    return Finding(
        rule_id=rule,
        severity=rule_rec.severity,
        message=message,
        file=str(contract.path) if contract else None,
        line=contract.line_of(pointer) if contract else None,
        pointer=pointer or None,
        hint=rule_rec.hint,
        event=contract.id if contract else None,
    )


def analyse(graph: FlowGraph, by_name: dict[str, list[Contract]]) -> list[Finding]:
    """Every flow finding; each rule is judged over the whole graph."""
    latest = {n: max(cs, key=lambda c: _version_key(c.version)) for n, cs in by_name.items()}
    out: list[Finding] = []
    for name, e in graph.events.items():
        if not e.declared:
            continue
        c = latest[name]
        if not e.consumers:
            out.append(_finding(rules.UNCONSUMED, f"no service consumes {name}", c, "/consumers"))
        if e.consumers and not e.producers:
            who = ", ".join(e.consumers)
            out.append(
                _finding(rules.NO_PRODUCER, f"{who} consume {name}, which no service produces", c)
            )
        for comp in e.compensation:
            target = graph.events[comp]
            if target.producers:
                continue
            why = "has no contract" if not target.declared else "has no producer"
            idx = _compensation_index(c, comp)
            out.append(
                _finding(
                    rules.COMPENSATION_NOT_EMITTED,
                    f"compensation event {comp} of {name} {why}: no service emits it",
                    c,
                    f"/error_policy/compensation/{idx}" if idx is not None else "/error_policy",
                )
            )
    for name in sorted(by_name):
        for c in sorted(by_name[name], key=lambda c: _version_key(c.version)):
            if c.deprecated is None:
                continue
            for i, k in enumerate(c.consumers):
                repl = f"; use {c.deprecated.replaced_by}" if c.deprecated.replaced_by else ""
                out.append(
                    _finding(
                        rules.DEPRECATED_CONSUMED,
                        f"{k.service} consumes deprecated {c.id}{repl}",
                        c,
                        f"/consumers/{i}",
                    )
                )
    for cyc in graph.cycles:
        out.append(_finding(rules.CYCLE, "services form a cycle: " + " → ".join(cyc), None))
    return sorted(out, key=lambda f: (f.rule_id, f.message, f.file or ""))


def _compensation_index(c: Contract, comp: str) -> int | None:
    if c.error_policy is None:
        return None
    for i, ref in enumerate(c.error_policy.compensation):
        if _event_name(ref) == comp:
            return i
    return None


# -- exports -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # a big catalog's flows name each node many times
def mermaid_id(text: str, prefix: str = "n_") -> str:
    """A Mermaid node id for ``text``, distinct for distinct texts (``svc a``, ``svc_a`` and
    ``svc-a`` get three ids). Mermaid ids are safe in ASCII letters, digits and ``_`` only,
    so ``_`` is written ``__`` and every other character ``_`` plus its code point in hex
    plus ``_``: a prefix-free code, hence injective. The prefix keeps ids off Mermaid's
    keywords (``end``, ``graph``)."""
    out = [prefix]
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        else:
            out.append(f"_{ord(ch):x}_")
    return "".join(out)


def _label(node: str) -> str:
    return node.split(":", 1)[1]


def _mm(text: str) -> str:
    """Mermaid label text: quotes, angle brackets and backticks as entity codes Mermaid
    understands, on one line, so no name can close the label or the Markdown fence."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(raw, code)
    return text


def to_mermaid(graph: FlowGraph) -> str:
    lines = ["flowchart LR"]
    for s in graph.services:
        lines.append(f'  {mermaid_id(service_id(s))}(["{_mm(s)}"])')
    for n, e in graph.events.items():
        label = n + (" (deprecated)" if e.deprecated else "")
        label += "" if e.declared else " (no contract)"
        lines.append(f'  {mermaid_id(event_id(n))}["{_mm(label)}"]')
    for edge in graph.edges:
        arrow = "-. compensates .->" if edge.kind == COMPENSATES else "-->"
        lines.append(f"  {mermaid_id(edge.source)} {arrow} {mermaid_id(edge.target)}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: FlowGraph) -> str:
    lines = ["digraph choreography {", "  rankdir=LR;", "  node [fontname=Helvetica];"]
    for s in graph.services:
        lines.append(
            f"  {_dot_quote(service_id(s))} [label={_dot_quote(s)}, shape=box, style=rounded];"
        )
    for n, e in graph.events.items():
        style = "dashed" if e.deprecated or not e.declared else "solid"
        lines.append(
            f"  {_dot_quote(event_id(n))} [label={_dot_quote(n)}, shape=note, style={style}];"
        )
    for edge in graph.edges:
        attrs = " [style=dashed, color=red, label=compensates]" if edge.kind == COMPENSATES else ""
        lines.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def finding_dict(f: Finding) -> dict[str, object]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "pointer": f.pointer,
        "event": f.event,
    }


def to_json(graph: FlowGraph) -> str:
    doc = {
        "services": list(graph.services),
        "events": [
            {
                "name": e.name,
                "domain": e.domain,
                "versions": list(e.versions),
                "latest": e.latest or None,
                "deprecated": e.deprecated,
                "declared": e.declared,
                "producers": list(e.producers),
                "consumers": list(e.consumers),
                "compensation": list(e.compensation),
            }
            for e in graph.events.values()
        ],
        "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in graph.edges],
        "cycles": [list(c) for c in graph.cycles],
        "findings": [finding_dict(f) for f in graph.findings],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


EXPORTERS = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}

__all__ = [
    "COMPENSATES",
    "CONSUMES",
    "EXPORTERS",
    "PRODUCES",
    "Edge",
    "EventNode",
    "FlowGraph",
    "build_graph",
]


def to_svg(
    graph: FlowGraph, href: Callable[[str], str | None] | None = None, title: str = "Flow"
) -> str:
    """The graph drawn by :mod:`svg_layout`; ``href`` maps a node id to a link (or None)."""
    from contractctl.core.flow.svg_layout import Link, Node, render_svg

    link = href or (lambda _node: None)
    nodes = [Node(service_id(s), s, "service", link(service_id(s))) for s in graph.services]
    for n, e in graph.events.items():
        kind = (
            "event" + (" deprecated" if e.deprecated else "") + ("" if e.declared else " missing")
        )
        tip = n + (f" {e.latest}" if e.latest else "") + (" (deprecated)" if e.deprecated else "")
        nodes.append(Node(event_id(n), n, kind, link(event_id(n)) if e.declared else None, tip))
    links = [Link(e.source, e.target, e.kind) for e in graph.edges]
    return render_svg(nodes, links, title=title)
