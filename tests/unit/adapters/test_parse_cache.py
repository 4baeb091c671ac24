"""The parse cache is never wrong: findings follow the files' content whatever happens to
the files (same size and time stamp included) or to the cache (corrupted, forged, committed,
unwritable), and ``--no-cache`` / ``cache: false`` leave no trace."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from contractctl.adapters import parse_cache
from contractctl.app.check import CheckRequest, check
from contractctl.app.validate import ValidateRequest, validate
from contractctl.core.contract.config import load_config
from contractctl.core.contract.loader import load_contracts, remembering
from tests.conftest import REPO

ENTRIES = Path(".contractctl/cache") / f"v{parse_cache.FORMAT}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.delenv("CI", raising=False)  # the default is off in CI (test_off_in_ci)
    root = tmp_path / "project"
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copy(REPO / "contractctl.yaml", root / "contractctl.yaml")
    return root


def _findings(root: Path, *, cache: bool = True) -> list[tuple[object, ...]]:
    config = load_config(root / "contractctl.yaml")
    outcome = check(CheckRequest(config=config, cache=cache))
    report = outcome.report
    return sorted((f.rule_id, f.file, f.line, f.pointer, f.message) for f in report.findings)


def _entries(root: Path) -> list[Path]:
    folder = root / ENTRIES
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_second_run_recalls_every_contract(project: Path) -> None:
    config = load_config(project / "contractctl.yaml")
    first = parse_cache.open_cache(project)
    assert first is not None
    with remembering(first):
        cold = load_contracts(None, config)
    assert (first.hits, first.written) == (0, len(cold.files))
    again = parse_cache.open_cache(project)
    assert again is not None
    with remembering(again):
        warm = load_contracts(None, config)
    assert (again.hits, again.written) == (len(cold.files), 0)
    assert [c.raw for c in warm.contracts] == [c.raw for c in cold.contracts]
    assert [c.positions for c in warm.contracts] == [c.positions for c in cold.contracts]
    assert (project / ".contractctl/cache/.gitignore").read_text().endswith("*\n")


def test_findings_follow_content_with_same_size_and_time_stamp(project: Path) -> None:
    clean = _findings(project)
    assert _entries(project)
    contract = project / "contracts/orders/order-cancelled.v1.yaml"
    before = contract.stat()
    text = contract.read_text()
    # Same length, same time stamps: only the content tells the two apart.
    edited = text.replace('version: "1.0.0"', 'version: "1.0.x"', 1)
    assert edited != text
    assert len(edited) == len(text)
    contract.write_text(edited)
    os.utime(contract, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert contract.stat().st_size == before.st_size
    changed = _findings(project)
    assert changed == _findings(project, cache=False)
    assert changed != clean
    contract.write_text(text)  # and back: the old entry is right again
    os.utime(contract, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _findings(project) == clean


def _forge(entry: Path, value: object, *, mac: str | None = None) -> None:
    payload = json.dumps({"kind": "contract-yaml/1000000/256", "value": value})
    entry.write_text(f"{mac or '0' * 64}\n{payload}")


@pytest.mark.parametrize(
    "damage",
    ["truncate", "garbage", "forged", "forged-empty", "swapped", "directory", "symlink"],
)
def test_damaged_or_forged_entries_are_misses(project: Path, damage: str) -> None:
    clean = _findings(project, cache=False)
    _findings(project)
    entries = _entries(project)
    assert entries
    for index, entry in enumerate(entries):
        if damage == "truncate":
            entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
        elif damage == "garbage":
            entry.write_bytes(b"\x00\xff not an entry")
        elif damage == "forged":  # well-formed, plausible data, but no key to sign it
            _forge(entry, {"data": {"name": "x.Y", "version": "1.0.0"}, "nodes": [[], [], []]})
        elif damage == "forged-empty":
            _forge(entry, None)
        elif damage == "swapped":  # each entry holds another file's parse, correctly signed
            other = entries[(index + 1) % len(entries)]
            entry.write_bytes(other.read_bytes())
        elif damage == "directory":
            entry.unlink()
            entry.mkdir()
        elif damage == "symlink":
            entry.unlink()
            entry.symlink_to(entries[0] if entry != entries[0] else "/dev/zero")
    assert _findings(project) == clean


def test_an_entry_signed_with_the_key_but_of_the_wrong_shape_is_a_miss(project: Path) -> None:
    clean = _findings(project, cache=False)
    _findings(project)
    cache = parse_cache.open_cache(project)
    assert cache is not None
    for entry in _entries(project):
        payload = json.dumps({"kind": "contract-yaml/1000000/256", "value": {"data": 1}}).encode()
        mac = cache._mac(entry.name, payload)
        entry.write_bytes(mac.encode() + b"\n" + payload)
    assert _findings(project) == clean


def test_a_committed_cache_is_not_trusted(project: Path, tmp_path: Path) -> None:
    """Entries written under another user's key (e.g. committed to the repository)."""
    _findings(project)
    (tmp_path / "home-cache/contractctl/cache-key").unlink()  # a new user, a new key
    cache = parse_cache.open_cache(project)
    assert cache is not None
    with remembering(cache):
        load_contracts(None, load_config(project / "contractctl.yaml"))
    assert cache.hits == 0


