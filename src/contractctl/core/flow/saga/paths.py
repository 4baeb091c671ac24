"""Sagas read from the contracts: the happy path and each failure path with its compensations.

Which events start a saga, which report a failure and which compensate comes from
``inference`` (producers, consumers and compensation lists; tags override). A saga's happy
path follows, breadth first, the steps that the consumers of each event emit, leaving out
compensations and failures. A failure path branches off a happy step where a consumer of
that step's event emits a failure event; it continues with the compensation events that the
consumers of the failure (and then of each compensation) emit, among those the happy steps
so far name, transitively. Each event appears once per path, so cycles end.

Bounded for big systems (a page stays small however tangled the flow): at most
``MAX_SAGAS`` sagas, ``MAX_STEPS`` happy steps and as many compensations per failure path,
and ``MAX_FAILURES`` failure paths per saga; a cut path says so in its title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from contractctl.core.flow.graph import FlowGraph
from contractctl.core.flow.saga.inference import (
    FAILURE_TAG,
    START_TAG,
    compensation_closure,
    infer_roles,
)

HAPPY, FAILURE, COMPENSATION = "happy", "failure", "compensation"
MAX_SAGAS = 20
MAX_STEPS = 20
MAX_FAILURES = 12


@dataclass(frozen=True, slots=True)
class Step:
    event: str
    producer: str
    consumers: tuple[str, ...]
    kind: str  # HAPPY, FAILURE or COMPENSATION


@dataclass(frozen=True, slots=True)
class SagaPath:
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Saga:
    start: str
    paths: tuple[SagaPath, ...]  # the happy path first


def _step(graph: FlowGraph, name: str, kind: str) -> Step:
    node = graph.events[name]
    return Step(name, node.producers[0] if node.producers else "?", node.consumers, kind)


class _Reactions:
    """The events the consumers of an event emit, sorted; computed once per event."""

    def __init__(self, graph: FlowGraph) -> None:
        self.graph = graph
        self.produced: dict[str, set[str]] = {}
        for n, e in graph.events.items():
            for p in e.producers:
                self.produced.setdefault(p, set()).add(n)
        self.cache: dict[str, list[str]] = {}

    def __call__(self, name: str) -> list[str]:
        if name not in self.cache:
            out: set[str] = set()
            for k in self.graph.events[name].consumers:
                out |= self.produced.get(k, set())
            self.cache[name] = sorted(out)
        return self.cache[name]


def find_sagas(
    graph: FlowGraph,
    tags: Mapping[str, Sequence[str]] | None = None,
    *,
    start_tags: Sequence[str] = (START_TAG,),
    failure_tags: Sequence[str] = (FAILURE_TAG,),
) -> list[Saga]:
    roles = infer_roles(graph.events, tags, start_tags=start_tags, failure_tags=failure_tags)
    reactions = _Reactions(graph)
    left_out = roles.compensations | roles.failures
    sagas: list[Saga] = []
    for start in roles.starts[:MAX_SAGAS]:
        happy: list[str] = []
        queue, seen = [start], {start}
        cut = False
        while queue:
            name = queue.pop(0)
            if len(happy) == MAX_STEPS:
                cut = True
                break
            happy.append(name)
            for nxt in reactions(name):
                if nxt not in seen and nxt not in left_out:
                    seen.add(nxt)
                    queue.append(nxt)
        steps = [_step(graph, n, HAPPY) for n in happy]
        more = f" (first {MAX_STEPS} steps)" if cut else ""
        paths = [SagaPath(f"{start}: happy path{more}", tuple(steps))]
        allowed: set[str] = set()  # what the happy steps so far would undo
        dropped = 0
        for i, name in enumerate(happy):
            allowed |= compensation_closure(graph.events, name)
            for failure in reactions(name):
                if failure not in roles.failures or failure == start:
                    continue
                if len(paths) > MAX_FAILURES:
                    dropped += 1
                    continue
                done = {failure}
                tail = [_step(graph, failure, FAILURE)]
                todo = [failure]
                cut = False
                while todo and not cut:
                    current = todo.pop(0)
                    for comp in reactions(current):
                        if comp in allowed and comp not in done:
                            if len(tail) > MAX_STEPS:
                                cut = True
                                break
                            done.add(comp)
                            tail.append(_step(graph, comp, COMPENSATION))
                            todo.append(comp)
                more = f" (first {MAX_STEPS} compensations)" if cut else ""
                title = f"{start}: {failure} after {name}{more}"
                paths.append(SagaPath(title, (*steps[: i + 1], *tail)))
        if dropped:
            note = f" ({dropped} more failure paths not drawn)"
            paths[0] = SagaPath(paths[0].title + note, paths[0].steps)
        sagas.append(Saga(start, tuple(paths)))
    return sagas
