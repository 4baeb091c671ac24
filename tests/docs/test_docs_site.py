"""The docs site: golden output for the bundled contracts, determinism, escaping, sub-paths.

Refresh the golden files with ``CONTRACTCTL_UPDATE_GOLDEN=1 pytest tests/docs``.
"""

from __future__ import annotations

import difflib
import gc
import html.parser
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from contractctl.adapters.site_render import render_site
from contractctl.app.docs import DocsRequest, build_docs
from contractctl.core.catalog.model import build_site_model, event_url
from contractctl.core.contract.config import load_config
from contractctl.core.errors import InputError, RenderError
from tests.conftest import REPO, count_forks, run_cli
from tests.docs.factory import contract, example

GOLDEN = REPO / "tests" / "golden" / "docs"
UPDATE = os.environ.get("CONTRACTCTL_UPDATE_GOLDEN") == "1"


def build(out: Path, fmt: str = "html") -> list[Path]:
    # Relative input paths from the repository root: the pages show them, so they are part
    # of the golden output.
    old = Path.cwd()
    os.chdir(REPO)
    try:
        # The repository's contractctl.yaml declares the services and the repository URL.
        config = load_config(REPO / "contractctl.yaml")
        return build_docs(DocsRequest([Path("contracts")], out, fmt, config=config)).files
    finally:
        os.chdir(old)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("forked", ["none", "render", "load and render"])
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_golden_site(
    tmp_path: Path, fmt: str, forked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int] = []
    if forked != "none":  # a big site's pages are drawn by two processes: the same bytes
        monkeypatch.setattr("contractctl.adapters.site_render._PARALLEL_PAGES", 0)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        forks = count_forks(monkeypatch)
    if forked == "load and render":  # and its contracts loaded by two: the same bytes too
        monkeypatch.setattr("contractctl.adapters.split_load._PARALLEL_FILES", 0)
    build(tmp_path / "site", fmt)
    assert len(forks) == {"none": 0, "render": 1, "load and render": 2}[forked]
    got = tree(tmp_path / "site")
    golden = GOLDEN / fmt
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(tmp_path / "site", golden)
    want = tree(golden)
    assert sorted(got) == sorted(want), (
        "pages added or removed; rerun with CONTRACTCTL_UPDATE_GOLDEN=1"
    )
    for name in sorted(want):
        if got[name] != want[name]:
            diff = difflib.unified_diff(
                want[name].decode().splitlines(),
                got[name].decode().splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=2,
            )
            pytest.fail("\n".join(list(diff)[:80]) + "\n(CONTRACTCTL_UPDATE_GOLDEN=1 to accept)")


