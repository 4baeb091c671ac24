"""Human output: findings grouped by file, then a one-line summary (colour on terminals only).

Two writers produce the same lines. Off a terminal (CI logs, pipes, files) the plain writer
joins strings and writes once: rich's per-line markup parsing and segment rendering made a
40,000-finding report cost a third of a large ``check``, and importing rich alone costs
about as much as the rest of a small check. On a terminal rich adds the colours.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import TextIO

from contractctl.core.vocab.findings import Finding, Report, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@cache
def _is_terminal(stream: TextIO) -> bool:
    """Asked once per stream: rich used to ask per printed line (10% of a large report)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True  # rich's own overrides: keep honouring them on the rich path
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


Part = tuple[str, str | None]  # (text, rich style or None)


def _lines(report: Report, failed: bool) -> Iterator[list[Part]]:
    """The report's lines as styled parts: text is never parsed as markup by either writer."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.sorted_findings():
        by_file[f.file or "(project)"].append(f)
    for file, findings in by_file.items():
        yield [(file, "bold")]
        for f in findings:
            where = f"{f.line or '-'}:{f.column or '-'}".ljust(8)
            accepted = f.extra.get("accepted")
            label = "accepted" if accepted else f.severity.value
            style = "green" if accepted else _STYLE[f.severity]
            yield [
                (f"  {where} ", None),
                (f"{label:<8}", style),
                (" ", None),
                (f.rule_id, "bold"),
                (f"  {f.message}", None),
            ]
            if f.hint:
                yield [(f"  {'':8} {'':8} ", None), ("hint:", "dim"), (f" {f.hint}", None)]
        yield []
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    accepted_count = sum(1 for f in report.findings if f.extra.get("accepted"))
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    if accepted_count:
        parts.append(f"{accepted_count} accepted")
    headline = str(report.summary.get("headline", f"{len(report.files)} files checked"))
    # ✓ only when the command succeeds: a --fail-on warning run that exits 1 shows ✗ too.
    sign = ("✗", "bold red") if errors or failed else ("✓", "bold green")
    yield [sign, (f" {headline}: {', '.join(parts)}", None)]


def render_text(
    report: Report, *, color: bool = True, failed: bool = False, stream: TextIO | None = None
) -> None:
    """Findings by file, then the summary; ``failed`` (the command exits non-zero) means ✗."""
    out = stream or sys.stdout
    if not _is_terminal(out):
        out.write("".join("".join(t for t, _ in line) + "\n" for line in _lines(report, failed)))
        return
    from rich.console import Console
    from rich.text import Text

    # Colour off: plain text. On: rich decides by the terminal, and honours FORCE_COLOR.
    console = Console(
        file=out, highlight=False, no_color=True if not color else None, soft_wrap=True
    )
    for line in _lines(report, failed):
        console.print(Text.assemble(*((t, s) if s else t for t, s in line)))
