"""The text report: one plain writer off a terminal, rich on one, the same lines either way."""

from __future__ import annotations

import io

import pytest

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


_ANSI = r"\x1b\[[0-9;]*m"


def _long_report() -> Report:
    report = Report(command="validate", files=["contracts/orders/order-placed.v1.yaml"])
    report.extend(
        [
            Finding(
                "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
                Severity.ERROR,
                "readers on 1.0.0 reject data holding `channel` at "
                "#/properties/order/properties/lines/items/properties/channel "
                "(their object is closed) " * 2,
                file="contracts/orders/order-placed.v1.yaml",
                line=12,
                column=3,
                hint="declare the object open from v1 or release the change as a new major " * 2,
            )
        ]
    )
    report.summary["headline"] = "1 contract of 1 event against git:HEAD: 1 compared, " * 2
    return report


def test_long_messages_wrap_under_their_column_at_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    monkeypatch.setenv("COLUMNS", "80")
    terminal = _Terminal()
    render_text(_long_report(), color=True, stream=terminal)
    lines = re.sub(_ANSI, "", terminal.getvalue()).splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    finding = next(i for i, line in enumerate(lines) if "OPTIONAL_PROPERTY" in line)
    # the ID stays whole, the message continues on lines indented under its column
    assert "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL" in lines[finding]
    assert lines[finding + 1].startswith(" " * 20 + "readers on 1.0.0")
    assert lines[finding + 2].startswith(" " * 20)
    assert "#/properties/order/properties/lines/items/properties/channel" in "\n".join(lines)
    hint = next(i for i, line in enumerate(lines) if "hint:" in line)
    assert lines[hint].startswith(" " * 20 + "hint: declare")
    assert lines[hint + 1].startswith(" " * 20)
    words = " ".join(re.sub(_ANSI, "", terminal.getvalue()).split())
    assert _long_report().findings[0].message.strip() in words  # nothing lost or split


def test_plain_output_is_not_wrapped() -> None:
    out = io.StringIO()
    render_text(_long_report(), color=True, stream=out)
    finding = next(line for line in out.getvalue().splitlines() if "OPTIONAL_PROPERTY" in line)
    assert finding.endswith(_long_report().findings[0].message)


def test_rule_ids_are_bold_not_dim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    terminal = _Terminal()
    render_text(_report(), color=True, stream=terminal)
    line = next(line for line in terminal.getvalue().splitlines() if "RULE_A" in line)
    before = line[: line.index("RULE_A")]
    assert before.endswith("\x1b[1m"), repr(line)  # bold, not dim (\x1b[2m)


@pytest.mark.parametrize("width", [80, 60, None])
def test_rules_text_never_splits_an_id(width: int | None) -> None:
    from contractctl.app.catalogue import rules_rows
    from contractctl.cli.text_report import render_rules

    rows = rules_rows()
    text = render_rules(rows, width)
    starts = {line.split()[0] for line in text.splitlines() if line and not line[0].isspace()}
    assert {r[0] for r in rows} <= starts
    if width is not None:
        longest_id = max(len(r[0]) for r in rows)
        assert all(len(line) <= max(width, longest_id) for line in text.splitlines())
        summaries = " ".join(text.split())
        assert all(" ".join(r[4].split()) in summaries for r in rows)
