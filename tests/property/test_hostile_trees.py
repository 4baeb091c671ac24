"""Generated hostile contract trees against every command that reads contracts.

Names (dots, slashes, case twins, control characters, 300 characters, 5,000 digits), deep
nesting, ``$ref``s to the network, outside the project or to special files, FIFOs, symlink
loops and symlinks planted in output folders. Whatever the tree, a command never exits 70,
never prints a traceback, writes nothing outside its output folder and opens no connection.

``CONTRACTCTL_FUZZ_EXAMPLES`` raises the number of trees (default 12); with
``CONTRACTCTL_FUZZ_STATS=file.json`` the runs and exit codes per command are written there.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractctl.adapters.safe_write import INCOMPLETE_MARKER
from tests.conftest import run_cli
from tests.scenarios.test_security import Listener

EXAMPLES = int(os.environ.get("CONTRACTCTL_FUZZ_EXAMPLES", "12"))
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HOSTILE_NAMES = [
    "svc",
    "svc a",
    "svc_a",
    "svc/a",
    "Svc",
    ".",
    "..",
    "index",
    "x" * 300,
    "a\nb",
    "```",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "ünïcødé",
    "../../etc",
    "%2E%2E",
    "a|b",
]
DOMAINS = ["shop", "index", "a" * 150, "Shop", "x.y", "static"]
EVENTS = ["Thing", "thing", "E" * 300, "Index", "T_1", "T-1"]
VERSIONS = ["1.0.0", "1.1.0", "2.0.0", "1.0.0-" + "9" * 5000, "1.0.0\n", "v1"]
OUTPUTS = {
    "codegen": ["codegen", "python", "--out", "out_codegen"],
    "docs-html": ["docs", "build", "--out", "out_html"],
    "docs-markdown": ["docs", "build", "--format", "markdown", "--out", "out_md"],
    "graph": ["graph"],
    "export": ["export", "asyncapi"],
    "check": ["check"],
    "publish": ["publish"],
}
STATS: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)


def _nested(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["plain", "deep", "remote", "outside", "file-url", "fifo", "loop", "self"])
    )
    properties: dict[str, Any] = {"id": {"type": "string"}}
    if kind == "deep":
        properties["deep"] = _nested(draw(st.integers(1, 300)))
    elif kind == "remote":
        properties["r"] = {"$ref": "http://127.0.0.1:{port}/x.json"}
        properties["s"] = {"$id": "http://127.0.0.1:{port}/n/", "$ref": "y.json"}
    elif kind == "outside":
        properties["o"] = {"$ref": "../../outside/secret.json"}
    elif kind == "file-url":
        properties["o"] = {"$ref": "file:///{outside}/secret.json"}
    elif kind == "fifo":
        properties["f"] = {"$ref": "fifo.json"}
    elif kind == "loop":
        properties["l"] = {"$ref": "loop.json"}
    elif kind == "self":
        properties["me"] = {"$ref": "#"}
    return {"type": "object", "properties": properties, "required": ["id"]}


@st.composite
def contracts(draw: st.DrawFn) -> dict[str, Any]:
    name = f"{draw(st.sampled_from(DOMAINS))}.{draw(st.sampled_from(EVENTS))}"
    doc: dict[str, Any] = {
        "name": draw(st.sampled_from([name, name, name + "\n", "bad name"])),
        "version": draw(st.sampled_from(VERSIONS)),
        "summary": draw(st.sampled_from(HOSTILE_NAMES)),
        "description": "d",
        "owner": "team",
        "channel": draw(st.sampled_from(HOSTILE_NAMES)),
        "producer": draw(st.sampled_from(HOSTILE_NAMES)),
        "consumers": [
            {"service": s}
            for s in draw(st.lists(st.sampled_from(HOSTILE_NAMES), max_size=3, unique=True))
        ],
        "examples": [{"name": "e", "payload": {"id": "x"}}],
    }
    where = draw(
        st.sampled_from(["inline", "file", "fifo-file", "dev-zero", "loop-file", "outside-file"])
    )
    schema = draw(schemas())
    doc["schema"] = {"format": "jsonschema"}
    if where == "inline":
        doc["schema"]["inline"] = schema
    else:
        doc["schema"]["file"] = {
            "file": "{stem}.json",
            "fifo-file": "fifo.json",
            "dev-zero": "zero.json",
            "loop-file": "loop.json",
            "outside-file": "../../outside/secret.json",
        }[where]
        doc["_schema"] = schema
    if draw(st.booleans()):
        doc["schema"]["subject"] = draw(st.sampled_from([*HOSTILE_NAMES, "x-value"]))
    return doc


def _plant(root: Path, trees: list[dict[str, Any]], port: int, links: bool = True) -> Path:
    project = root / "project"
    folder = project / "contracts"
    folder.mkdir(parents=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text('{"const": "s3cr3t"}', encoding="utf-8")
    (project / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "loop.json").symlink_to("loop.json")
    for i, tree in enumerate(trees):
        doc = dict(tree)
        schema = doc.pop("_schema", None)
        text = json.dumps(schema or doc["schema"].get("inline"))
        text = text.replace("{port}", str(port)).replace("/{outside}", str(outside))
        if "inline" in doc["schema"]:
            doc["schema"] = {**doc["schema"], "inline": json.loads(text)}
        else:
            doc["schema"] = {**doc["schema"], "file": doc["schema"]["file"].format(stem=f"s{i}")}
            if doc["schema"]["file"] == f"s{i}.json":
                (folder / f"s{i}.json").write_text(text, encoding="utf-8")
        (folder / f"c{i}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    # Symlinks planted in the output folders: a write through them would land outside. The
    # marker of a killed build of ours makes docs build treat the folder as its own.
    for out in ("out_codegen", "out_html", "out_md") if links else ():
        (project / out).mkdir()
        (project / out / INCOMPLETE_MARKER).write_text("", encoding="utf-8")
        (project / out / "index.html").symlink_to(outside / "secret.json")
        (project / out / "events").symlink_to(outside, target_is_directory=True)
        (project / out / "shop").symlink_to(outside, target_is_directory=True)
    return project


def _fingerprint(root: Path, skip: tuple[str, ...]) -> dict[str, str]:
    """Every entry below ``root`` (symlinks not followed) except the output folders."""
    seen: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        dirs[:] = [d for d in dirs if f"{rel}/{d}".lstrip("./") not in skip]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            key = f"{rel}/{name}"
            if path.is_symlink():
                seen[key] = "link:" + os.readlink(path)
            elif path.is_file():
                seen[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                seen[key] = "special"
    return seen


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    # The compatibility engine raises the recursion limit once, on first use; doing it
    # before Hypothesis starts keeps Hypothesis from warning that it changed under it.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    server = Listener()
    yield server
    server.close()
    sys.setrecursionlimit(limit)
    target = os.environ.get("CONTRACTCTL_FUZZ_STATS")
    if target:
        Path(target).write_text(
            json.dumps({k: dict(sorted(v.items())) for k, v in sorted(STATS.items())}, indent=2)
        )


@pytest.mark.parametrize("command", sorted(OUTPUTS))
@_SETTINGS
@given(trees=st.lists(contracts(), min_size=1, max_size=4), links=st.booleans())
def test_hostile_trees_never_crash_or_escape(
    listener: Listener, command: str, trees: list[dict[str, Any]], links: bool
) -> None:
    args = OUTPUTS[command]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project = _plant(root, trees, listener.port, links)
        outputs = ("project/out_codegen", "project/out_html", "project/out_md")
        skip = (*outputs, "project/.contractctl")
        before = _fingerprint(root, skip)
        connections = listener.connections
        result = run_cli(args, cwd=project)
        output = result.stdout + result.stderr
        STATS[command][result.exit_code] += 1
        assert result.exit_code != 70, output
        assert "Traceback" not in output
        assert listener.connections == connections, "a network connection was opened"
        assert _fingerprint(root, skip) == before, "something outside the output changed"
        assert "s3cr3t" not in output


@_SETTINGS
@given(old=contracts(), new=contracts())
def test_diff_of_hostile_contracts(
    listener: Listener, old: dict[str, Any], new: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project = _plant(root, [old, new], listener.port)
        before = _fingerprint(root, ())
        connections = listener.connections
        result = run_cli(["diff", "contracts/c0.yaml", "contracts/c1.yaml"], cwd=project)
        output = result.stdout + result.stderr
        STATS["diff"][result.exit_code] += 1
        assert result.exit_code != 70, output
        assert "Traceback" not in output
        assert listener.connections == connections
        assert _fingerprint(root, ()) == before
