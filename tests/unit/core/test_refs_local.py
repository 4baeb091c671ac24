"""Which refs are local: ``validate`` (RefResolver) and ``codegen`` decide alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contractctl.core.codegen import plan
from contractctl.core.contract.model import Contract, SchemaSpec
from contractctl.core.schema.jsonschema_refs import RefResolver


def _write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document))
    return path


def _read(path: Path) -> Any:
    return json.loads(path.read_text())


def test_relative_ref_under_an_https_id_is_the_local_copy(tmp_path: Path) -> None:
    _write(tmp_path, "common.json", {"definitions": {"n": {"type": "integer"}}})
    root = {"$id": "https://example.test/s/root.json", "type": "object",
            "properties": {"a": {"$ref": "common.json#/definitions/n"},
                           "b": {"$ref": "https://example.test/s/common.json#/definitions/n"}}}  # fmt: skip
    file = _write(tmp_path, "root.json", root)
    assert RefResolver(root, file, roots=(tmp_path,)).check() == []
    contract = Contract(name="x.Root", version="1.0.0",
                        schema=SchemaSpec("jsonschema", root, file), path=file)  # fmt: skip
    modules = plan([contract], read=_read)
    assert [m.path for m in modules if not m.is_event] == [("_shared", "common")]


def test_ref_without_extension_names_the_json_file(tmp_path: Path) -> None:
    _write(tmp_path, "base.json", {"definitions": {"n": {"type": "integer"}}})
    root = {"properties": {"a": {"$ref": "base#/definitions/n"}}}
    assert RefResolver(root, _write(tmp_path, "root.json", root), roots=(tmp_path,)).check() == []


def test_other_https_refs_stay_remote_and_missing_files_unresolved(tmp_path: Path) -> None:
    root = {"$id": "https://example.test/s/root.json",
            "properties": {"a": {"$ref": "https://other.test/x.json"},
                           "b": {"$ref": "missing.json"}}}  # fmt: skip
    issues = RefResolver(root, _write(tmp_path, "root.json", root), roots=(tmp_path,)).check()
    # Below the $id's folder but with no local copy: remote, as before.
    assert sorted((i.kind, i.ref) for i in issues) == [
        ("remote", "https://other.test/x.json"),
        ("remote", "missing.json"),
    ]
    plain = {"properties": {"b": {"$ref": "missing.json"}}}
    issues = RefResolver(plain, _write(tmp_path, "plain.json", plain), roots=(tmp_path,)).check()
    assert [(i.kind, i.ref) for i in issues] == [("unresolved", "missing.json")]


def test_parent_folders_of_an_https_id_mirror_the_local_ones(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "orders").mkdir()
    _write(tmp_path / "common", "money.json", {"type": "integer"})
    root = {"$id": "https://example.test/s/orders/placed.json",
            "properties": {"m": {"$ref": "../common/money.json"}}}  # fmt: skip
    file = _write(tmp_path / "orders", "placed.json", root)
    assert RefResolver(root, file, roots=(tmp_path,)).check() == []
    contract = Contract(name="x.Placed", version="1.0.0",
                        schema=SchemaSpec("jsonschema", root, file), path=file)  # fmt: skip
    modules = plan([contract], read=_read)
    assert [m.path for m in modules if not m.is_event] == [("_shared", "money")]
