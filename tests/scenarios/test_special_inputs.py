"""Special files, deep nesting, symlink loops, batches with one bad contract and docs builds
with one failing page (issue #15 §3).

Each scenario: the input, the command, the exit code and the message; never exit 70, never
a traceback, never a hang (a FIFO is refused before it is opened).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from contractctl.adapters.site_render import MANIFEST
from contractctl.adapters.templates import templates_root
from contractctl.core.catalog.model import event_url
from tests.conftest import REPO, count_forks, run_cli

CONTRACT = """\
name: shop.{event}
version: "1.0.0"
owner: team
summary: s
description: d
producer: shop
channel: things
schema:
  format: {fmt}
  file: {file}
"""


def _project(root: Path, file: str = "s.json", fmt: str = "jsonschema") -> Path:
    (root / "contracts").mkdir(parents=True, exist_ok=True)
    (root / "contractctl.yaml").write_text("contracts: contracts\n", encoding="utf-8")
    (root / "contracts" / "c.yaml").write_text(
        CONTRACT.format(event="Thing", fmt=fmt, file=file), encoding="utf-8"
    )
    return root / "contracts"


def _nested_json(depth: int) -> str:
    schema: dict[str, object] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return json.dumps(schema)


def _nested_avro(depth: int) -> str:
    text = '"string"'
    for i in range(depth):
        text = f'{{"type":"record","name":"R{i}","fields":[{{"name":"a","type":{text}}}]}}'
    return text


def fifo_schema(root: Path) -> None:
    os.mkfifo(_project(root) / "s.json")


def fifo_contract(root: Path) -> None:
    folder = _project(root)
    (folder / "s.json").write_text('{"type": "object"}', encoding="utf-8")
    os.mkfifo(folder / "piped.yaml")


def _allow_dev(root: Path) -> None:
    # Otherwise the symlink is refused first, as a file outside the project.
    (root / "contractctl.yaml").write_text("contracts: contracts\nextra_roots: [/dev]\n")


def dev_zero_schema(root: Path) -> None:
    (_project(root) / "s.json").symlink_to("/dev/zero")
    _allow_dev(root)


def dev_zero_contract(root: Path) -> None:
    folder = _project(root)
    (folder / "s.json").write_text('{"type": "object"}', encoding="utf-8")
    (folder / "zero.yaml").symlink_to("/dev/zero")


def dev_zero_ref(root: Path) -> None:
    (_project(root) / "s.json").write_text(
        '{"type": "object", "properties": {"z": {"$ref": "file:///dev/zero"}}}', encoding="utf-8"
    )
    _allow_dev(root)


def dev_zero_example(root: Path) -> None:
    folder = _project(root)
    (folder / "s.json").write_text('{"type": "object"}', encoding="utf-8")
    with (folder / "c.yaml").open("a", encoding="utf-8") as handle:
        handle.write("examples:\n  - name: e\n    file: zero.json\n")
    (folder / "zero.json").symlink_to("/dev/zero")
    _allow_dev(root)


def symlink_loop(root: Path) -> None:
    (_project(root) / "s.json").symlink_to("s.json")


def deep_json(root: Path) -> None:
    (_project(root) / "s.json").write_text(_nested_json(400), encoding="utf-8")


def deep_avro(root: Path) -> None:
    (_project(root, "s.avsc", "avro") / "s.avsc").write_text(_nested_avro(2000), encoding="utf-8")


def oversized_schema(root: Path) -> None:
    (root / "contracts").mkdir(parents=True)
    _project(root)
    (root / "contractctl.yaml").write_text(
        "contracts: contracts\nlimits: {max_file_bytes: 1000}\n", encoding="utf-8"
    )
    (root / "contracts" / "s.json").write_text(
        '{"type": "object", "description": "' + "x" * 5000 + '"}', encoding="utf-8"
    )


@dataclass(frozen=True)
class Scenario:
    name: str
    make: Callable[[Path], None]
    exit_code: int
    message: str
    commands: tuple[tuple[str, ...], ...] = (
        ("validate",),
        ("check",),
        ("publish",),
        ("codegen", "python", "--out", "gen"),
        ("docs", "build", "--out", "site"),
        ("export", "asyncapi"),
        ("graph",),
        ("diff", "contracts/c.yaml", "contracts/c.yaml"),
    )


SCENARIOS = [
    Scenario("fifo-as-schema", fifo_schema, 3, "is a FIFO (named pipe)"),
    Scenario("fifo-named-yaml", fifo_contract, 3, "is a FIFO (named pipe)", (("validate",),)),
    Scenario("dev-zero-as-schema", dev_zero_schema, 3, "is a device"),
    Scenario("dev-zero-as-contract", dev_zero_contract, 3, "is a device", (("validate",),)),
    Scenario("dev-zero-as-example", dev_zero_example, 3, "is a device", (("validate",),)),
    Scenario("dev-zero-file-ref", dev_zero_ref, 1, "CONTRACT_SCHEMA_REF", (("validate",),)),
    Scenario("symlink-loop", symlink_loop, 3, "cannot resolve"),
    Scenario("json-400-levels", deep_json, 3, "nested deeper than 256 levels (limits.max_depth)"),
    # Either the parser's own stack or the depth check stops it, depending on the stack left.
    Scenario("avsc-2000-levels", deep_avro, 3, "nested"),
    Scenario(
        "schema-over-max-file-bytes",
        oversized_schema,
        3,
        "limits.max_file_bytes",
        (("validate",), ("diff", "contracts/s.json", "contracts/s.json")),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_special_input_is_refused_cleanly(scenario: Scenario, tmp_path: Path) -> None:
    scenario.make(tmp_path)
    for args in scenario.commands:
        result = run_cli(list(args), cwd=tmp_path)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (args, output)
        assert result.exit_code == scenario.exit_code, (args, output)
        assert scenario.message in output, (args, output)


def test_init_over_a_dangling_symlink_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "contractctl.yaml").symlink_to(tmp_path / "nowhere" / "x.yaml")
    result = run_cli(["init"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_one_bad_contract_does_not_sink_codegen(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    (folder / "s.json").write_text('{"type": "object"}', encoding="utf-8")
    (folder / "deep.json").write_text(_nested_json(400), encoding="utf-8")
    (folder / "deep.yaml").write_text(
        CONTRACT.format(event="Deep", fmt="jsonschema", file="deep.json"), encoding="utf-8"
    )
    result = run_cli(["codegen", "python", "--out", "gen"], cwd=tmp_path)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "deep.json" in result.stderr
    assert "not generated" in result.stderr
    modules = [p.name for p in (tmp_path / "gen" / "shop").glob("*.py")]
    assert "thing_v1_0_0.py" in modules


def test_one_bad_contract_does_not_sink_docs(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    (folder / "s.json").write_text('{"type": "object"}', encoding="utf-8")
    os.mkfifo(folder / "pipe.json")
    (folder / "piped.yaml").write_text(
        CONTRACT.format(event="Piped", fmt="jsonschema", file="pipe.json"), encoding="utf-8"
    )
    result = run_cli(["docs", "build", "--out", "site"], cwd=tmp_path)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "is a FIFO" in result.stderr
    assert (tmp_path / "site" / event_url("shop.Thing")).is_file()


BROKEN = {
    # a template error (an override that reads a missing variable) on one service's page
    "template": ("{{ no_such.thing }}", 3, "template service.html.j2: UndefinedError"),
    # a bug while rendering one page
    "bug": ("{{ 1 // 0 }}", 70, "internal error in service.html.j2: ZeroDivisionError"),
}


@pytest.mark.parametrize("processes", ["one", "two", "child-only"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_failing_page_is_reported_and_the_rest_of_the_site_is_built(
    tmp_path: Path, kind: str, processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int] = []
    if processes != "one":  # a big site's pages are drawn by two processes
        monkeypatch.setattr("contractctl.adapters.site_render._PARALLEL_PAGES", 0)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        forks = count_forks(monkeypatch)
    if processes == "child-only":  # the failing page is surely the second process's
        monkeypatch.setattr(
            "contractctl.adapters.site_render._halves", lambda groups: [False] * len(groups)
        )
    snippet, code, message = BROKEN[kind]
    out = tmp_path / "site"
    args = ["docs", "build", "-o", str(out), "contracts/"]
    assert run_cli(args, cwd=REPO).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    overrides = tmp_path / "templates"
    overrides.mkdir()
    text = (templates_root() / "docs" / "html" / "service.html.j2").read_text(encoding="utf-8")
    (overrides / "service.html.j2").write_text(
        '{% if service.name == "payment-service" %}' + snippet + "{% endif %}" + text,
        encoding="utf-8",
    )

    result = run_cli([*args, "--templates", str(overrides)], cwd=REPO)

    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "1 page not built" in line
    assert f"services/payment-service.html: {message}" in line
    # The failed page is absent (not the previous build's copy), and so is any trace of a
    # half-written run; every other page is there, as the previous build wrote it.
    failed = out / "services" / "payment-service.html"
    assert not failed.exists()
    assert "payment-service.html" not in (out / MANIFEST).read_text(encoding="utf-8")
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert set(before) - set(after) == {failed}
    assert set(after) <= set(before)
    assert not [p for p in after if ".contractctl-" in p.name and p.name != MANIFEST]
    assert all(after[p] == before[p] for p in after if p.name != MANIFEST)
    # Fixing the template brings the page back.
    assert run_cli(args, cwd=REPO).exit_code == 0
    assert failed.read_bytes() == before[failed]
    assert len(forks) == (0 if processes == "one" else 3)


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (("validate",), 1),
        (("codegen", "python", "--out", "gen"), 3),
        (("publish",), 1),
        (("export", "asyncapi"), 0),
        (("docs", "build", "--out", "site"), 0),
        (("diff", "contracts/s.json", "contracts/s.json"), 3),
    ],
)
def test_a_ref_to_a_symlink_loop(tmp_path: Path, args: tuple[str, ...], exit_code: int) -> None:
    """Found by the hostile-tree fuzzer: codegen resolved the ref itself and hit the loop."""
    folder = _project(tmp_path)
    (folder / "s.json").write_text(
        '{"type": "object", "properties": {"l": {"$ref": "loop.json"}}}', encoding="utf-8"
    )
    (folder / "loop.json").symlink_to("loop.json")
    result = run_cli(list(args), cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.exit_code == exit_code, output
    assert "Traceback" not in output
