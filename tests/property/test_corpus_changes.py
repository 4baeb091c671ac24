"""Every consecutive version pair of the shared corpus, diffed at FULL: changes told truthfully.

Two properties of the one presentation (``compat.history.changes_between``):

* no change is told twice: a location never carries a change and its mirror (Confluent's
  BACKWARD and FORWARD readings name one step differently; both must become one change);
* "added"/"removed" agree with the schemas: an added property or field exists only in the new
  schema, a removed one only in the old, and the message says the same word.

The GitHub webhook schemas (3,662 pairs, ~40 s) are sampled every 24th pair unless
``CONTRACTCTL_CORPUS_FULL=1``; the other sources run in full.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from contractctl.core.compat.history import changes_between
from contractctl.core.compat.jsonschema.present import topic
from contractctl.core.compat.model import Change
from contractctl.core.errors import SchemaParseError
from contractctl.core.vocab.levels import Direction

_REPO = Path(__file__).resolve().parents[2]
_CORPUS = Path(os.environ.get("CONTRACTCTL_SHARED", _REPO.parent / "shared")) / "corpus"
_FULL = os.environ.get("CONTRACTCTL_CORPUS_FULL") == "1"


def _pairs(kind: str, suffix: str) -> list[tuple[Path, Path]]:
    root = _CORPUS / kind
    if not root.is_dir():
        pytest.skip(f"corpus not found at {root}")
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(folder.glob(f"*{suffix}"), key=lambda p: int(p.stem))
        pairs = list(itertools.pairwise(files))
        if folder.name.startswith("github.") and not _FULL:
            pairs = pairs[::24]
        out.extend(pairs)
    return out


def _at(schema: Any, path: str) -> tuple[bool, Any]:
    """Follow ``#/a/b`` through plain keys only; (False, None) where that is not possible."""
    node = schema
    for token in path.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or token not in node:
            return False, None
        node = node[token]
    return True, node


def _property_side(change: Change) -> str | None:
    """Which schema a property change says the property is in: "new", "old" or None."""
    if topic(change.rule_id) != "PROPERTY" or change.path.rsplit("/", 2)[-2] != "properties":
        return None
    return "new" if "_ADDED" in change.rule_id else "old" if "_REMOVED" in change.rule_id else None


def test_json_corpus_changes_are_told_once_in_their_direction() -> None:
    pairs = _pairs("json", ".json")
    checked = 0
    for old_file, new_file in pairs:
        old = json.loads(old_file.read_text(encoding="utf-8"))
        new = json.loads(new_file.read_text(encoding="utf-8"))
        where = f"{old_file.parent.name} {old_file.stem}→{new_file.stem}"
        changes = changes_between(old, new, schema_type="JSON")
        only_forward = Counter(
            (c.path, topic(c.rule_id)) for c in changes if c.seen == {Direction.FORWARD}
        )
        with_backward = Counter(
            (c.path, topic(c.rule_id)) for c in changes if Direction.BACKWARD in c.seen
        )
        twice = set(only_forward) & set(with_backward)
        assert not twice, (where, sorted(twice)[:5])
        for c in changes:
            side = _property_side(c)
            if side is None:
                continue
            in_old, _ = _at(old, c.path)
            in_new, _ = _at(new, c.path)
            if in_old == in_new:
                continue  # the path runs through a $ref or a combinator: not checkable here
            checked += 1
            assert in_new if side == "new" else in_old, (where, c.rule_id, c.path)
            word = "added" if side == "new" else "removed"
            assert word in c.message.split(";")[0], (where, c.rule_id, c.message)
    assert checked > 100, "too few property changes could be checked against the schemas"


def _fields(schema: Any, pointer: str) -> list[str]:
    node = schema
    for token in [t for t in pointer.split("/") if t]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return [f["name"] for f in node["fields"]] if isinstance(node, dict) else []


def test_avro_corpus_changes_are_told_once_in_their_direction() -> None:
    from contractctl.core.schema.avro_schema import load_avro_text

    pairs = _pairs("avro", ".avsc")
    checked = 0
    for old_file, new_file in pairs:
        where = f"{old_file.parent.name} {old_file.stem}→{new_file.stem}"
        try:
            old = load_avro_text(old_file.read_text(encoding="utf-8"))
            new = load_avro_text(new_file.read_text(encoding="utf-8"))
            changes = changes_between(old, new, schema_type="AVRO")
        except SchemaParseError as exc:
            # Gobblin's dependency-only files name types defined in other files.
            if "undefined Avro type name" in str(exc):
                continue
            raise
        keys = Counter((c.rule_id, c.path, repr(c.old), repr(c.new)) for c in changes)
        assert all(n == 1 for n in keys.values()), (where, keys.most_common(3))
        for c in changes:
            if c.rule_id.startswith("AVRO_FIELD_ADDED"):
                record = c.path.rsplit("/", 2)[0]
                assert c.new in _fields(new, record), (where, c.path)
                assert c.new not in _fields(old, c.old_path.removesuffix("/fields") or "/"), where
                checked += 1
            elif c.rule_id.startswith("AVRO_FIELD_REMOVED"):
                assert c.old_path is not None
                record = c.old_path.rsplit("/", 2)[0]
                assert c.old in _fields(old, record), (where, c.old_path)
                assert c.old not in _fields(new, c.path.removesuffix("/fields") or "/"), where
                checked += 1
            if "ADDED" in c.rule_id:
                assert "added" in c.message, (where, c.message)
            if "REMOVED" in c.rule_id:
                assert "removed" in c.message, (where, c.message)
    assert checked > 20, "too few field changes could be checked against the schemas"
