"""contractctl.yaml: project-wide defaults, rule settings, limits and adapter sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractctl.core.errors import ConfigError, LoadError
from contractctl.core.source.documents import DEFAULT_LIMITS, Limits, parse_yaml, read_text
from contractctl.core.vocab.levels import Level

CONFIG_NAMES = ("contractctl.yaml", "contractctl.yml")
_SEVERITIES = ("off", "info", "warning", "error")
_LEVELS = tuple(level.value for level in Level)

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "contracts": {"type": "string", "minLength": 1},
        "compatibility": {"enum": list(_LEVELS)},
        "policy": {"enum": ["STRICT", "LENIENT"]},
        "baseline": {"type": "string", "minLength": 1},
        "allow_remote_refs": {"type": "boolean"},
        "cache": {"type": "boolean"},
        "extra_roots": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "rules": {
            "type": "object",
            "additionalProperties": {"enum": list(_SEVERITIES)},
        },
        "accepted_breaks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["event", "rule", "path", "reason"],
                "properties": {
                    "event": {"type": "string"},
                    "rule": {"type": "string"},
                    "path": {"type": "string"},
                    "reason": {"type": "string", "minLength": 1},
                    "version": {"type": "string"},
                    "expires": {"type": "string", "format": "date"},
                    "approved_by": {"type": "string", "minLength": 1},
                },
            },
        },
        "check": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "major_starts_new_line": {"type": "boolean"},
                "removed_event": {"enum": ["warning", "error", "off"]},
            },
        },
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max_file_bytes": {"type": "integer", "minimum": 1},
                "max_nodes": {"type": "integer", "minimum": 1},
                "max_depth": {"type": "integer", "minimum": 1},
            },
        },
        "registry": {"type": "object"},
        "codegen": {"type": "object"},
        "docs": {
            "type": "object",
            "properties": {
                "repository_url": {"type": "string", "pattern": "^https?://"},
                "verify_report": {"type": "string", "minLength": 1},
            },
        },
        "services": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "owner": {
                        "anyOf": [
                            {"type": "string", "minLength": 1},
                            {"type": "array", "items": {"type": "string", "minLength": 1}},
                        ]
                    },
                    "description": {"type": "string"},
                    "repository": {"type": "string", "pattern": "^https?://"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "verify": {"type": "object"},  # checked by core.verify.settings
    },
}


@dataclass(slots=True)
class Config:
    """Effective settings; defaults apply when there is no contractctl.yaml."""

    root: Path = field(default_factory=Path)
    file: Path | None = None
    contracts: str = "contracts"
    compatibility: str = "BACKWARD"
    policy: str = "STRICT"
    baseline: str | None = None
    allow_remote_refs: bool = False
    # Remember parses in .contractctl/cache (adapters.parse_cache); None: the default, which
    # is on except in CI (app.caching), where a fresh checkout would only pay for the writes.
    cache: bool | None = None
    extra_roots: tuple[str, ...] = ()  # folders outside the project that contracts may read
    rules: dict[str, str] = field(default_factory=dict)
    accepted_breaks: list[dict[str, str]] = field(default_factory=list)
    major_starts_new_line: bool = True
    removed_event: str = "warning"
    limits: Limits = DEFAULT_LIMITS
    registry: dict[str, Any] = field(default_factory=dict)
    codegen: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)  # declared services
    verify: dict[str, Any] = field(default_factory=dict)

    @property
    def contracts_dir(self) -> Path:
        return self.root / self.contracts


def find_config(start: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = start / name
        if candidate.is_file():
            return candidate
    return None


def project_root(start: Path | None = None) -> tuple[Path, Path | None]:
    """(project root, its contractctl.yaml or None), searching upward from ``start`` (cwd).

    The root is the nearest folder holding a contractctl.yaml (as git and buf find theirs),
    else the nearest git work tree, else ``start`` itself. Reports name files relative to
    it, so the same tree gives the same output from any current directory.
    """
    here = (start if start is not None else Path.cwd()).absolute()
    for folder in (here, *here.parents):
        found = find_config(folder)
        if found is not None:
            return folder, found
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder, None
    return here, None


def load_config(path: Path | None = None, *, root: Path | None = None) -> Config:
    """Read ``path``, else the contractctl.yaml of the project ``root`` (found from the cwd).

    With an explicit ``root`` only that folder is looked in; otherwise the search runs
    upward (see ``project_root``). Defaults apply when there is no file.
    """
    if path is not None:
        file: Path | None = path
    elif root is not None:
        file = find_config(root)
    else:
        root, file = project_root()
    if file is None:
        return Config(root=root if root is not None else Path.cwd())
    name = str(file)
    if path is not None and not file.exists():
        raise ConfigError("config file not found", file=name)
    text = read_text(file, display=name)
    try:
        data, positions = parse_yaml(text, name)
    except LoadError as exc:
        raise ConfigError(exc.message, file=exc.file, line=exc.line, column=exc.column) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("contractctl.yaml must be a mapping of settings", file=name, line=1)
    rules = data.get("rules")
    if isinstance(rules, dict):
        # Unquoted `off` is YAML's boolean false: read it as the severity the user meant.
        data["rules"] = {k: "off" if v is False else v for k, v in rules.items()}
    from contractctl.core.contract.structure import structure_issues

    issues = structure_issues(CONFIG_SCHEMA, data)
    if issues:
        issue = issues[0]
        raise ConfigError(
            issue.message,
            file=name,
            line=positions.line(issue.pointer, key=issue.at_key),
            field=issue.pointer.lstrip("/").replace("/", ".") or None,
        )
    check = data.get("check", {})
    limits = data.get("limits", {})
    return Config(
        root=file.parent,
        file=file,
        contracts=data.get("contracts", "contracts"),
        compatibility=data.get("compatibility", "BACKWARD"),
        policy=data.get("policy", "STRICT"),
        baseline=data.get("baseline"),
        allow_remote_refs=data.get("allow_remote_refs", False),
        cache=data.get("cache"),
        extra_roots=tuple(data.get("extra_roots", ())),
        rules=dict(data.get("rules", {})),
        accepted_breaks=list(data.get("accepted_breaks", [])),
        major_starts_new_line=check.get("major_starts_new_line", True),
        removed_event=check.get("removed_event", "warning"),
        limits=Limits(
            max_file_bytes=limits.get("max_file_bytes", DEFAULT_LIMITS.max_file_bytes),
            max_nodes=limits.get("max_nodes", DEFAULT_LIMITS.max_nodes),
            max_depth=limits.get("max_depth", DEFAULT_LIMITS.max_depth),
        ),
        registry=dict(data.get("registry", {})),
        codegen=dict(data.get("codegen", {})),
        docs=dict(data.get("docs", {})),
        services={str(k): dict(v or {}) for k, v in data.get("services", {}).items()},
        verify=dict(data.get("verify", {})),
    )
