"""Human output: findings grouped by file, then a one-line summary (colour on terminals only)."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape

from contractctl.core.vocab.findings import Finding, Report, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_text(report: Report, *, color: bool = True, failed: bool = False) -> None:
    """Findings by file, then the summary; ``failed`` (the command exits non-zero) means ✗."""
    # Colour off: plain text. On: rich decides by the terminal, and honours FORCE_COLOR.
    console = Console(highlight=False, no_color=True if not color else None, soft_wrap=True)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.sorted_findings():
        by_file[f.file or "(project)"].append(f)
    for file, findings in by_file.items():
        console.print(f"[bold]{escape(file)}[/bold]")
        for f in findings:
            where = f"{f.line or '-'}:{f.column or '-'}".ljust(8)
            label = "accepted" if f.extra.get("accepted") else f.severity.value
            style = "green" if f.extra.get("accepted") else _STYLE[f.severity]
            console.print(
                f"  {where} [{style}]{label:<8}[/{style}] [bold]{f.rule_id}[/bold]  "
                f"{escape(f.message)}"
            )
            if f.hint:
                console.print(f"  {'':8} {'':8} [dim]hint:[/dim] {escape(f.hint)}")
        console.print()
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    accepted = sum(1 for f in report.findings if f.extra.get("accepted"))
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    if accepted:
        parts.append(f"{accepted} accepted")
    headline = str(report.summary.get("headline", f"{len(report.files)} files checked"))
    # ✓ only when the command succeeds: a --fail-on warning run that exits 1 shows ✗ too.
    mark = "[bold red]✗[/bold red]" if errors or failed else "[bold green]✓[/bold green]"
    console.print(f"{mark} {escape(headline)}: {', '.join(parts)}")
