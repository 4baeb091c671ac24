"""The ``codegen:`` section of contractctl.yaml, read and checked (one line per mistake).

```yaml
codegen:
  out: build/models          # the package folder (default of --out; relative to the config)
  package: acme.events       # the package's import name: generated imports are absolute
  python: "3.10"             # oldest Python the generated code must run on (3.10 .. 3.13)
  strict_formats: [email]    # string formats the models assert (JSON Schema only annotates)
```
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractctl.core.errors import ConfigError

# Formats with a check in the generated ``_runtime`` (date-time, date, time and uuid are
# always typed as such and need no opt-in).
STRICT_FORMATS = ("email", "hostname", "ipv4", "ipv6", "uri")
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
_KEYS = ("out", "package", "python", "strict_formats")


@dataclass(frozen=True, slots=True)
class CodegenOptions:
    out: Path | None = None
    package: str | None = None  # None: imports inside the package are relative
    python: tuple[int, int] = (3, 11)
    strict_formats: frozenset[str] = frozenset()


def read_options(section: Any, root: Path, file: str | None = None) -> CodegenOptions:
    """``section`` (the parsed ``codegen:`` mapping) as options; paths relative to ``root``."""

    def error(key: str, message: str) -> ConfigError:
        return ConfigError(message, file=file or "contractctl.yaml", field=f"codegen.{key}")

    if section is None:
        return CodegenOptions()
    if not isinstance(section, dict):
        raise ConfigError("codegen must be a mapping", file=file or "contractctl.yaml")
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise error(unknown[0], f"not an option (use {', '.join(_KEYS)})")
    out = section.get("out")
    if out is not None and (not isinstance(out, str) or not out.strip()):
        raise error("out", "must be a folder path")
    package = section.get("package")
    if package is not None and not _is_package_name(package):
        raise error("package", f"{package!r} is not a dotted Python package name")
    if out is None and package is not None:
        out = package.replace(".", "/")  # the package's own folder below the config
    python = str(section.get("python", "3.11"))
    if python not in PYTHONS:
        raise error("python", f"{python!r} is not one of {', '.join(PYTHONS)}")
    formats = section.get("strict_formats", [])
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise error("strict_formats", "must be a list of format names")
    bad = sorted(set(formats) - set(STRICT_FORMATS))
    if bad:
        raise error("strict_formats", f"{bad[0]!r} has no check (use {', '.join(STRICT_FORMATS)})")
    major, minor = python.split(".")
    return CodegenOptions(
        out=root / out if out else None,
        package=package,
        python=(int(major), int(minor)),
        strict_formats=frozenset(formats),
    )


def _is_package_name(value: Any) -> bool:
    parts = value.split(".") if isinstance(value, str) else [""]
    return all(p.isidentifier() and p.isascii() and not keyword.iskeyword(p) for p in parts)
