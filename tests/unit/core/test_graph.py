"""The flow graph: each analysis rule fires where it should, exports are stable, layout is clean."""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractctl.core.flow.graph import (
    build_graph,
    mermaid_id,
    to_dot,
    to_json,
    to_mermaid,
    to_svg,
)
from contractctl.core.flow.svg_layout import Link, Node, layout, overlaps
from contractctl.core.rules import get_rule
from contractctl.core.rules import graph as gr
from tests.docs.factory import contract


def saga() -> list:
    return [
        contract(
            "orders.OrderPlaced",
            producer="orders",
            consumers=("payments",),
            compensation=("orders.OrderCancelled",),
        ),
        contract("orders.OrderCancelled", producer="orders", consumers=("payments",)),
        contract("payments.PaymentFailed", producer="payments", consumers=("orders",)),
    ]


def rule_ids(contracts: list) -> list[str]:
    return [f.rule_id for f in build_graph(contracts).findings]


def test_clean_saga_only_reports_its_cycle() -> None:
    g = build_graph(saga())
    assert [f.rule_id for f in g.findings] == [gr.CYCLE]
    assert g.cycles == (("orders", "payments", "orders"),)


def test_unconsumed_event() -> None:
    findings = build_graph([contract("a.Lonely", producer="svc")]).findings
    assert [(f.rule_id, f.event, f.pointer) for f in findings] == [
        (gr.UNCONSUMED, "a.Lonely@1.0.0", "/consumers")
    ]


def test_consumed_without_producer() -> None:
    assert rule_ids([contract("a.Orphan", consumers=("svc",))]) == [gr.NO_PRODUCER]


def test_compensation_without_contract_or_producer() -> None:
    contracts = [
        contract(
            "a.Start", producer="s", consumers=("t",), compensation=("a.Undo", "a.Gone@1.0.0")
        ),
        contract("a.Undo", consumers=("t",)),
    ]
    findings = [
        f for f in build_graph(contracts).findings if f.rule_id == gr.COMPENSATION_NOT_EMITTED
    ]
    assert [(f.message.split()[2], f.pointer) for f in findings] == [
        ("a.Gone", "/error_policy/compensation/1"),
        ("a.Undo", "/error_policy/compensation/0"),
    ]


def test_consumer_of_deprecated_version() -> None:
    contracts = [
        contract("a.E", "1.0.0", producer="p", consumers=("old",), deprecated=True),
        contract("a.E", "2.0.0", producer="p", consumers=("new",)),
    ]
    dep = [f for f in build_graph(contracts).findings if f.rule_id == gr.DEPRECATED_CONSUMED]
    assert [(f.event, f.pointer) for f in dep] == [("a.E@1.0.0", "/consumers/0")]


def test_rules_are_in_the_catalogue() -> None:
    for rule in gr.GRAPH_RULES:
        assert get_rule(rule.id) == rule
        assert rule.id.startswith("CONTRACT_GRAPH_")


def test_exports_are_deterministic_and_complete() -> None:
    contracts = saga()
    shuffled = list(reversed(contracts))
    for export in (to_mermaid, to_dot, to_json):
        assert export(build_graph(contracts)) == export(build_graph(shuffled))
    doc = json.loads(to_json(build_graph(contracts)))
    kinds = {(e["source"], e["target"], e["kind"]) for e in doc["edges"]}
    assert ("event:orders.OrderPlaced", "event:orders.OrderCancelled", "compensates") in kinds
    assert ("service:orders", "event:orders.OrderPlaced", "produces") in kinds
    assert "flowchart LR" in to_mermaid(build_graph(contracts))
    assert to_dot(build_graph(contracts)).startswith("digraph choreography {")


def test_mermaid_labels_cannot_break_out() -> None:
    text = to_mermaid(build_graph([contract('x.A"]-->evil', producer="p")]))
    assert '"]-->evil' not in text


