"""The catalog's page model: field rows with refs and recursion, change lists, teams, flows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.catalog.flows import AGGREGATE_ABOVE, domain_links, neighbourhood
from contractctl.core.catalog.model import _relative, build_site_model, source_path
from contractctl.core.contract.loader import load_contracts
from contractctl.core.flow.graph import build_graph
from contractctl.core.flow.svg_layout import TARGET_W, Link, Node, layout, overlaps
from contractctl.core.schema.table import field_rows
from tests.conftest import REPO
from tests.docs.factory import contract

TREE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "root": {"$ref": "#/definitions/Node"},
        "sample": {"type": "string", "examples": ["a", "b"]},
    },
    "definitions": {
        "Node": {
            "type": "object",
            "properties": {
                "label": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
            },
        }
    },
}


def test_recursion_is_shown_once_and_links_to_the_expanded_row() -> None:
    rows = {r.name: r for r in field_rows("jsonschema", TREE)}
    assert rows["root.label"].type == "string"
    assert "(recursive)" in rows["root.children"].type
    assert rows["root.children"].link == "root"
    assert not any(name.startswith("root.children[].") for name in rows)
    assert rows["sample"].examples == ('"a"', '"b"')


def test_avro_named_types_from_references_are_expanded() -> None:
    money = {
        "type": "record",
        "name": "Money",
        "namespace": "com.acme",
        "fields": [{"name": "minor", "type": "long", "doc": "Minor units."}],
    }
    doc = {
        "type": "record",
        "name": "Paid",
        "fields": [
            {"name": "amount", "type": "com.acme.Money"},
            {"name": "next", "type": ["null", "Paid"], "default": None},
        ],
    }
    rows = {r.name: r for r in field_rows("avro", doc, {"com.acme.Money": money})}
    assert rows["amount.minor"].description == "Minor units."
    assert "(recursive)" in rows["next"].type
    assert rows["next"].link == ""  # the top-level record: the table itself


def test_change_pages_teams_and_declared_services() -> None:
    old = contract("a.E", "1.0.0", producer="p", consumers=("c",), owner="team-a")
    new = contract(
        "a.E",
        "1.1.0",
        producer="p",
        consumers=("c",),
        owner="team-a",
        schema={"type": "object", "properties": {"id": {"type": "integer"}}},
    )
    site = build_site_model(
        [old, new],
        declared={"c": {"owner": ["team-b"], "description": "Reads", "tags": ["x"]}, "idle": {}},
    )
    latest = site.events[0].latest
    assert latest.diff_url == "events/a.E~u4/changes-1.0.0-to-1.1.0.html"
    assert latest.diff is not None
    assert latest.changes
    assert latest.changes[0].breaking
    assert latest.diff.verdicts["BACKWARD"] is False
    services = {s.name: s for s in site.services}
    assert set(services) == {"c", "idle", "p"}
    assert services["c"].owners == ("team-b",)
    assert services["c"].declared
    assert not services["p"].declared
    teams = {t.name: t for t in site.teams}
    assert [e.name for e in teams["team-a"].events] == ["a.E"]
    assert [(e.name, s.name) for e, s in teams["team-b"].consumes] == [("a.E", "c")]
    assert site.events[0].search_terms == ("team-b", "x")


def test_source_paths_are_relative_to_the_project_and_never_absolute(tmp_path: Path) -> None:
    inside = tmp_path / "contracts" / "a.yaml"
    assert source_path(inside, tmp_path) == "contracts/a.yaml"
    assert source_path(Path("/elsewhere/b.yaml"), tmp_path) == "b.yaml"
    assert source_path(Path("contracts/c.yaml"), None) == "contracts/c.yaml"


def test_source_paths_follow_symlinked_folders_and_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are resolved once per build: a symlinked file still shows where it points."""
    real = tmp_path / "repo" / "contracts" / "orders"
    real.mkdir(parents=True)
    (real / "a.yaml").write_text("x", encoding="utf-8")
    (real / "b.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    (real / "c.yaml").symlink_to(real / "b.yaml")
    monkeypatch.chdir(tmp_path)
    folders: dict[str, str] = {}
    for path in [
        tmp_path / "link" / "a.yaml",
        Path("link/a.yaml"),
        Path("link/c.yaml"),
        tmp_path / "link" / ".." / "repo" / "contracts" / "orders" / "a.yaml",
    ]:
        want = source_path(path, tmp_path / "repo")  # resolved as a whole
        assert _relative(path, str((tmp_path / "repo").resolve()), folders) == want
    assert source_path(Path("link/c.yaml"), tmp_path / "repo") == "contracts/orders/b.yaml"
    assert len(folders) == 1


def _system(events: int, services: int) -> list[Any]:
    out = []
    for i in range(events):
        out.append(
            contract(
                f"d{i % 5}.E{i:03d}",
                producer=f"s{i % services:02d}",
                consumers=(f"s{(i * 7 + 3) % services:02d}", f"s{(i * 11 + 5) % services:02d}"),
                compensation=(f"d{(i + 1) % 5}.E{(i + 1) % events:03d}",) if i % 9 == 0 else (),
            )
        )
    return out


def test_big_systems_get_an_aggregated_whole_view_and_full_domain_views() -> None:
    site = build_site_model(_system(150, 30), changes=False)
    assert AGGREGATE_ABOVE < 150 + 30
    whole, *domains = site.flows
    assert whole.aggregated
    assert not any(f.aggregated for f in domains)
    assert 'data-id="domain:d0"' in whole.svg
    assert "event:" not in whole.svg
    assert whole.domain_links
    assert all(dl.consumed or dl.compensations for dl in whole.domain_links)
    assert 'data-id="event:d0.E000"' in domains[0].svg
    small = build_site_model(_system(10, 4), changes=False)
    assert not small.flows[0].aggregated


def test_domain_links_count_events_by_the_domains_their_consumers_emit_into() -> None:
    graph = build_graph(
        [
            contract("a.One", producer="x", consumers=("y",)),
            contract("a.Two", producer="x", consumers=("y",)),
            contract("b.Three", producer="y", consumers=("z",), compensation=("a.One",)),
        ]
    )
    links = {(dl.source, dl.target): dl for dl in domain_links(graph)}
    assert links[("a", "b")].consumed == 2
    assert links[("b", "a")].compensations == 1
    assert ("b", "b") not in links  # z emits nothing: the flow ends there


def test_a_service_neighbourhood_leaves_out_other_readers_of_what_it_reads() -> None:
    graph = build_graph(
        [
            contract("a.Mine", producer="me", consumers=("r1",)),
            contract("a.Theirs", producer="p", consumers=("me", "stranger")),
        ]
    )
    near = neighbourhood(graph, "me")
    assert set(near.services) == {"me", "r1", "p"}
    assert set(near.events) == {"a.Mine", "a.Theirs"}


def test_layout_fits_the_page_width_by_wrapping() -> None:
    nodes = [Node(f"n{i:03d}", f"a.rather.long.event.name.{i:03d}", "event") for i in range(60)]
    chain = [Link(f"n{i:03d}", f"n{i + 1:03d}", "produces") for i in range(59)]
    boxes, _ = layout(nodes, chain)  # a 60-step saga: far too long for one row
    assert max(b.x + b.w for b in boxes.values()) <= TARGET_W
    assert overlaps(boxes) == []
    assert len({b.band for b in boxes.values()}) > 1
    fan = [Link("n000", f"n{i:03d}", "consumes") for i in range(1, 60)]
    boxes, _ = layout(nodes, fan)  # one very tall layer: wrapped into sub-columns
    assert max(b.x + b.w for b in boxes.values()) <= TARGET_W
    assert max(b.y + b.h for b in boxes.values()) < 59 * 38
    assert overlaps(boxes) == []


def test_flow_pages_show_the_bundled_sagas_without_tags() -> None:
    contracts = load_contracts([REPO / "contracts"]).contracts
    bare = [
        replace(c, tags=tuple(t for t in c.tags if not t.startswith("saga-"))) for c in contracts
    ]
    tagged = {f.slug: f.sagas for f in build_site_model(contracts, changes=False).flows}
    inferred = {f.slug: f.sagas for f in build_site_model(bare, changes=False).flows}
    assert inferred == tagged
    assert len(inferred["orders"]) == 3  # the happy path and two failure paths
