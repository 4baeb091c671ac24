"""Security scenarios of issue #15: nothing fetched, nothing read outside the project.

A listener on 127.0.0.1 stands in for "the network": any connection it receives fails the
test, whatever command made it.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli

CONTRACT = """\
name: shop.ThingHappened
version: "1.0.0"
owner: team
summary: s
description: d
producer: shop
channel: things
schema:
  format: jsonschema
  {schema}
examples:
  - name: e
    payload: {{a: "x"}}
"""


class Listener:
    """A TCP server on 127.0.0.1 that only counts who connects."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _project(root: Path, schema: dict[str, object], config: str = "") -> Path:
    (root / "contracts").mkdir(parents=True)
    (root / "contractctl.yaml").write_text(config or "contracts: contracts\n", encoding="utf-8")
    (root / "contracts" / "thing.json").write_text(json.dumps(schema), encoding="utf-8")
    (root / "contracts" / "c.yaml").write_text(
        CONTRACT.format(schema="file: thing.json"), encoding="utf-8"
    )
    return root


COMMANDS = [
    ("validate",),
    ("check",),
    ("codegen", "python", "--out", "gen"),
    ("docs", "build", "--out", "site"),
    ("docs", "build", "--out", "md", "--format", "markdown"),
    ("export", "asyncapi"),
    ("graph",),
    ("publish",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_remote_refs_are_never_fetched(
    listener: Listener, tmp_path: Path, args: tuple[str]
) -> None:
    url = f"http://127.0.0.1:{listener.port}"
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "a": {"$ref": f"{url}/x.json"},
            "b": {"$id": f"{url}/nested/", "$ref": "y.json"},
            "c": {"$ref": "file:///etc/hostname"},
        },
    }
    _project(tmp_path, schema)
    result = run_cli(list(args), cwd=tmp_path)
    output = result.stdout + result.stderr
    assert listener.connections == 0, output
    assert result.exit_code != 70, output
    assert "Traceback" not in output


def test_remote_ref_is_reported_not_fetched(listener: Listener, tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"$ref": f"http://127.0.0.1:{listener.port}/x"}},
    }
    _project(tmp_path, schema)
    result = run_cli(["validate"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "CONTRACT_SCHEMA_REMOTE_REF" in result.stdout
    assert listener.connections == 0


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "creds.json").write_text('{"const": "s3cr3t-password"}', encoding="utf-8")
    return tmp_path / "project"


def test_ref_outside_the_root_is_refused(tmp_path: Path) -> None:
    project = _outside(tmp_path)
    schema = {"type": "object", "properties": {"a": {"$ref": "../../outside/creds.json"}}}
    _project(project, schema)
    result = run_cli(["validate"], cwd=project)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "outside the project root" in result.stdout
    exported = run_cli(["export", "asyncapi"], cwd=project)
    assert "s3cr3t-password" not in exported.stdout + exported.stderr
    # Whether publish refuses the schema is publish's gate (validate first); here: the
    # outside file's content never reaches the registry.
    published = run_cli(["publish"], cwd=project)
    assert published.exit_code != 70
    registry = project / ".contractctl"
    if registry.exists():
        for file in registry.rglob("*"):
            assert not file.is_file() or "s3cr3t" not in file.read_text(encoding="utf-8")


def test_schema_file_outside_the_root_is_an_input_error(tmp_path: Path) -> None:
    project = _outside(tmp_path)
    _project(project, {"type": "object"})
    (project / "contracts" / "c.yaml").write_text(
        CONTRACT.format(schema="file: ../../outside/creds.json"), encoding="utf-8"
    )
    result = run_cli(["validate"], cwd=project)
    assert result.exit_code == 3
    assert "c.yaml\n  10:9" in result.stdout
    assert "outside the project root" in result.stderr + result.stdout


def test_extra_roots_allow_a_shared_folder(tmp_path: Path) -> None:
    project = _outside(tmp_path)
    (tmp_path / "outside" / "creds.json").write_text('{"type": "string"}', encoding="utf-8")
    schema = {"type": "object", "properties": {"a": {"$ref": "../../outside/creds.json"}}}
    _project(project, schema, config="contracts: contracts\nextra_roots: [../outside]\n")
    result = run_cli(["validate"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    project = _outside(tmp_path)
    _project(project, {"type": "object", "properties": {"a": {"$ref": "link.json"}}})
    (project / "contracts" / "link.json").symlink_to(tmp_path / "outside" / "creds.json")
    result = run_cli(["validate"], cwd=project)
    assert result.exit_code == 1
    assert "outside the project root" in result.stdout
