"""Human output: findings grouped by file, then a one-line summary (colour on terminals only).

Two writers produce the same lines. Off a terminal (CI logs, pipes, files) the plain writer
joins strings and writes once: rich's per-line markup parsing and segment rendering made a
40,000-finding report cost a third of a large ``check``, and importing rich alone costs
about as much as the rest of a small check. On a terminal rich adds the colours, and long
messages wrap at the terminal's width under their own column, never inside a word: a rule
ID, a path or a pointer stays whole.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterator, Sequence
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


_INDENT = 20  # where a finding's message column starts below its first line
_MIN_ROOM = 24  # narrower than this beside a long rule ID: the message starts a line of its own


def wrap(text: str, width: int | None, first: int, indent: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, the first starting at column ``first``
    and the others indented by ``indent``; words (IDs, paths, pointers) are never split, so a
    word longer than the room overflows. ``width`` None: one line. The first element is ""
    when the text starts on the next line."""
    if width is None:
        return [text]
    lead = ""
    if width - first < _MIN_ROOM and first > indent:
        lead, first = "\n", indent
    lines = textwrap.wrap(
        text,
        width=max(width, first + 1),
        initial_indent="x" * first,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or ["x" * first]
    lines[0] = lines[0][first:]
    return (
        ["", *(line if i else " " * indent + line for i, line in enumerate(lines))]
        if lead
        else lines
    )


def _plain(lines: list[str]) -> Iterator[list[Part]]:
    for line in lines:
        yield [(line, None)]


def _lines(report: Report, failed: bool, width: int | None = None) -> Iterator[list[Part]]:
    """The report's lines as styled parts: text is never parsed as markup by either writer.
    With ``width``, messages, hints and the summary wrap under their own column."""
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
            head: list[Part] = [
                (f"  {where} ", None),
                (f"{label:<8}", style),
                (" ", None),
                (f.rule_id, "bold"),
            ]
            first, *rest = wrap(f.message, width, _INDENT + len(f.rule_id) + 2, _INDENT)
            yield [*head, (f"  {first}", None)] if first else head
            yield from _plain(rest)
            if f.hint:
                first, *rest = wrap(f.hint, width, _INDENT + 6, _INDENT)
                yield [(" " * _INDENT, None), ("hint:", "dim"), (f" {first}", None)]
                yield from _plain(rest)
        yield []
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    accepted_count = sum(1 for f in report.findings if f.extra.get("accepted"))
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    if accepted_count:
        parts.append(f"{accepted_count} accepted")
    headline = str(report.summary.get("headline", f"{len(report.files)} files checked"))
    # ✓ only when the command succeeds: a --fail-on warning run that exits 1 shows ✗ too.
    sign = ("✗", "bold red") if errors or failed else ("✓", "bold green")
    first, *rest = wrap(f"{headline}: {', '.join(parts)}", width, 2, 2)
    yield [sign, (f" {first}", None)]
    yield from _plain(rest)


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
    for line in _lines(report, failed, console.width):
        console.print(Text.assemble(*((t, s) if s else t for t, s in line)))


def render_rules(rows: Sequence[tuple[str, str, str, str, str]], width: int | None) -> str:
    """``contractctl rules`` as text: a table when it fits in ``width`` (None: any width),
    else one block per rule, its ID whole on the first line and the rest wrapped below."""
    header = ("ID", "category", "severity", "breaks", "summary")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    if width is None or sum(widths) + 2 * 4 + max(len(r[4]) for r in rows) <= width:
        return "".join(
            "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths, strict=True))
            + f"  {r[4]}".rstrip()
            + "\n"
            for r in (header, *rows)
        )
    blocks = []
    for rule_id, category, severity, breaks, summary in rows:
        facts = f"{category}, {severity}" + (f", breaks {breaks}" if breaks != "-" else "")
        lines = [f"{rule_id}  {facts}" if len(rule_id) + 2 + len(facts) <= width else rule_id]
        if lines[0] == rule_id:
            lines += wrap(facts, width, 4, 4)
            lines[1] = "    " + lines[1]
        body = wrap(summary, width, 4, 4)
        lines += ["    " + body[0], *body[1:]]
        blocks.append("\n".join(lines) + "\n")
    return "".join(blocks)
