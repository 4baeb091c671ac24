"""Two or more `publish` runs on one embedded registry: every version and id survives."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

from contractctl.adapters.registry.api import SchemaSubmission
from contractctl.adapters.registry.store import LocalStore

PAIRS = 12  # pairs of concurrent writers per round
ROUNDS = 2


def _schema(tag: str) -> SchemaSubmission:
    fields = [{"name": "id", "type": "string"}, {"name": tag, "type": "int", "default": 0}]
    return SchemaSubmission(json.dumps({"type": "record", "name": "E", "fields": fields}))


def _writer(root: str, subject: str, tag: str, start: object) -> None:
    store = LocalStore(Path(root))  # loaded before the others write: a stale view
    start.wait()  # type: ignore[attr-defined]
    store.register(subject, _schema(tag))


def test_concurrent_publishes_lose_no_version_and_share_no_id(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    LocalStore(root).set_level("s-value", "NONE")
    ctx = multiprocessing.get_context("fork")
    expected: set[str] = set()
    for round_ in range(ROUNDS):
        start = ctx.Event()
        tags = [f"f{round_}_{i}" for i in range(2 * PAIRS)]
        expected.update(tags)
        procs = [ctx.Process(target=_writer, args=(str(root), "s-value", t, start)) for t in tags]
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
    store = LocalStore(root)
    versions = [store.version("s-value", n) for n in store.versions("s-value")]
    assert [v.version for v in versions if v] == list(range(1, len(expected) + 1))
    held = {json.loads(v.schema)["fields"][1]["name"] for v in versions if v}
    assert held == expected  # every registration survived
    ids = [v.id for v in versions if v]
    assert len(set(ids)) == len(ids)  # no id given to two schemas


def test_registry_files_honour_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        LocalStore(tmp_path / "reg").register("a-value", _schema("x"))
    finally:
        os.umask(old)
    written = tmp_path / "reg" / "subjects" / "a-value" / "v1.json"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
