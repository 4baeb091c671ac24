"""A verify report's workflow figures on the catalog's flow pages (HTML and Markdown)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CONTRACTS, REPO, run_cli

STREAM = REPO / "tests" / "verify" / "data" / "stream.ndjson"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "verify.json"
    result = run_cli(["verify", str(STREAM), "-f", "json", "-o", str(path), str(CONTRACTS)])
    assert path.is_file(), result.stdout + result.stderr
    return path


@pytest.mark.parametrize(("fmt", "page"), [("html", "index.html"), ("markdown", "index.md")])
def test_flow_pages_show_what_verify_observed(
    tmp_path: Path, report: Path, fmt: str, page: str
) -> None:
    rows = json.loads(report.read_text())["summary"]["flows_table"]
    out = tmp_path / "site"
    result = run_cli(
        ["docs", "build", "-o", str(out), "-f", fmt, "--verify-report", str(report), str(CONTRACTS)]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (out / "flows" / page).read_text(encoding="utf-8")
    assert "Observed in the running system" in text
    for row in rows:
        assert row["flow"] in text
        assert f"{row['completed']}" in text
        assert f"{row['stuck']}" in text
    orders = (out / "flows" / ("orders." + page.split(".")[1])).read_text(encoding="utf-8")
    assert "Observed in the running system" in orders  # OrderPlaced starts the saga


def test_without_a_report_nothing_is_shown(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_cli(["docs", "build", "-o", str(out), str(CONTRACTS)]).exit_code == 0
    assert "Observed in the running system" not in (out / "flows" / "index.html").read_text()


@pytest.mark.parametrize(
    "content",
    [
        '{"command": "check", "summary": {}}',
        "not json",
        '{"command": "verify", "summary": {"flows_table": [{"flow": "x", "completed": "many"}]}}',
    ],
)
def test_a_report_that_is_not_one_is_refused(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    out = tmp_path / "site"
    result = run_cli(["docs", "build", "-o", str(out), "--verify-report", str(bad), str(CONTRACTS)])
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
