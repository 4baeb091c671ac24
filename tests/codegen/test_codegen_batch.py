"""``codegen python`` over a batch: a bad contract is reported, the others are generated."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def _break_ref(project: Path) -> None:
    schema = project / "contracts/orders/schemas/order-cancelled.json"
    document = json.loads(schema.read_text())
    document["properties"]["reason"] = {"$ref": "../../common/no-such-file.json"}
    schema.write_text(json.dumps(document))


def test_one_bad_contract_does_not_stop_the_others(project: Path) -> None:
    out = project / "models"
    first = run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project)
    assert first.exit_code == 0, first.stderr
    cancelled = out / "orders/order_cancelled_v1_0_0.py"
    before = cancelled.read_text()
    _break_ref(project)
    result = run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project)
    assert result.exit_code == 3
    assert "order-cancelled.v1.yaml" in result.stderr
    assert "no-such-file.json" in result.stderr
    assert "Traceback" not in result.stderr
    # The good contracts are (still) generated; the bad one's earlier module stays as it was.
    assert (out / "orders/order_placed_v1_1_0.py").is_file()
    assert cancelled.read_text() == before
    check = run_cli(["codegen", "python", "--check", "--out", str(out), "contracts"], cwd=project)
    assert check.exit_code == 3


def test_a_generated_file_edited_by_hand_is_reported_and_left_in_place(project: Path) -> None:
    out = project / "models"
    assert (
        run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project).exit_code == 0
    )
    module = out / "orders/order_placed_v1_1_0.py"
    module.write_text(module.read_text() + "\n# my change\n")
    result = run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project)
    assert result.exit_code == 0
    assert "kept orders/order_placed_v1_1_0.py" in result.stderr
    assert module.read_text().endswith("# my change\n")
    again = run_cli(["codegen", "python", "--out", str(out), "contracts"], cwd=project)
    assert "kept orders/order_placed_v1_1_0.py" in again.stderr
    check = run_cli(["codegen", "python", "--check", "--out", str(out), "contracts"], cwd=project)
    assert check.exit_code == 0  # the edit is the user's now, not drift
    assert "kept orders/order_placed_v1_1_0.py" in check.stderr


CONTRACT = """\
name: shop.{name}
version: 1.0.0
summary: s
owner: t
producer: p
channel: c{name}
schema:
  format: jsonschema
  inline: {{type: object, properties: {{a: {{type: string}}}}}}
"""


def test_events_whose_module_names_merge_are_generated_apart(tmp_path: Path) -> None:
    """``OrderPlaced``/``orderPlaced`` snake-case to one module, ``ORDERPLACED`` differs only
    in case: each gets its own module (and export) instead of refusing the batch."""
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contractctl.yaml").write_text("contracts: contracts\n")
    names = ("OrderPlaced", "orderPlaced", "ORDERPLACED", "Other")
    for name in names:
        (tmp_path / "contracts" / f"{name}.yaml").write_text(CONTRACT.format(name=name))
    result = run_cli(["codegen", "python", "-o", "gen"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    modules = [p.name for p in (tmp_path / "gen/shop").glob("*.py") if p.name != "__init__.py"]
    assert len({m.casefold() for m in modules}) == len(names), modules
    assert "other_v1_0_0.py" in modules  # names that merge with none keep their plain form
    init = (tmp_path / "gen/shop/__init__.py").read_text()
    exported = [line.rsplit(" as ", 1)[1] for line in init.splitlines() if " as " in line]
    assert len(set(exported)) == len(names), exported
    again = run_cli(["codegen", "python", "--check", "-o", "gen"], cwd=tmp_path)
    assert again.exit_code == 0, again.stdout + again.stderr  # the same names every run
