"""SARIF 2.1.0 for code-scanning UIs; rule metadata comes from the one catalogue."""

from __future__ import annotations

import json
from typing import Any

from contractctl._version import __version__
from contractctl.core.rules import get_rule
from contractctl.core.vocab.findings import Report, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report) -> str:
    findings = report.sorted_findings()
    rule_ids = sorted({f.rule_id for f in findings})
    rules: list[dict[str, Any]] = []
    for rule_id in rule_ids:
        try:
            rule = get_rule(rule_id)
            summary = rule.summary
        except KeyError:
            summary = rule_id
        rules.append({"id": rule_id, "shortDescription": {"text": summary}})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": "note" if f.extra.get("accepted") else _LEVEL[f.severity],
            "message": {"text": f.message + (f" Hint: {f.hint}" if f.hint else "")},
        }
        if f.file:
            region: dict[str, Any] = {}
            if f.line:
                region["startLine"] = f.line
            if f.column:
                region["startColumn"] = f.column
            location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        if f.extra.get("accepted"):
            result["suppressions"] = [
                {"kind": "inSource", "justification": str(f.extra.get("reason", ""))}
            ]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contractctl",
                        "version": __version__,
                        "informationUri": "https://contractctl.dev",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"
