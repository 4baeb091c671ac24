"""The core is pure and the public API is cheap: no CLI/HTTP/template stack at import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import contractctl.core

HEAVY = ("typer", "rich", "httpx", "jinja2", "click")


def _core_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(contractctl.core.__path__, prefix="contractctl.core.")
    )


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_imports_no_cli_http_or_template_stack() -> None:
    imports = "\n".join(f"import {m}" for m in _core_modules())
    leaked = _imported_after(imports) & set(HEAVY)
    assert not leaked, f"contractctl.core imports {leaked}"


def test_public_api_import_is_light() -> None:
    leaked = _imported_after("import contractctl") & set(HEAVY)
    assert not leaked
