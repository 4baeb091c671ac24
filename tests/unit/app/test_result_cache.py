"""The report cache is never wrong: after any input of a run changes behind its back (time
stamps restored), ``validate`` and ``check`` give exactly the report of a run without the
cache, and an unchanged tree gets the remembered report back (so these tests exercise it)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contractctl.adapters import parse_cache, result_cache
from contractctl.app.check import CheckRequest, check
from contractctl.app.validate import ValidateRequest, validate
from contractctl.core.contract.config import load_config
from contractctl.core.contract.facts import forget_paths
from contractctl.core.vocab.findings import Finding, Report, Severity
from contractctl.reporting.json_report import render
from tests.conftest import REPO, git

TODAY = dt.date(2026, 6, 1)


def _entries(root: Path) -> Path:
    return root / ".contractctl/cache" / f"v{parse_cache.FORMAT}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.delenv("CI", raising=False)
    root = tmp_path / "project"
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copy(REPO / "contractctl.yaml", root / "contractctl.yaml")
    monkeypatch.chdir(root)
    return root


def _run(command: str, root: Path, *, cache: bool = True, **options: Any) -> tuple[str, bool]:
    """(the rendered report, whether it was the remembered one)."""
    forget_paths()  # as a new process would: no folder's project remembered in memory
    config = load_config(root / "contractctl.yaml")
    today = options.pop("today", TODAY)
    outcome: Any
    if command == "validate":
        outcome = validate(ValidateRequest(config=config, cache=cache, today=today, **options))
    else:
        outcome = check(CheckRequest(config=config, cache=cache, today=today, **options))
    text = render(outcome.report) + f"input errors: {outcome.input_errors}\n"
    return text, outcome.recalled


def _edit(file: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` and put the time stamps back: only the content tells."""
    before = file.stat()
    text = file.read_text()
    assert old in text, (file, old)
    file.write_text(text.replace(old, new, 1))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))


def _retarget(root: Path) -> None:
    """The schema file becomes a symlink to an identical copy outside the project: the
    bytes read are the same, only where the path leads changed (and it may not be read)."""
    schema = root / "contracts/orders/schemas/order-cancelled.json"
    outside = root.parent / "outside.json"
    outside.write_bytes(schema.read_bytes())
    inside = schema.with_name("real-order-cancelled.json")
    inside.write_bytes(schema.read_bytes())
    schema.unlink()
    schema.symlink_to(inside)


def _retarget_again(root: Path) -> None:
    schema = root / "contracts/orders/schemas/order-cancelled.json"
    schema.unlink()
    schema.symlink_to(root.parent / "outside.json")


def _new_contract(root: Path) -> None:
    source = root / "contracts/orders/order-cancelled.v1.yaml"
    copy = source.read_text().replace('version: "1.0.0"', 'version: "1.1.0"')
    copy = copy.replace("file: schemas/order-cancelled.json", "file: schemas/order-placed.v1.json")
    (root / "contracts/orders/order-cancelled.v1.1.yaml").write_text(copy)


def _extensionless_ref(root: Path) -> None:
    _edit(
        root / "contracts/orders/schemas/order-placed.v1.1.json",
        '"../../common/address.json"',
        '"../../common/address"',
    )


def _file_without_extension(root: Path) -> None:
    # The ref now means this file, not address.json beside it (which did not change).
    common = root / "contracts/common"
    text = (common / "address.json").read_text()
    (common / "address").write_text(text.replace('"type": "string"', '"type": "number"', 1))


def _nested_config(root: Path) -> None:
    # Files below a folder with its own contractctl.yaml are named from that folder.
    (root / "contracts/orders/contractctl.yaml").write_text("contracts: .\n")


BOTH = ("validate", "check")


def _after(
    change: Callable[[Path], None],
    before: Callable[[Path], None] | None = None,
    changes: tuple[str, ...] = BOTH,
) -> tuple[Callable[[Path], None], Callable[[Path], None] | None, tuple[str, ...]]:
    """A mutation made after a cached run (``before``: made before it), and the commands
    whose report it changes."""
    return change, before, changes


