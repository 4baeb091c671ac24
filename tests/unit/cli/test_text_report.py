"""The text report: one plain writer off a terminal, rich on one, the same lines either way."""

from __future__ import annotations

import io

from contractctl.cli.text_report import render_text
from contractctl.core.vocab.findings import Finding, Report, Severity


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _report() -> Report:
    report = Report(command="check", files=["a.yaml"])
    report.extend(
        [
            Finding(
                "RULE_A",
                Severity.ERROR,
                "uses [bold]brackets[/bold] :smile:",
                file="a.yaml",
                line=3,
                column=1,
                hint="see [docs]",
            ),
            Finding("RULE_B", Severity.WARNING, "trailing backslash \\", file="a.yaml", line=9),
            Finding("RULE_C", Severity.ERROR, "reviewed", file="b.yaml", extra={"accepted": True}),
            Finding("RULE_D", Severity.INFO, "project-wide"),
        ]
    )
    report.summary["headline"] = "4 [things]"
    return report


def test_plain_writer_prints_text_verbatim() -> None:
    out = io.StringIO()
    render_text(_report(), color=True, stream=out)
    assert out.getvalue().splitlines() == [
        "(project)",
        "  -:-      info     RULE_D  project-wide",
        "",
        "a.yaml",
        "  3:1      error    RULE_A  uses [bold]brackets[/bold] :smile:",
        "                    hint: see [docs]",
        "  9:-      warning  RULE_B  trailing backslash \\",
        "",
        "b.yaml",
        "  -:-      accepted RULE_C  reviewed",
        "",
        "✗ 4 [things]: 1 error, 1 warning, 1 accepted",
    ]


def test_terminal_writer_shows_the_same_text_with_colour() -> None:
    plain, terminal = io.StringIO(), _Terminal()
    render_text(_report(), color=True, stream=plain)
    render_text(_report(), color=True, stream=terminal)
    coloured = terminal.getvalue()
    assert "\x1b[" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain.getvalue()
