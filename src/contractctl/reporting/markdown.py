"""A report as a pull-request review summary in GitHub-flavoured markdown.

Written for a bot to post as a comment, or for ``$GITHUB_STEP_SUMMARY``: the verdict first,
then one table per kind of finding a reviewer acts on (breaking changes with who they break,
behavioural changes, policy), then what passed (accepted breaks) and, folded, the compatible
changes. Deterministic (sorted findings, no dates) and short: each table is capped and says
how many rows it left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from contractctl.core.vocab.findings import Finding, Report, Severity

MAX_ROWS = 25


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or "–"


def _where(f: Finding) -> str:
    place = f"{f.file}:{f.line}" if f.file and f.line else f.file or ""
    pointer = f"`{f.pointer}`" if f.pointer else ""
    return " ".join(p for p in (pointer, f"({place})" if place else "") if p) or "–"


def _strings(value: object) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list | tuple) else []


def _who(f: Finding) -> str:
    consumers = _strings(f.extra.get("consumers"))
    owners = f.extra.get("owners")
    owners = owners if isinstance(owners, dict) else {}
    if f.extra.get("unread"):
        fields = ", ".join(f"`{x}`" for x in _strings(f.extra.get("fields")))
        return f"nobody reads {fields}"
    if not consumers:
        return "no declared consumer"
    return ", ".join(f"{c} ({owners[c]})" if owners.get(c) else c for c in consumers)


def _version(f: Finding) -> str:
    return str(f.extra.get("version") or "–")


def _message(f: Finding) -> str:
    # The "Breaks: …" tail is shown in its own column.
    head, sep, _ = f.message.partition(" Breaks")
    return head if sep else f.message


def _table(
    title: str,
    findings: list[Finding],
    columns: tuple[str, ...],
    row: Callable[[Finding], tuple[object, ...]],
) -> list[str]:
    if not findings:
        return []
    lines = [f"### {title} ({len(findings)})", "", "| " + " | ".join(columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for f in findings[:MAX_ROWS]:
        lines.append("| " + " | ".join(_cell(c) for c in row(f)) + " |")
    if len(findings) > MAX_ROWS:
        lines.append("")
        lines.append(f"…and {len(findings) - MAX_ROWS} more (see the json or text report).")
    lines.append("")
    return lines


def _is_change(f: Finding) -> bool:
    return "directions" in f.extra or bool(f.extra.get("behaviour"))


def _partition(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    parts: dict[str, list[Finding]] = {
        k: [] for k in ("breaking", "behaviour", "unread", "policy", "accepted", "removed")
    }
    parts.update(compatible=[], other=[])
    for f in findings:
        if f.extra.get("accepted"):
            parts["accepted"].append(f)
        elif f.extra.get("compatible") or (f.severity is Severity.INFO and _is_change(f)):
            parts["compatible"].append(f)
        elif f.rule_id == "CHECK_EVENT_REMOVED":
            parts["removed"].append(f)
        elif f.extra.get("unread"):
            parts["unread"].append(f)
        elif f.extra.get("behaviour"):
            parts["behaviour"].append(f)
        elif "directions" in f.extra:
            parts["breaking"].append(f)
        elif f.rule_id.startswith(("REVIEW_", "CHECK_")):
            parts["policy"].append(f)
        else:
            parts["other"].append(f)
    return parts


def _verdict(report: Report, parts: dict[str, list[Finding]]) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    breaking = len([f for f in parts["breaking"] if f.severity is Severity.ERROR])
    if errors:
        mark = "❌ **Changes requested**"
    elif warnings:
        mark = "⚠️ **Passes with warnings**"
    else:
        mark = "✅ **Passes**"
    counts = (
        f"{breaking} breaking change{'s' * (breaking != 1)}, "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
    if parts["accepted"]:
        counts += f", {len(parts['accepted'])} accepted"
    return f"{mark}: {counts}."


def render(report: Report) -> str:
    findings = report.sorted_findings()
    parts = _partition(findings)
    lines = [f"## contractctl {report.command}", "", _verdict(report, parts), ""]
    headline = report.summary.get("headline")
    if headline:
        lines += [f"{headline}.", ""]
    change_cols = ("event", "version", "rule", "location", "breaks", "change", "hint")
    lines += _table(
        "Breaking changes",
        parts["breaking"],
        change_cols,
        lambda f: (f.event, _version(f), f"`{f.rule_id}`", _where(f), _who(f), _message(f), f.hint),
    )
    lines += _table(
        "Behavioural changes",
        parts["behaviour"],
        ("event", "version", "rule", "severity", "location", "breaks", "change", "hint"),
        lambda f: (
            f.event,
            _version(f),
            f"`{f.rule_id}`",
            f.severity.value,
            _where(f),
            _who(f),
            _message(f),
            f.hint,
        ),
    )
    lines += _table(
        "Breaks no consumer reads",
        parts["unread"],
        ("event", "version", "rule", "location", "change"),
        lambda f: (f.event, _version(f), f"`{f.rule_id}`", _where(f), f.message),
    )
    lines += _table(
        "Removed events",
        parts["removed"],
        ("event", "severity", "detail"),
        lambda f: (f.event, f.severity.value, f.message),
    )
    lines += _table(
        "Versions, consumers and deprecation",
        parts["policy"],
        ("event", "rule", "severity", "location", "detail", "hint"),
        lambda f: (f.event, f"`{f.rule_id}`", f.severity.value, _where(f), f.message, f.hint),
    )
    lines += _table(
        "Other findings",
        parts["other"],
        ("rule", "severity", "location", "detail"),
        lambda f: (f"`{f.rule_id}`", f.severity.value, _where(f), f.message),
    )
    lines += _table(
        "Accepted breaks",
        parts["accepted"],
        ("event", "rule", "location", "reason"),
        lambda f: (f.event, f"`{f.rule_id}`", _where(f), f.extra.get("reason", "")),
    )
    compatible = parts["compatible"]
    if compatible:
        lines += [
            "<details>",
            f"<summary>{len(compatible)} compatible change{'s' * (len(compatible) != 1)}</summary>",
            "",
        ]
        lines += [
            f"- {_cell(f.event)}: `{f.rule_id}` {_where(f)}: {_cell(_message(f))}"
            for f in compatible[:MAX_ROWS]
        ]
        if len(compatible) > MAX_ROWS:
            lines.append(f"- …and {len(compatible) - MAX_ROWS} more")
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
