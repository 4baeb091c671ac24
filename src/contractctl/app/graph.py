"""Use case ``graph``: build the choreography graph, report its findings or export it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contractctl.core.contract.loader import load_contracts
from contractctl.core.flow.graph import EXPORTERS, FlowGraph, build_graph
from contractctl.core.vocab.findings import Report

EXPORT_FORMATS = tuple(sorted(EXPORTERS))


@dataclass(frozen=True, slots=True)
class GraphRequest:
    paths: Sequence[Path] = ()
    config: object | None = None  # core.config.Config


@dataclass(slots=True)
class GraphOutcome:
    graph: FlowGraph
    report: Report
    input_errors: int

    def export(self, fmt: str) -> str:
        """The graph as Mermaid, Graphviz DOT or JSON text."""
        return EXPORTERS[fmt](self.graph)


def analyse_graph(request: GraphRequest) -> GraphOutcome:
    from contractctl.core.contract.config import Config

    config = request.config if isinstance(request.config, Config) else None
    loaded = load_contracts(list(request.paths), config)
    graph = build_graph(loaded.contracts)
    report = Report(command="graph", files=list(loaded.files))
    # Unreadable files are reported (they may hide a producer); lint findings are validate's.
    report.extend(loaded.input_errors)
    report.extend(graph.findings)
    report.summary.update(
        events=len(graph.events), services=len(graph.services), cycles=len(graph.cycles)
    )
    return GraphOutcome(graph, report, len(loaded.input_errors))
