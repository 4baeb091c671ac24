"""contractctl: govern the event contracts of a choreographed system.

The public Python API. Importing ``contractctl`` is cheap: every name below is loaded on
first use (PEP 562 ``__getattr__``), so no CLI, HTTP or template stack comes with it::

    import contractctl

    report = contractctl.check(["contracts"], against="git:origin/main")
    if report.fails(contractctl.Severity.ERROR):
        ...
    result = contractctl.check_compatibility(old, new, schema_type="JSON", level="FULL")
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractctl._version import __version__

if TYPE_CHECKING:
    from contractctl.core.compat.engine import check_compatibility
    from contractctl.core.compat.model import Change, CompatResult
    from contractctl.core.contract.config import Config
    from contractctl.core.contract.loader import load_contracts
    from contractctl.core.errors import ContractctlError
    from contractctl.core.vocab.findings import Finding, Report, Severity

# name → module that defines it; resolved on first attribute access.
_LAZY = {
    "load_contracts": "contractctl.core.contract.loader",
    "check_compatibility": "contractctl.core.compat.engine",
    "CompatResult": "contractctl.core.compat.model",
    "Change": "contractctl.core.compat.model",
    "Finding": "contractctl.core.vocab.findings",
    "Report": "contractctl.core.vocab.findings",
    "Severity": "contractctl.core.vocab.findings",
    "ContractctlError": "contractctl.core.errors",
    "Config": "contractctl.core.contract.config",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'contractctl' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def _config(config: Config | Path | str | None) -> Config:
    from contractctl.core.contract.config import Config, load_config

    if isinstance(config, Config):
        return config
    if config is None:
        return load_config()
    return load_config(Path(config))


def validate(
    paths: Sequence[Path | str] | None = None, *, config: Config | Path | str | None = None
) -> Report:
    """Validate the contracts below ``paths`` (default: the configured contracts directory).

    ``config`` is a ``Config``, a path to contractctl.yaml, or None for ./contractctl.yaml.
    Unreadable files are findings (``extra["input_error"]``), not exceptions.
    """
    from contractctl.app.validate import ValidateRequest
    from contractctl.app.validate import validate as run

    request = ValidateRequest(paths=[Path(p) for p in paths or ()], config=_config(config))
    return run(request).report


def check(
    paths: Sequence[Path | str] | None = None,
    *,
    against: str | None = None,
    config: Config | Path | str | None = None,
    level: str | None = None,
) -> Report:
    """Run the compatibility gate (``contractctl check``) and return its report.

    ``against`` is a baseline: ``git:REF``, a directory, ``registry``, or None for the
    config's ``baseline`` (else each event's versions in the tree against one another).
    Raises ``ContractctlError`` when the baseline cannot be read.
    """
    from contractctl.app.check import CheckRequest
    from contractctl.app.check import check as run

    request = CheckRequest(
        paths=[Path(p) for p in paths or ()], config=_config(config), against=against, level=level
    )
    return run(request).report


__all__ = [
    "Change",
    "CompatResult",
    "Config",
    "ContractctlError",
    "Finding",
    "Report",
    "Severity",
    "__version__",
    "check",
    "check_compatibility",
    "load_contracts",
    "validate",
]