@pytest.mark.parametrize("drawer", ["one", "child"])
def test_a_folder_in_a_pages_way_fails_the_build_in_either_process(
    tmp_path: Path, drawer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(out)
    page = out / "services" / "payment-service.html"
    page.unlink()
    page.mkdir()
    if drawer == "child":  # every page drawn by the second process, which reports the error
        monkeypatch.setattr("contractctl.adapters.site_render._PARALLEL_PAGES", 0)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        monkeypatch.setattr(
            "contractctl.adapters.site_render._halves", lambda groups: [False] * len(groups)
        )
    with pytest.raises(RenderError, match="a folder of that name is in the way"):
        build(out)


@pytest.mark.parametrize("outcome", ["built", "refused"])
def test_the_collector_is_left_as_it_was_found(tmp_path: Path, outcome: str) -> None:
    """The model is frozen for the render only: a long-lived process (docs serve) frees
    it later, and a build that fails before rendering leaves nothing frozen either."""
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    gc.unfreeze()
    try:
        request = DocsRequest([REPO / "contracts"], tmp_path / "site")
        if outcome == "refused":
            bad = tmp_path / "bad.json"
            bad.write_text("[]", encoding="utf-8")
            with pytest.raises(InputError):
                build_docs(DocsRequest([REPO / "contracts"], tmp_path / "site", verify_report=bad))
        else:
            build_docs(request)
        assert gc.get_freeze_count() == 0
        assert gc.isenabled() == enabled
    finally:
        if frozen:
            gc.freeze()


def test_build_is_byte_identical(tmp_path: Path) -> None:
    build(tmp_path / "a")
    build(tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("href", "src", "data") and value:
                self.refs.append((tag, value))


# The only absolute URLs: links out to the repositories contractctl.yaml names. Nothing the
# page loads (stylesheet, script, image) is ever absolute.
OUTBOUND = ("https://github.com/acme/",)


@pytest.fixture(params=["small", "split"])
def layout_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``split``: the bundled system built as a big catalog is, with the thresholds lowered:
    the index lists domains, flows are drawn into files of their own."""
    if request.param == "split":
        monkeypatch.setattr("contractctl.core.catalog.model.INDEX_EVENTS_UP_TO", 3)
        monkeypatch.setattr("contractctl.core.catalog.flows.INLINE_ELEMENTS_UP_TO", 20)
    return str(request.param)


def test_every_link_is_relative_and_resolves(tmp_path: Path, layout_size: str) -> None:
    """What makes the site work from file:// and from any sub-path: no absolute URLs."""
    site = tmp_path / "site"
    build(site)
    outbound = 0
    for page in [*site.rglob("*.html"), *site.rglob("*.svg")]:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, ref in parser.refs:
            if tag == "a" and ref.startswith(OUTBOUND):
                outbound += 1
                continue
            assert "://" not in ref, (page, ref)
            assert not ref.startswith("/"), (page, ref)
            target = ref.split("#", 1)[0]
            if target and not target.startswith("data:"):
                assert (page.parent / target).resolve().is_file(), (page, ref)
    assert outbound, "the configured repository links are shown"


def test_a_big_catalog_splits_its_index_and_draws_big_flows_into_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("contractctl.core.catalog.model.INDEX_EVENTS_UP_TO", 3)
    monkeypatch.setattr("contractctl.core.catalog.flows.INLINE_ELEMENTS_UP_TO", 20)
    site = tmp_path / "site"
    files = {p.relative_to(site).as_posix() for p in build(site)}
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "event-row" not in index
    listed = []
    for domain in ("inventory", "orders", "payments", "shipping"):
        assert f'href="domains/{domain}.html"' in index
        page = (site / "domains" / f"{domain}.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr class="event-row[^"]*"\s+data-domain="([^"]+)"', page)
        assert rows, domain
        assert set(rows) == {domain}, domain
        listed += rows
    assert len(listed) == 9, "every event on exactly one domain page"
    orders = (site / "flows" / "orders.html").read_text(encoding="utf-8")
    assert 'data="../flows/orders.svg"' in orders
    assert "<svg" not in orders.split("Sagas")[0]
    assert "flows/orders.svg" in files
    assert "flows/orders.mmd" in files
    drawing = (site / "flows" / "orders.svg").read_text(encoding="utf-8")
    assert drawing.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    placed = event_url("orders.OrderPlaced")  # page names mask case: ask, do not guess
    assert f'<a target="_top" href="../{quote(placed)}">' in drawing
    mermaid = (site / "flows" / "orders.mmd").read_text(encoding="utf-8")
    assert mermaid.startswith("flowchart")
    assert "orders.OrderPlaced" in mermaid
    event = (site / placed).read_text(encoding="utf-8")
    assert '<a href="../domains/orders.html">orders</a>' in event


def test_cli_docs_build(tmp_path: Path) -> None:
    result = run_cli(["docs", "build", "--out", str(tmp_path / "site"), "contracts/"], cwd=REPO)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    flows = (tmp_path / "site" / "flows" / "index.html").read_text()
    assert flows.count('<svg xmlns="http://www.w3.org/2000/svg" class="flow" ') == 1
    assert flows.count('class="flow saga"') == 3  # the order saga: happy path, two failures


EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_ATTR = '"><img src=x onerror=alert(1)>'


def test_hostile_text_renders_as_text(tmp_path: Path) -> None:
    evil = contract(
        "evil.Event",
        producer=f"svc{EVIL_ATTR}",
        consumers=(EVIL_SCRIPT,),
        compensation=(f"evil.{EVIL_SCRIPT}",),
        schema={
            "type": "object",
            "description": EVIL_SCRIPT,
            "properties": {
                EVIL_SCRIPT: {"type": "string", "description": EVIL_ATTR},
                EVIL_ATTR: {"type": "string", "pattern": EVIL_SCRIPT},
            },
        },
        summary=EVIL_ATTR,
        description=EVIL_SCRIPT,
        examples=(example(EVIL_SCRIPT, {EVIL_ATTR: EVIL_SCRIPT}, description=EVIL_ATTR),),
        tags=(EVIL_SCRIPT,),
        owner=EVIL_ATTR,
    )
    out = tmp_path / "site"
    render_site(build_site_model([evil]), out, "html")
    pages = list(out.rglob("*.html"))
    assert len(pages) > 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<img" not in text, page
    event_page = (out / event_url("evil.Event")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in event_page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in event_page
    # Markdown output must not carry raw HTML either.
    md = tmp_path / "md"
    render_site(build_site_model([evil]), md, "markdown")
    for page in md.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        # Code blocks and code spans show their content literally; all else is escaped.
        prose = re.sub(r"``.*?``|`[^`\n]*`", "", "".join(text.split("```")[::2]))
        assert "<script>" not in prose, page
        assert "<img" not in prose, page


def test_template_override(tmp_path: Path) -> None:
    override = tmp_path / "tpl"
    override.mkdir()
    (override / "service.html.j2").write_text("custom {{ service.name }}\n", encoding="utf-8")
    out = tmp_path / "site"
    render_site(
        build_site_model([contract("a.E", producer="p", consumers=("c",))]), out, "html", override
    )
    assert (out / "services" / "p.html").read_text() == "custom p\n"
