"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding."""

from __future__ import annotations

from contractctl.core.vocab.findings import Report, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.sorted_findings():
        props = []
        if f.file:
            props.append(f"file={_escape_prop(f.file)}")
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_prop(f.rule_id)}")
        message = f.message + (f" Hint: {f.hint}" if f.hint else "")
        if f.extra.get("accepted"):
            message = f"[accepted] {message}"
        level = "notice" if f.extra.get("accepted") else _LEVEL[f.severity]
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    lines.append(f"contractctl {report.command}: {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"