def test_mermaid_ids_keep_names_apart() -> None:
    names = ["svc a", "svc_a", "svc-a", "svc/a", "svc__a", "svc_5f_a", "svca", "end", "Svc a"]
    ids = [mermaid_id(n) for n in names]
    assert len(set(ids)) == len(names), ids
    assert all(re.fullmatch(r"n_[A-Za-z0-9_]+", i) for i in ids)
    # The whole export: one service node per service, edges to the right one.
    contracts = [contract(f"x.E{i}", producer=n) for i, n in enumerate(names)]
    text = to_mermaid(build_graph(contracts))
    declared = re.findall(r"^  (n_service\S+)\(", text, re.M)
    assert len(set(declared)) == len(names)
    sources = {line.split()[0] for line in text.splitlines() if "-->" in line}
    assert sources == set(declared)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12))
def test_mermaid_ids_are_injective(a: str, b: str) -> None:
    assert (mermaid_id(a) == mermaid_id(b)) == (a == b)


def big_graph(
    services: int = 50, events: int = 200, seed: int = 7
) -> tuple[list[Node], list[Link]]:
    rnd = random.Random(seed)
    svc = [f"service:svc-{i:02d}-{'x' * rnd.randint(0, 12)}" for i in range(services)]
    nodes = [Node(s, s.split(":")[1], "service") for s in svc]
    links: list[Link] = []
    for i in range(events):
        eid = f"event:domain{i % 9}.SomethingHappened{i:03d}{'Long' * rnd.randint(0, 3)}"
        nodes.append(Node(eid, eid.split(":")[1], "event"))
        links.append(Link(rnd.choice(svc), eid, "produces"))
        for s in rnd.sample(svc, rnd.randint(0, 4)):
            links.append(Link(eid, s, "consumes"))
    return nodes, links


def test_layout_of_50_services_and_200_events_has_no_overlaps() -> None:
    nodes, links = big_graph()
    boxes, chains = layout(nodes, links)
    assert overlaps(boxes) == []
    assert len(chains) == len(links)
    # Every label fits its box: the box is sized from the label.
    for n in nodes:
        assert boxes[n.id].w >= len(n.label) * 7.0


def deep_graph(length: int) -> tuple[list[Node], list[Link]]:
    """A pipeline ``length`` services deep whose events are also read far downstream."""
    nodes = [Node(f"service:s{i:03d}", f"s{i:03d}", "service") for i in range(length)]
    links: list[Link] = []
    for i in range(length - 1):
        nodes.append(Node(f"event:e{i:03d}", f"e{i:03d}", "event"))
        links.append(Link(f"service:s{i:03d}", f"event:e{i:03d}", "produces"))
        for j in {i + 1, min(i + 7, length - 1), length - 1}:
            links.append(Link(f"event:e{i:03d}", f"service:s{j:03d}", "consumes"))
    return nodes, links


@pytest.mark.parametrize("length", [10, 60, 200])
def test_dummy_nodes_stay_within_a_multiple_of_the_graph(length: int) -> None:
    """Long edges through dozens of layers: past the budget only short edges get dummies,
    so the layout's sweeps stay linear in what is drawn, and boxes still never overlap."""
    nodes, links = deep_graph(length)
    boxes, chains = layout(nodes, links)
    dummies = sum(1 for b in boxes.values() if b.dummy)
    assert dummies <= 4 * (len(nodes) + len(links)), (dummies, len(nodes), len(links))
    assert overlaps(boxes) == []
    assert [lk for lk, _, _ in chains] == sorted(links, key=lambda k: (k.source, k.target))
    assert all(boxes[c[0]].layer < boxes[c[-1]].layer for _, c, _ in chains)


def test_layout_is_deterministic() -> None:
    nodes, links = big_graph(10, 30)
    g1 = to_svg(build_graph(saga()))
    g2 = to_svg(build_graph(list(reversed(saga()))))
    assert g1 == g2
    assert layout(nodes, links)[0].keys() == layout(list(reversed(nodes)), links)[0].keys()


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_svg_escapes_labels(label: str) -> None:
    svg = to_svg(build_graph([contract(f"x.{label}", producer="p", consumers=("c",))]))
    assert "<script>" not in svg
    assert "<img" not in svg
