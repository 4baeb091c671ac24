"""JUnit XML: one test case per file examined, failing with the findings in that file."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from contractctl.core.vocab.findings import Finding, Report, Severity


def render(report: Report) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.sorted_findings():
        by_file[f.file or "(project)"].append(f)
    names = list(dict.fromkeys([*report.files, *by_file]))
    failures = sum(
        1
        for n in names
        if any(f.severity is Severity.ERROR and not f.extra.get("accepted") for f in by_file[n])
    )
    suite = ET.Element(
        "testsuite",
        name=f"contractctl {report.command}",
        tests=str(len(names)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for name in names:
        case = ET.SubElement(
            suite, "testcase", classname=f"contractctl.{report.command}", name=name
        )
        found = by_file.get(name, [])
        errors = [f for f in found if f.severity is Severity.ERROR and not f.extra.get("accepted")]
        if errors:
            failure = ET.SubElement(
                case, "failure", message=errors[0].message, type=errors[0].rule_id
            )
            failure.text = "\n".join(_line(f) for f in errors)
        others = [f for f in found if f not in errors]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_line(f) for f in others)
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _line(f: Finding) -> str:
    where = f"{f.file or ''}:{f.line or ''}"
    return f"{where} {f.severity.value} {f.rule_id}: {f.message}"
