"""The GitHub Action's script path, not GitHub: action/entry.sh, run as action.yml runs it,
in a temporary repository with a base branch and a pull-request head commit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, git
from tests.e2e.test_review_git import _event, _order, _write

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)
ENTRY = REPO / "action" / "entry.sh"
CONTRACTCTL = Path(sys.executable).parent / "contractctl"


@pytest.fixture
def pr(tmp_path: Path) -> Path:
    """main holds OrderPlaced 1.0.0; the checked-out head adds 1.1.0 with a new key."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    _write(root, "order-placed.v1.yaml", _order("1.0.0"))
    _write(root, "order-cancelled.v1.yaml", _event("shop.OrderCancelled", "warehouse", "team-wh"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    _write(root, "order-placed.v1.1.yaml", _order("1.1.0", key="customer_id"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "head")
    return root


def _run(cwd: Path, summary: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CONTRACTCTL": str(CONTRACTCTL),
        "GITHUB_STEP_SUMMARY": str(summary),
        **inputs,
    }
    return subprocess.run(
        ["bash", str(ENTRY)], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_a_pull_request_is_checked_against_its_base(pr: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _run(pr, summary, GITHUB_BASE_REF="main")
    assert result.returncode == 1, result.stdout + result.stderr
    annotation = re.compile(
        r"^::error file=contracts/shop/order-placed\.v1\.1\.yaml,line=\d+,"
        r"title=BEHAVIOUR_KEY_CHANGED::against 1\.0\.0: partition key `order_id` was changed"
    )
    assert any(annotation.match(line) for line in result.stdout.splitlines()), result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## contractctl check\n\n❌ **Changes requested**")
    assert "against git:main" in text
    assert "| shop.OrderPlaced | 1.1.0 | `BEHAVIOUR_KEY_CHANGED` | error |" in text


def test_the_base_is_fetched_from_origin_when_the_checkout_lacks_it(
    pr: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "feature", "--single-branch", str(pr), str(clone))
    assert not git(clone, "branch", "-r", "--list", "origin/main").strip()
    summary = tmp_path / "summary.md"
    result = _run(clone, summary, GITHUB_BASE_REF="main")
    assert result.returncode == 1, result.stderr
    assert "against git:origin/main" in summary.read_text(encoding="utf-8")


def test_inputs_reach_contractctl(pr: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _run(
        pr,
        summary,
        INPUT_AGAINST="git:feature",
        INPUT_PATHS="contracts/shop",
        INPUT_FAIL_ON="never",
    )
    assert result.returncode == 0, result.stderr
    assert "BEHAVIOUR_KEY_CHANGED" not in result.stdout  # the head compared with itself
    assert "against git:feature" in summary.read_text(encoding="utf-8")


def test_action_yml_runs_the_entry_script_with_every_input() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    (step,) = [s for s in action["runs"]["steps"] if "entry.sh" in s.get("run", "")]
    assert step["run"] == '"$GITHUB_ACTION_PATH/action/entry.sh"'
    script = ENTRY.read_text(encoding="utf-8")
    for name in action["inputs"]:
        variable = "INPUT_" + name.upper().replace("-", "_")
        if variable in step["env"]:
            assert step["env"][variable] == f"${{{{ inputs.{name} }}}}"
            assert variable in script
    assert set(step["env"]) == {"INPUT_PATHS", "INPUT_AGAINST", "INPUT_FAIL_ON", "INPUT_CONFIG"}


def test_pre_commit_hooks_run_contractctl() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"]: h["entry"] for h in hooks} == {
        "contractctl-validate": "contractctl validate",
        "contractctl-check": "contractctl check",
    }
    assert all(h["pass_filenames"] is False for h in hooks)