MUTATIONS = {
    "contract text": _after(
        lambda r: _edit(
            r / "contracts/orders/order-cancelled.v1.yaml", 'version: "1.0.0"', 'version: "1.0.x"'
        )
    ),
    "schema file": _after(
        lambda r: _edit(
            r / "contracts/orders/schemas/order-placed.v1.1.json",
            '"additionalProperties": false',
            '"additionalProperties": 12345',
        )
    ),
    "file a $ref names": _after(
        lambda r: _edit(r / "contracts/common/address.json", '"type": "string"', '"type": "number"')
    ),
    "avro reference": _after(
        lambda r: _edit(r / "contracts/common/Money.avsc", '"amount_minor"', '"amount_minoR"')
    ),
    "extension-less $ref": _after(_file_without_extension, _extensionless_ref),
    "example file": _after(
        lambda r: _edit(
            r / "contracts/orders/examples/order-placed-basic.json", '"order_id"', '"order_ix"'
        )
    ),
    "contract added": _after(_new_contract),
    "contract removed": _after(
        lambda r: (r / "contracts/payments/payment-succeeded.v1.1.yaml").unlink()
    ),
    "symlink retargeted": _after(_retarget_again, _retarget),
    "config level": _after(
        lambda r: _edit(r / "contractctl.yaml", "compatibility: BACKWARD", "compatibility: FULL"),
        changes=("check",),
    ),
    "config rule severity": _after(
        lambda r: _edit(
            r / "contractctl.yaml",
            "CONTRACT_EXAMPLE_REQUIRED: warning",
            "CONTRACT_EXAMPLE_REQUIRED: warning\n  AVRO_FIELD_ADDED_WITH_DEFAULT: error",
        ),
        changes=("check",),
    ),
    "config services": _after(
        lambda r: _edit(
            r / "contractctl.yaml",
            "  shipping-service:\n    owner: team-shipping\n",
            "  shipping-servic:\n    owner: team-shipping\n",
        )
    ),
    "contractctl.yaml added below": _after(_nested_config),
}


@pytest.mark.parametrize("command", BOTH)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_a_changed_input_gives_the_report_of_a_run_without_cache(
    project: Path, command: str, mutation: str
) -> None:
    after, before, changes = MUTATIONS[mutation]
    if before is not None:
        before(project)
    first, recalled = _run(command, project)
    assert not recalled
    again, recalled = _run(command, project)
    assert recalled, "an unchanged tree gets the remembered report"
    assert again == first == _run(command, project, cache=False)[0]
    after(project)
    expected, _ = _run(command, project, cache=False)
    # Else the mutation tests nothing: a stale report would look right.
    assert (expected != first) == (command in changes)
    assert _run(command, project)[0] == expected
    assert _run(command, project) == (expected, True)


def test_the_date_is_an_input(project: Path) -> None:
    _edit(
        project / "contracts/payments/payment-failed.v1.yaml",
        "producer: payment-service",
        "producer: payment-service\ndeprecated: {since: 2026-01-01, sunset: 2026-07-01}",
    )
    early = _run("validate", project, today=dt.date(2026, 6, 1))[0]
    assert _run("validate", project, today=dt.date(2026, 6, 1)) == (early, True)
    entries = len(list(_entries(project).iterdir()))
    late = _run("validate", project, today=dt.date(2026, 8, 1))[0]
    assert late == _run("validate", project, today=dt.date(2026, 8, 1), cache=False)[0]
    assert late != early
    # Each day's report replaces the day before's: the cache does not grow by the day.
    assert len(list(_entries(project).iterdir())) == entries


def test_input_errors_are_remembered_with_the_report(project: Path) -> None:
    (project / "contracts/orders/broken.yaml").write_bytes(b"name: [unclosed\n")
    first = _run("validate", project)
    assert "input errors: 1" in first[0]
    assert _run("validate", project) == (first[0], True)


def _baseline_dir(root: Path) -> str:
    shutil.copytree(root / "contracts", root.parent / "release")
    return str(root.parent / "release")


def _baseline_git(root: Path) -> str:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "release")
    return "git:HEAD"


def _mutate_dir(root: Path) -> None:
    # The release already had 1.1.1: the tree's 1.1.0 no longer sorts after it.
    _edit(root.parent / "release/orders/order-placed.v1.1.yaml", '"1.1.0"', '"1.1.1"')


