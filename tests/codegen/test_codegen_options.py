"""``codegen:`` in contractctl.yaml: output folder, target Python, strict formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from tests.conftest import run_cli

from contractctl.core.codegen.options import read_options
from contractctl.core.errors import ConfigError


def test_options_are_read_and_checked(tmp_path: Path) -> None:
    options = read_options(
        {"out": "build/m", "python": "3.10", "strict_formats": ["email"]}, tmp_path
    )
    assert options.out == tmp_path / "build/m"
    assert options.python == (3, 10)
    assert options.strict_formats == {"email"}
    for section, field in (
        ({"output": "x"}, "codegen.output"),
        ({"python": "3.9"}, "codegen.python"),
        ({"strict_formats": ["credit-card"]}, "codegen.strict_formats"),
        ({"strict_formats": "email"}, "codegen.strict_formats"),
    ):
        with pytest.raises(ConfigError) as caught:
            read_options(section, tmp_path, "contractctl.yaml")
        assert caught.value.field == field
        assert caught.value.one_line().startswith(f"contractctl.yaml: {field}: ")


def test_config_drives_codegen(project: Path) -> None:
    schema = project / "contracts/orders/schemas/order-cancelled.json"
    document = json.loads(schema.read_text())
    document["properties"]["contact"] = {"type": "string", "format": "email"}
    schema.write_text(json.dumps(document))
    config = project / "contractctl.yaml"
    config.write_text(
        config.read_text() + "codegen:\n  out: build/events\n  python: '3.10'\n"
        "  strict_formats: [email]\n"
    )
    result = run_cli(["codegen", "python", "contracts"], cwd=project)
    assert result.exit_code == 0, result.stderr
    out = project / "build/events"
    module = (out / "orders/order_cancelled_v1_0_0.py").read_text()
    assert "from typing_extensions import Self" in module
    assert '_rt.assert_format("email")' in module
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version",
         "3.10", "events"],
        capture_output=True, text=True, check=False, cwd=out.parent,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout
    sys.path.insert(0, str(out.parent))
    try:
        from events.orders import OrderCancelledV1_0_0 as Model  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(out.parent))
    contract = yaml.safe_load((project / "contracts/orders/order-cancelled.v1.yaml").read_text())
    payload = contract["examples"][0]["payload"]
    Model.model_validate({**payload, "contact": "ops@example.org"})
    with pytest.raises(ValidationError, match="not a valid email"):
        Model.model_validate({**payload, "contact": "not an email"})


def test_bad_codegen_config_is_a_one_line_error(project: Path) -> None:
    config = project / "contractctl.yaml"
    config.write_text(config.read_text() + "codegen:\n  python: '2.7'\n")
    result = run_cli(["codegen", "python", "contracts"], cwd=project)
    assert result.exit_code in (2, 3)
    assert "codegen.python" in result.stderr
    assert "Traceback" not in result.stderr


def test_package_option_names_the_package_and_its_imports(project: Path) -> None:
    config = project / "contractctl.yaml"
    config.write_text(config.read_text() + "codegen:\n  package: acme.events\n")
    result = run_cli(["codegen", "python", "contracts"], cwd=project)
    assert result.exit_code == 0, result.stderr
    out = project / "acme/events"  # no ``out``: the package's own folder
    module = (out / "orders/order_cancelled_v1_0_0.py").read_text()
    assert "from acme.events import _runtime as _rt" in module
    init = (out / "__init__.py").read_text()
    assert "from acme.events.orders.order_cancelled_v1_0_0 import (" in init
    assert not [p for p in out.rglob("*.py") if "from ." in p.read_text()]
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "acme"],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "acme.events"],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout
    code = "import acme.events as e; print(sorted(e.MODELS)[0])"
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().startswith("(")


def test_package_option_is_checked(tmp_path: Path) -> None:
    assert read_options({"package": "acme.events"}, tmp_path).out == tmp_path / "acme/events"
    options = read_options({"package": "acme_events", "out": "build/acme_events"}, tmp_path)
    assert (options.package, options.out) == ("acme_events", tmp_path / "build/acme_events")
    for bad in ("acme-events", "acme..events", "class.events", "", 3):
        with pytest.raises(ConfigError) as caught:
            read_options({"package": bad}, tmp_path, "contractctl.yaml")
        assert caught.value.field == "codegen.package"