def test_unwritable_cache_folder_means_no_cache(project: Path) -> None:
    (project / ".contractctl").write_text("a file where the cache folder would go\n")
    assert _findings(project) == _findings(project, cache=False)
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (project / ".contractctl").unlink()
    (project / ".contractctl").symlink_to(elsewhere)  # never written through
    assert _findings(project) == _findings(project, cache=False)
    assert list(elsewhere.iterdir()) == []


def test_no_cache_and_config_leave_no_trace(project: Path) -> None:
    _findings(project, cache=False)
    config = load_config(project / "contractctl.yaml")
    validate(ValidateRequest(config=config, cache=False))
    assert not (project / ".contractctl").exists()
    (project / "contractctl.yaml").write_text(
        (project / "contractctl.yaml").read_text() + "cache: false\n"
    )
    _findings(project)
    validate(ValidateRequest(config=load_config(project / "contractctl.yaml")))
    assert not (project / ".contractctl").exists()


def test_no_key_means_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = project.parent / "blocked"
    blocked.write_text("a file where the key folder would go\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert parse_cache.open_cache(project) is None
    assert _findings(project) == _findings(project, cache=False)


def test_prune_keeps_the_newest_entries(tmp_path: Path) -> None:
    for i in range(30):
        entry = tmp_path / f"{i:02d}"
        entry.write_text("x")
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    assert parse_cache.prune(tmp_path, 20) == 12  # down to 90% of the limit
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i:02d}" for i in range(12, 30)]
    assert parse_cache.prune(tmp_path, 20) == 0


@pytest.mark.parametrize(("ci", "setting", "kept"), [
    ("true", None, False),   # a fresh CI checkout only pays for the writes
    ("1", None, False),
    ("false", None, True),
    ("", None, True),
    ("true", "true", True),  # a CI that keeps .contractctl/cache between runs opts in
    (None, "false", False),
])  # fmt: skip
def test_off_in_ci_unless_asked(
    project: Path, monkeypatch: pytest.MonkeyPatch, ci: str | None, setting: str | None, kept: bool
) -> None:
    if ci is not None:
        monkeypatch.setenv("CI", ci)
    if setting is not None:
        config = project / "contractctl.yaml"
        config.write_text(config.read_text() + f"cache: {setting}\n")
    _findings(project)
    assert bool(_entries(project)) is kept


def test_the_key_is_made_readable_by_its_owner_only(project: Path) -> None:
    old = os.umask(0o022)  # a usual umask would leave a new file readable by all
    try:
        assert parse_cache.open_cache(project) is not None
    finally:
        os.umask(old)
    key = project.parent / "home-cache/contractctl/cache-key"
    assert key.stat().st_mode & 0o777 == 0o600