def _mutate_git(root: Path) -> None:
    contract = root / "contracts/orders/order-placed.v1.1.yaml"
    text = contract.read_text()
    # Time stamps not restored: git itself trusts them to tell what to commit.
    contract.write_text(text.replace('"1.1.0"', '"1.1.1"', 1))
    git(root, "commit", "-q", "-a", "--amend", "-m", "another release")
    _edit(contract, '"1.1.1"', '"1.1.0"')  # the work tree as it was; only the baseline changed


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    ("make", "mutate"),
    [(_baseline_dir, _mutate_dir), (_baseline_git, _mutate_git)],
    ids=["dir", "git"],
)
def test_a_changed_baseline_gives_the_report_of_a_run_without_cache(
    project: Path, make: Callable[[Path], str], mutate: Callable[[Path], None]
) -> None:
    against = make(project)
    options = {"against": against, "all": True}
    first = _run("check", project, **options)[0]
    assert _run("check", project, **options)[0] == first
    mutate(project)
    expected = _run("check", project, cache=False, **options)[0]
    assert expected != first
    assert _run("check", project, **options)[0] == expected


def test_reports_round_trip_exactly_or_are_not_kept() -> None:
    finding = Finding(
        "R", Severity.ERROR, "m", file="f", line=3, pointer="/a", extra={"k": [1, "x", None]}
    )
    report = Report("check", [finding], ["f"], {"n": 1})
    data = result_cache.report_to_data(report)
    assert data is not None
    back = result_cache.report_from_data(json.loads(json.dumps(data)), "check")
    assert back == report
    assert back.findings[0].extra == finding.extra
    # A tuple, a path or an enum would come back as something else: such a report is run again.
    for odd in ((1, 2), Path("x"), Severity.INFO, {1: "a"}):
        kept = Report("check", [Finding("R", Severity.INFO, "m", extra={"k": odd})])
        assert result_cache.report_to_data(kept) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["findings"][0].__setitem__(1, "fatal"),
        lambda d: d["findings"][0].__setitem__(4, "3"),
        lambda d: d["findings"][0].pop(),
        lambda d: d.__setitem__("files", "f"),
        lambda d: d.__setitem__("summary", []),
    ],
    ids=["severity", "line", "short-row", "files", "summary"],
)
def test_an_entry_of_the_wrong_shape_is_a_miss(damage: Callable[[dict[str, Any]], None]) -> None:
    report = Report("check", [Finding("R", Severity.INFO, "m", line=3)], ["f"], {"n": 1})
    data = result_cache.report_to_data(report)
    assert data is not None
    damage(data)
    assert result_cache.report_from_data(data, "check") is None


def test_a_signed_entry_with_a_false_trail_is_a_miss(project: Path) -> None:
    """Even an entry signed with the user's key is reused only when its facts hold."""
    clean = _run("validate", project)[0]
    cache = parse_cache.open_cache(project)
    assert cache is not None
    key = result_cache.run_key("validate", ["x"], [])
    assert key is not None
    report = Report("validate", [Finding("FAKE", Severity.ERROR, "m")])
    facts = {("read/100", str(project / "contractctl.yaml")): "0" * 64}
    assert result_cache.remember(cache, "validate", key, facts, report, 0)
    assert result_cache.recall(cache, "validate", key) is None
    facts = {("no-such-kind", "x"): ""}
    assert result_cache.remember(cache, "validate", key, facts, report, 0)
    assert result_cache.recall(cache, "validate", key) is None
    assert _run("validate", project)[0] == clean


def test_concurrent_runs_share_the_cache(project: Path, tmp_path: Path) -> None:
    """Runs started together each write whole entries (renamed into place): every report
    is right, and the entries they leave are reused by the next run."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "home-cache")}
    env.pop("CI", None)
    command = [sys.executable, "-m", "contractctl", "check", "--format", "json"]
    expected = subprocess.run(
        [*command, "--no-cache"], cwd=project, env=env, capture_output=True, check=False
    ).stdout
    runs = [
        subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE) for _ in range(3)
    ]
    outputs = [run.communicate()[0] for run in runs]
    assert outputs == [expected] * 3
    assert _run("check", project, today=None) == (_run("check", project, cache=False)[0], True)
