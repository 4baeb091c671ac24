"""Working with the site: the build's manifest (stale files go, foreign ones stay) and
``docs serve`` (start, fetch over HTTP, touch a contract, see the change, stop)."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from contractctl.adapters.site_render import MANIFEST, render_site
from contractctl.app.docs import DocsReport, DocsRequest, serve_docs
from contractctl.core.catalog.model import build_site_model, event_url
from tests.conftest import REPO, run_cli
from tests.docs.factory import contract


def test_rebuild_removes_its_own_stale_pages_and_keeps_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    both = [contract("a.Kept", producer="p"), contract("b.Gone", producer="q")]
    render_site(build_site_model(both), out)
    assert (out / event_url("b.Gone")).is_file()
    assert (out / MANIFEST).is_file()
    (out / "events" / "notes.txt").write_text("mine", encoding="utf-8")

    render_site(build_site_model(both[:1]), out)

    assert (out / event_url("a.Kept")).is_file()
    assert not (out / event_url("b.Gone")).exists()
    assert not (out / "services" / "q.html").exists()
    assert not (out / "flows" / "b.html").exists()
    assert (out / "events" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "b.Gone" not in (out / MANIFEST).read_text(encoding="utf-8")


def test_build_refuses_a_foreign_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", encoding="utf-8")
    args = ["docs", "build", "-o", str(out), "contracts/"]

    refused = run_cli(args, cwd=REPO)
    assert refused.exit_code == 3
    assert "not written by contractctl docs build" in refused.stderr
    assert "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"], "nothing half-written"

    forced = run_cli([*args, "--force"], cwd=REPO)
    assert forced.exit_code == 0, forced.stderr
    assert (out / "index.html").is_file()
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    # From now on the folder is the build's own: a plain rebuild is accepted.
    assert run_cli(args, cwd=REPO).exit_code == 0


def test_build_refuses_a_corrupt_manifest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    result = run_cli(["docs", "build", "-o", str(out), "contracts/"], cwd=REPO)
    assert result.exit_code == 3
    assert "not a contractctl docs manifest" in result.stderr


def test_build_into_a_file_is_an_input_error(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.write_text("x", encoding="utf-8")
    result = run_cli(["docs", "build", "-o", str(out), "contracts/"], cwd=REPO)
    assert result.exit_code == 3
    assert "is not a folder" in result.stderr


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_on_change(tmp_path: Path) -> None:
    src = tmp_path / "contracts"
    shutil.copytree(REPO / "contracts", src)
    ready: list[str] = []
    logs: list[str] = []
    stop = threading.Event()

    def on_ready(url: str, report: DocsReport) -> None:
        assert report.events == 9
        ready.append(url)

    request = DocsRequest([src], tmp_path / "unused")
    thread = threading.Thread(
        target=serve_docs,
        kwargs={
            "request": request,
            "port": 0,
            "stop": stop,
            "on_ready": on_ready,
            "log": logs.append,
            "poll": 0.1,
        },
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not ready and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready, "the server never came up"
        url = ready[0]
        assert url.startswith("http://127.0.0.1:")
        assert "orders.OrderPlaced" in _fetch(url + "index.html")

        contract_file = src / "orders" / "order-cancelled.v1.yaml"
        text = contract_file.read_text(encoding="utf-8")
        contract_file.write_text(
            text.replace("summary:", "summary: Freshly edited.", 1), encoding="utf-8"
        )
        page = url + event_url("orders.OrderCancelled")
        while time.monotonic() < deadline:
            if "Freshly edited." in _fetch(page):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the edit never showed; log: {logs}")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    # The page can show before the log line is written; once stopped, the log is complete.
    assert any(line.startswith("rebuilt") for line in logs), logs
    with pytest.raises(urllib.error.URLError):  # the server is gone
        _fetch(ready[0] + "index.html")


def test_serve_on_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli(["docs", "serve", "--port", str(port), "contracts/"], cwd=REPO)
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
