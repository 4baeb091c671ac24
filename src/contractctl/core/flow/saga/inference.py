"""Which events start a saga and which report its failure, read from the contracts alone.

Producers, consumers and ``error_policy.compensation`` lists are enough; tags only override:

- a *compensation* is an event some error policy names under ``compensation``;
- a *failure* is an outcome with nothing to undo (no compensation list of its own) that its
  producer emits beside an outcome that has one (the same service, replying to what it
  consumes, also emits a compensable event), and whose consumers emit compensations:
  ``PaymentFailed`` beside ``PaymentSucceeded``, read by the service that cancels the order.
  A ``ShipmentCreated`` whose producer emits nothing else is no failure, even when a reader
  of it could emit a compensation;
- every other event is a *step*. Steps chain where a consumer of one emits the next;
- a saga *starts* where a chain of steps begins and reaches a compensable step. In the
  graph of steps and services, each source component (nothing leads into it) is a
  beginning: a service there consumes no step, so each step it emits starts a chain; a cycle
  (``ShipmentCreated`` read by the service that emits ``OrderPlaced``) starts at its event
  whose compensation undoes most (the largest closure of compensation lists: ``OrderPlaced``,
  whose ``OrderCancelled`` also releases stock and refunds), the first name on a tie.

A start tag on any event makes the tagged events the starts, and a failure tag (or the
configured ``failure_events``) makes the tagged events the failures: the contracts' authors
overrule the inference for what they mark. Linear in events, consumers and producers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from contractctl.core.flow.graph import EventNode

START_TAG = "saga-start"
FAILURE_TAG = "saga-failure"


@dataclass(frozen=True, slots=True)
class SagaRoles:
    starts: tuple[str, ...]  # sorted
    failures: frozenset[str]
    compensations: frozenset[str]


def compensation_closure(events: Mapping[str, EventNode], name: str) -> set[str]:
    """Everything the compensation of ``name`` sets off, transitively (``name`` excluded)."""
    out: set[str] = set()
    todo = list(events[name].compensation) if name in events else []
    while todo:
        n = todo.pop()
        if n in out or n == name:
            continue
        out.add(n)
        if n in events:
            todo.extend(events[n].compensation)
    return out


def _tagged(tags: Mapping[str, Sequence[str]], wanted: Iterable[str]) -> set[str]:
    keys = set(wanted)
    return {n for n, t in tags.items() if keys.intersection(t)}


def infer_roles(
    events: Mapping[str, EventNode],
    tags: Mapping[str, Sequence[str]] | None = None,
    *,
    start_tags: Sequence[str] = (START_TAG,),
    failure_tags: Sequence[str] = (FAILURE_TAG,),
    failure_events: Sequence[str] = (),
) -> SagaRoles:
    tags = tags or {}
    compensations = frozenset(c for e in events.values() for c in e.compensation)
    failures = (_tagged(tags, failure_tags) | set(failure_events)) & events.keys()
    if not failures:
        failures = _inferred_failures(events, compensations)
    steps = [n for n in events if n not in compensations and n not in failures]
    starts = _tagged(tags, start_tags) & events.keys()
    if not starts:
        starts = _inferred_starts(events, steps)
    return SagaRoles(tuple(sorted(starts)), frozenset(failures), compensations)


def _inferred_failures(events: Mapping[str, EventNode], compensations: frozenset[str]) -> set[str]:
    readers = {k for e in events.values() for k in e.consumers}
    emits_compensable = {
        p
        for e in events.values()
        if e.compensation and e.name not in compensations
        for p in e.producers
        if p in readers  # it emits in reply to something: its events are outcomes
    }
    emits_compensation = {p for c in compensations if c in events for p in events[c].producers}
    return {
        n
        for n, e in events.items()
        if n not in compensations
        and not e.compensation
        and any(p in emits_compensable for p in e.producers)
        and any(k in emits_compensation for k in e.consumers)
    }


def _inferred_starts(events: Mapping[str, EventNode], steps: list[str]) -> set[str]:
    # Nodes: steps 0..len(steps)-1, then services; step → each consumer, service → each
    # step it produces.
    index = {n: i for i, n in enumerate(steps)}
    services: dict[str, int] = {}
    edges: list[list[int]] = [[] for _ in steps]

    def service(name: str) -> int:
        if name not in services:
            services[name] = len(edges)
            edges.append([])
        return services[name]

    for n in steps:
        for k in events[n].consumers:
            edges[index[n]].append(service(k))
        for p in events[n].producers:
            edges[service(p)].append(index[n])
    component = _components(edges)
    count = max(component, default=-1) + 1
    has_input = [False] * count
    reaches = [False] * count  # a compensable step in or after the component
    for i, n in enumerate(steps):
        if events[n].compensation:
            reaches[component[i]] = True
    members: list[list[int]] = [[] for _ in range(count)]
    for node, c in enumerate(component):
        members[c].append(node)
    for c in range(count):  # numbered sinks first: every successor is already known
        for node in members[c]:
            for nxt in edges[node]:
                if component[nxt] != c:
                    has_input[component[nxt]] = True
                    reaches[c] = reaches[c] or reaches[component[nxt]]
    starts: set[str] = set()
    for c in range(count):
        if has_input[c] or not reaches[c]:
            continue
        own = [steps[node] for node in members[c] if node < len(steps)]
        if own:
            starts.add(min(own, key=lambda n: (-len(compensation_closure(events, n)), n)))
            continue
        for node in members[c]:  # a service that reads no step: each step it emits begins
            starts.update(steps[s] for s in edges[node] if reaches[component[s]])
    return starts


def _components(edges: list[list[int]]) -> list[int]:
    """Strongly connected components (Tarjan, iterative), numbered in reverse topological
    order: a component's successors have smaller numbers."""
    n = len(edges)
    order = [-1] * n
    low = [0] * n
    component = [-1] * n
    stack: list[int] = []
    on_stack = [False] * n
    counter = 0
    found = 0
    for root in range(n):
        if order[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, i = work[-1]
            if i == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            if i < len(edges[node]):
                work[-1] = (node, i + 1)
                nxt = edges[node][i]
                if order[nxt] == -1:
                    work.append((nxt, 0))
                elif on_stack[nxt]:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                while True:
                    top = stack.pop()
                    on_stack[top] = False
                    component[top] = found
                    if top == node:
                        break
                found += 1
    return component
