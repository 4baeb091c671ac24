"""The stable JSON report (format 1) and the JSON Schema that documents it."""

from __future__ import annotations

import json
from typing import Any

from contractctl._version import __version__
from contractctl.core.vocab.findings import Finding, Report, Severity

REPORT_FORMAT = 1

_FINDING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule_id", "severity", "message", "file", "line", "column", "pointer"],
    "properties": {
        "rule_id": {"type": "string", "description": "Stable rule ID (see `contractctl rules`)."},
        "severity": {"enum": ["info", "warning", "error"]},
        "message": {"type": "string"},
        "file": {"type": ["string", "null"]},
        "line": {"type": ["integer", "null"], "minimum": 1},
        "column": {"type": ["integer", "null"], "minimum": 1},
        "pointer": {"type": ["string", "null"], "description": "JSON pointer or schema path."},
        "hint": {"type": "string"},
        "event": {"type": "string"},
        "accepted": {"type": "boolean", "description": "A reviewed break that was let pass."},
        "details": {
            "type": "object",
            "description": "Rule-specific data (directions, consumers…).",
        },
    },
}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://contractctl.dev/schemas/report-v1.json",
    "title": "contractctl report (format 1)",
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "tool", "version", "command", "ok", "summary", "files", "findings"],
    "properties": {
        "format": {"const": REPORT_FORMAT},
        "tool": {"const": "contractctl"},
        "version": {"type": "string"},
        "command": {"type": "string"},
        "ok": {"type": "boolean", "description": "No finding at or above the fail-on level."},
        "summary": {
            "type": "object",
            "required": ["errors", "warnings", "infos"],
            "properties": {
                "errors": {"type": "integer", "minimum": 0},
                "warnings": {"type": "integer", "minimum": 0},
                "infos": {"type": "integer", "minimum": 0},
            },
        },
        "files": {"type": "array", "items": {"type": "string"}},
        "findings": {"type": "array", "items": _FINDING_SCHEMA},
    },
}


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "pointer": f.pointer,
    }
    if f.hint:
        out["hint"] = f.hint
    if f.event:
        out["event"] = f.event
    if f.extra.get("accepted"):
        out["accepted"] = True
    details = {k: v for k, v in f.extra.items() if k not in {"accepted", "input_error"}}
    if details:
        out["details"] = _jsonable(details)
    return out


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def as_dict(report: Report, fail_on: Severity = Severity.ERROR) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "infos": report.count(Severity.INFO),
    }
    summary.update(_jsonable(report.summary))
    return {
        "format": REPORT_FORMAT,
        "tool": "contractctl",
        "version": __version__,
        "command": report.command,
        "ok": not report.fails(fail_on),
        "summary": summary,
        "files": list(report.files),
        "findings": [finding_dict(f) for f in report.sorted_findings()],
    }


def render(report: Report, fail_on: Severity = Severity.ERROR) -> str:
    return json.dumps(as_dict(report, fail_on), indent=2, sort_keys=False) + "\n"
