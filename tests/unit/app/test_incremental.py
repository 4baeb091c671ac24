"""Incremental check/validate against git:REF give the full run's findings for what changed.

Each case generates a history (events with versions, JSON Schema and Avro, shared ``$ref``
and example files, compensation and replaced_by references, consumers), commits it, applies
seeded random edits to the work tree (breaking and compatible schema edits, new versions,
deleted and renamed events, edits to a shared schema, untracked files, broken YAML), then
runs the gate both ways. The incremental findings must equal the full run's findings about
the judged events and changed files, and every event the edits touched must be judged.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractctl.app.check import CheckRequest, check
from contractctl.app.validate import ValidateRequest, validate
from contractctl.core.contract.config import load_config
from contractctl.core.vocab.findings import Finding, Report
from tests.conftest import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EVENTS = 24


def _name(i: int) -> str:
    return f"dom{i % 4}.Thing{i:02d}Happened"


def _contract(i: int, version: str, schema: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": _name(i),
        "version": version,
        "summary": f"Thing {i} happened.",
        "description": "Generated for the incremental test.",
        "owner": f"team-{i % 3}",
        "producer": f"svc-{i % 5}",
        "channel": f"dom{i % 4}.thing-{i:02d}",
        "schema": schema,
        "consumers": [{"service": f"svc-{(i + 1) % 5}", "purpose": "Reacts."}],
        "examples": [{"name": "basic", "payload": {"id": "x", "n": 1}}],
    }
    if rnd.random() < 0.3:
        out["error_policy"] = {"compensation": [_name(rnd.randrange(EVENTS))]}
    if rnd.random() < 0.15:
        out["deprecated"] = {"since": "2026-01-01", "replaced_by": _name(rnd.randrange(EVENTS))}
    if rnd.random() < 0.2:
        out["examples"] = [{"name": "from-file", "file": "../examples/basic.json"}]
    return out


def _json_schema(extra: int, shared: bool) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": "string"}, "n": {"type": "integer"}}
    for k in range(extra):
        props[f"f{k}"] = {"type": "string"}
    if shared:
        props["where"] = {"$ref": "../../common/place.json"}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": props,
        "required": ["id"],
    }


def _avro(i: int, extra: int) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "id", "type": "string"},
        {"name": "n", "type": "int"},
    ]
    fields += [{"name": f"f{k}", "type": ["null", "string"], "default": None} for k in range(extra)]
    return {"type": "record", "name": f"Thing{i:02d}", "namespace": "gen", "fields": fields}


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix in (".yaml", ".yml"):
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _generate(repo: Path, rnd: random.Random) -> dict[int, list[int]]:
    """The committed history: event index → minor versions present (1.<m>.0)."""
    services = "".join(f"  svc-{k}:\n    owner: team-{k}\n" for k in range(5))
    (repo / "contractctl.yaml").write_text(
        "contracts: contracts\nrules:\n  CONTRACT_SERVICE_UNDECLARED: warning\n"
        f"services:\n{services}",
        encoding="utf-8",
    )
    c = repo / "contracts"
    _write(
        c / "common" / "place.json", {"type": "object", "properties": {"city": {"type": "string"}}}
    )
    _write(c / "examples" / "basic.json", {"id": "x", "n": 1})
    versions: dict[int, list[int]] = {}
    for i in range(EVENTS):
        versions[i] = list(range(rnd.randint(1, 3)))
        for m in versions[i]:
            _write_version(c, i, m, rnd)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "history")
    return versions


def _write_version(c: Path, i: int, m: int, rnd: random.Random, extra: int | None = None) -> None:
    avro = i % 3 == 0
    extra = m if extra is None else extra
    folder = c / f"dom{i % 4}"
    if avro:
        _write(folder / "schemas" / f"thing{i:02d}.v1.{m}.avsc", _avro(i, extra))
        schema = {"format": "avro", "file": f"schemas/thing{i:02d}.v1.{m}.avsc"}
    elif i % 3 == 1:
        _write(folder / "schemas" / f"thing{i:02d}.v1.{m}.json", _json_schema(extra, i % 2 == 1))
        schema = {"format": "jsonschema", "file": f"schemas/thing{i:02d}.v1.{m}.json"}
    else:
        schema = {"format": "jsonschema", "inline": _json_schema(extra, False)}
    _write(folder / f"thing{i:02d}.v1.{m}.yaml", _contract(i, f"1.{m}.0", schema, rnd))


def _edit(repo: Path, versions: dict[int, list[int]], rnd: random.Random) -> set[str]:
    """Two or three random edits to the work tree; returns the events they touch."""
    c = repo / "contracts"
    touched: set[str] = set()
    for _ in range(rnd.randint(2, 3)):
        i = rnd.randrange(EVENTS)
        folder = c / f"dom{i % 4}"
        latest = versions[i][-1]
        kind = rnd.choice(
            [
                "break",
                "new-version",
                "delete",
                "rename",
                "shared",
                "untracked",
                "broken",
                "compensate",
            ]
        )
        touched.add(_name(i))
        if kind == "break":  # the latest version loses a field it had (or gains a required one)
            _write_version(c, i, latest, rnd, extra=max(latest - 1, 0) if latest else 3)
        elif kind == "new-version":
            versions[i].append(latest + 1)
            _write_version(c, i, latest + 1, rnd, extra=rnd.choice([latest, latest + 1]))
        elif kind == "delete":
            for path in folder.glob(f"thing{i:02d}.v1.*.yaml"):
                path.unlink()
        elif kind == "rename":
            path = folder / f"thing{i:02d}.v1.{latest}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["name"] = f"dom{i % 4}.Renamed{i:02d}Happened"
            touched.add(data["name"])
            _write(path, data)
        elif kind == "shared":  # every JSON contract using place.json is affected
            _write(
                c / "common" / "place.json",
                {"type": "object", "properties": {"city": {"type": "integer"}}},
            )
            touched.discard(_name(i))
        elif kind == "untracked":
            _write(
                c / "extra" / f"new{i:02d}.yaml",
                {
                    **_contract(
                        i, "9.0.0", {"format": "jsonschema", "inline": _json_schema(0, False)}, rnd
                    ),
                    "name": f"dom{i % 4}.Fresh{i:02d}Happened",
                },
            )
            touched.discard(_name(i))
            touched.add(f"dom{i % 4}.Fresh{i:02d}Happened")
        elif kind == "broken":
            (folder / f"thing{i:02d}.v1.{latest}.yaml").write_text(
                "name: [unclosed\n", encoding="utf-8"
            )
        else:  # a contract starts compensating another event
            path = folder / f"thing{i:02d}.v1.{latest}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["error_policy"] = {"compensation": [_name((i + 7) % EVENTS)]}
            _write(path, data)
    return touched


def _key(f: Finding) -> str:
    return json.dumps(
        [
            f.rule_id,
            f.severity.value,
            f.message,
            f.file,
            f.line,
            f.column,
            f.pointer,
            f.event,
            f.hint,
            sorted(f.extra.items(), key=str),
        ],
        default=str,
    )


def _in_scope(report: Report, incremental: Report) -> list[str]:
    events = set(incremental.summary["judged_events"])
    ref = incremental.summary["ref"]
    files = {
        str(Path(p).relative_to("contracts").as_posix())
        for p in incremental.summary["changed_files"]
    }
    shown = {f"contracts/{p}" for p in files} | {f"git:{ref}:contracts/{p}" for p in files}
    return sorted(_key(f) for f in report.findings if f.event in events or f.file in shown)


@pytest.mark.parametrize("seed", range(12))
def test_incremental_findings_equal_the_full_runs(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rnd = random.Random(seed)
    repo = tmp_path / "repo"
    repo.mkdir()
    versions = _generate(repo, rnd)
    touched = _edit(repo, versions, rnd)
    monkeypatch.chdir(repo)
    config = load_config(root=repo)
    full = check(CheckRequest(config=config, against="git:main", all=True)).report
    fast = check(CheckRequest(config=config, against="git:main"))
    v_full = validate(ValidateRequest(config=config)).report
    v_fast = validate(ValidateRequest(config=config, changed_since="main"))
    for full_report, outcome in ((full, fast), (v_full, v_fast)):
        report = outcome.report
        if "ref" not in report.summary:
            # The full run answered: here only an unknown event (its hint needs every name)
            # or an undeclared service may cause that, and then the answer is the full run's.
            reasons = {"CONTRACT_UNKNOWN_EVENT", "CONTRACT_SERVICE_UNDECLARED"}
            assert any(f.rule_id in reasons for f in full_report.findings)
            assert sorted(map(_key, report.findings)) == sorted(map(_key, full_report.findings))
            continue
        assert touched <= set(report.summary["judged_events"])
        assert sorted(map(_key, report.findings)) == _in_scope(full_report, report)


def test_a_name_grep_cannot_match_literally_gets_the_full_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rnd = random.Random(99)
    repo = tmp_path / "repo"
    repo.mkdir()
    _generate(repo, rnd)
    path = next((repo / "contracts" / "dom1").glob("thing*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["name"] = "dom1.Odd Name (v2)"
    _write(path, data)
    monkeypatch.chdir(repo)
    config = load_config(root=repo)
    full = check(CheckRequest(config=config, against="git:main", all=True)).report
    fast = check(CheckRequest(config=config, against="git:main")).report
    assert "ref" not in fast.summary
    assert sorted(map(_key, fast.findings)) == sorted(map(_key, full.findings))


def test_no_change_judges_nothing_and_reports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _generate(repo, random.Random(5))
    monkeypatch.chdir(repo)
    fast = check(CheckRequest(config=load_config(root=repo), against="git:main")).report
    assert fast.summary["judged_events"] == []
    assert fast.findings == []
