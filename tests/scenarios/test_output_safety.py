"""Writes stay in their output folder; names from contracts never become raw path parts.

Each scenario plants a symlink (or a hostile name) and asserts that nothing outside the
output folder changed, with the exit code and message the user sees.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from contractctl.adapters.safe_write import INCOMPLETE_MARKER, OutputTree
from contractctl.core.catalog.model import event_url
from contractctl.core.errors import RenderError
from contractctl.core.vocab.pathnames import component, twin_component
from tests.conftest import run_cli

CONTRACT = """\
name: {name}
version: "{version}"
owner: team
summary: s
description: d
producer: {producer}
channel: things
schema:
  format: jsonschema
  inline: {{type: object, properties: {{a: {{type: string}}}}}}
{extra}"""


def _contract(root: Path, file: str, name: str = "shop.ThingHappened", **fields: str) -> None:
    folder = root / "contracts"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    text = CONTRACT.format(
        name=name,
        version=fields.get("version", "1.0.0"),
        producer=fields.get("producer", "shop"),
        extra=fields.get("extra", ""),
    )
    (folder / file).write_text(text, encoding="utf-8")


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (victim / "keep.txt").write_text("untouched\n", encoding="utf-8")
    return victim


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_docs_build_replaces_a_symlinked_page_without_following_it(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml")
    victim = _victim(tmp_path)
    site = project / "site"
    # A folder an earlier build owns (a foreign one is refused before anything is written).
    assert run_cli(["docs", "build", "--out", "site"], cwd=project).exit_code == 0
    shutil.rmtree(site / "events")
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(victim / "keep.txt")
    (site / "events").symlink_to(victim, target_is_directory=True)
    before = _snapshot(victim)
    result = run_cli(["docs", "build", "--out", "site"], cwd=project)
    assert _snapshot(victim) == before
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "symlink" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_codegen_refuses_a_symlinked_package(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml")
    victim = _victim(tmp_path)
    gen = project / "gen"
    gen.mkdir()
    (gen / "shop").symlink_to(victim, target_is_directory=True)
    before = _snapshot(victim)
    result = run_cli(["codegen", "python", "--out", "gen"], cwd=project)
    assert _snapshot(victim) == before
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "symlink" in result.stderr


def test_written_files_honour_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = OutputTree(tmp_path / "out").write("a/b.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("rel", ["../x", "/etc/x", "a/../../x", "a/..", ""])
def test_output_tree_refuses_paths_that_leave_it(tmp_path: Path, rel: str) -> None:
    with pytest.raises(RenderError):
        OutputTree(tmp_path / "out").write(rel, "x")
    assert list(tmp_path.iterdir()) == [tmp_path / "out"]


def test_a_finished_run_leaves_no_marker_and_no_temp_files(tmp_path: Path) -> None:
    tree = OutputTree(tmp_path)
    tree.begin()
    assert (tmp_path / INCOMPLETE_MARKER).is_file()
    (tmp_path / ".contractctl-tmp-left-by-a-kill").write_text("", encoding="utf-8")
    tree.write("page.html", "<p>")
    tree.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_case_folded_twins_are_refused_not_overwritten(tmp_path: Path) -> None:
    tree = OutputTree(tmp_path)
    tree.write("services/Svc.html", "one")
    with pytest.raises(RenderError, match="case-insensitive"):
        tree.write("services/svc.html", "two")


# -- names -----------------------------------------------------------------------------------

HOSTILE = [".", "..", "svc a", "svc_a", "svc/a", "index", "Index", "a" * 300, "9" * 5000, ""]


def test_components_are_safe_distinct_and_bounded() -> None:
    encoded = [component(n, reserved=("index",)) for n in HOSTILE]
    assert len(set(encoded)) == len(HOSTILE)
    for value in encoded:
        assert value not in ("", ".", "..")
        assert "/" not in value
        assert "\x00" not in value
        assert len(value.encode()) <= 120


@pytest.mark.parametrize("names", [["Svc", "svc", "SVC"], ["a" * 300, "A" * 300], ["É", "é"]])
def test_twin_forms_stay_apart_under_case_folding(names: list[str]) -> None:
    twins = [twin_component(n).casefold() for n in names]
    assert len(set(twins)) == len(names)  # apart from each other...
    plain = {component(n).casefold() for n in names}
    assert not set(twins) & {p for p in plain if "~" not in p}  # ...and from plain forms
    for value in twins:
        assert len(value.encode()) <= 120
        assert "/" not in value


def test_three_services_get_three_pages(tmp_path: Path) -> None:
    project = tmp_path / "p"
    for i, producer in enumerate(["svc a", "svc_a", "svc/a"]):
        _contract(project, f"c{i}.yaml", name=f"shop.Thing{i}", producer=f'"{producer}"')
    result = run_cli(["docs", "build", "--out", "site"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr
    pages = sorted(p.name for p in (project / "site" / "services").iterdir())
    assert len(pages) == 3, pages
    assert all(p.is_file() for p in (project / "site" / "services").iterdir())


def test_names_differing_only_in_case_get_pages_distinct_under_case_folding(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p"
    # Services, events and domains that a case-insensitive file system would merge.
    _contract(project, "c0.yaml", name="shop.Thing", producer="Orders")
    _contract(project, "c1.yaml", name="shop.thing", producer="orders")
    _contract(project, "c2.yaml", name="Shop.Other", producer="ORDERS")
    result = run_cli(["docs", "build", "--out", "site"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr
    for folder, count in (("services", 3), ("events", 3), ("flows", 3)):
        names = [p.name for p in (project / "site" / folder).iterdir() if p.is_file()]
        assert len(names) == count, names
        assert len({n.casefold() for n in names}) == count, names


def test_a_domain_named_index_does_not_replace_the_flow_overview(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml", name="index.ThingHappened")
    result = run_cli(["docs", "build", "--out", "site"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr
    flows = sorted(p.name for p in (project / "site" / "flows").iterdir())
    assert "index.html" in flows
    assert len(flows) == 2, flows


def test_long_names_and_versions_do_not_end_in_enametoolong(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml", name="shop." + "T" * 300, version="1.0.0-" + "9" * 5000)
    for args in (
        ["docs", "build", "--out", "site"],
        ["docs", "build", "--out", "md", "--format", "markdown"],
        ["codegen", "python", "--out", "gen"],
        ["publish"],
    ):
        result = run_cli(args, cwd=project)
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (args, output)
        assert "Traceback" not in output


@pytest.mark.parametrize("subject", [".", ".."])
def test_dot_subjects_stay_inside_the_registry_folder(tmp_path: Path, subject: str) -> None:
    project = tmp_path / "p"
    extra = ""
    _contract(project, "c.yaml", extra=extra)
    text = (project / "contracts" / "c.yaml").read_text(encoding="utf-8")
    text = text.replace("  inline:", f'  subject: "{subject}"\n  inline:')
    (project / "contracts" / "c.yaml").write_text(text, encoding="utf-8")
    first = run_cli(["publish"], cwd=project)
    assert first.exit_code == 0, first.stdout + first.stderr
    registry = project / ".contractctl" / "registry"
    files = [p.relative_to(registry).parts for p in registry.rglob("v*.json")]
    assert files
    assert all(parts[0] == "subjects" and len(parts) == 3 for parts in files), files
    again = run_cli(["publish"], cwd=project)
    assert "registered v1" not in again.stdout, again.stdout


def test_control_characters_in_names_are_findings(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml", name='"shop.ThingHappened\\n"', producer='"svc\\n```\\nx"')
    result = run_cli(["validate"], cwd=project)
    assert result.exit_code == 1
    assert "CONTRACT_INVALID_VALUE" in result.stdout
    assert "must not contain control characters" in result.stdout


def test_markdown_catalog_text_stays_text(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _contract(project, "c.yaml", producer='"```"')
    text = (project / "contracts" / "c.yaml").read_text(encoding="utf-8")
    text = text.replace("summary: s", 'summary: "[click](javascript:alert(1)) <b>x</b> | y"')
    (project / "contracts" / "c.yaml").write_text(text, encoding="utf-8")
    result = run_cli(["docs", "build", "--format", "markdown", "--out", "md"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr
    flow = (project / "md" / "flows" / "shop.md").read_text(encoding="utf-8")
    assert flow.count("```") == 2, flow  # the name did not close the mermaid fence
    page = (project / "md" / event_url("shop.ThingHappened").replace(".html", ".md")).read_text(
        encoding="utf-8"
    )
    assert "[click](javascript:" not in page
    assert "\\[click\\](javascript:" in page  # shown as text, not a link
    assert "<b>" not in page
