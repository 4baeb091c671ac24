"""The markdown review summary: sections, caps with counts, determinism, escaping."""

from __future__ import annotations

import random

from contractctl.core.vocab.findings import Finding, Report, Severity
from contractctl.reporting import markdown


def _break(i: int) -> Finding:
    return Finding(
        "TYPE_CHANGED",
        Severity.ERROR,
        f"against 1.0.0 (BACKWARD): field f{i:03} a|b. Breaks: billing.",
        file="contracts/a.yaml",
        line=i + 1,
        pointer=f"#/properties/f{i:03}",
        event="shop.OrderPlaced",
        extra={"directions": ["BACKWARD"], "consumers": ["billing"], "version": "1.1.0"},
    )


def test_a_big_diff_is_capped_with_counts_and_stays_deterministic() -> None:
    findings = [_break(i) for i in range(markdown.MAX_ROWS + 7)]
    compatible = [
        Finding(
            "X", Severity.INFO, f"c{i}", event="e", extra={"compatible": True, "directions": []}
        )
        for i in range(markdown.MAX_ROWS + 2)
    ]
    shuffled = findings + compatible
    random.Random(4).shuffle(shuffled)
    text = markdown.render(Report("check", findings=shuffled))
    assert text == markdown.render(Report("check", findings=findings + compatible))
    assert f"### Breaking changes ({markdown.MAX_ROWS + 7})" in text
    assert "…and 7 more" in text
    assert f"<summary>{markdown.MAX_ROWS + 2} compatible changes</summary>" in text
    assert "- …and 2 more" in text
    assert text.count("| shop.OrderPlaced | 1.1.0 | `TYPE_CHANGED`") == markdown.MAX_ROWS
    assert "a\\|b" in text  # a pipe in a message does not split the table
    assert text.startswith("## contractctl check\n\n❌ **Changes requested**")


def test_a_clean_report_passes() -> None:
    text = markdown.render(Report("check", summary={"headline": "3 contracts"}))
    assert "✅ **Passes**" in text
    assert "3 contracts." in text
    assert "###" not in text


def test_accepted_breaks_are_listed_with_their_reason() -> None:
    accepted = Finding(
        "REQUIRED_ATTRIBUTE_ADDED",
        Severity.ERROR,
        "m",
        event="e",
        extra={"accepted": True, "reason": "PR 412", "directions": ["BACKWARD"]},
    )
    text = markdown.render(Report("check", findings=[accepted]))
    assert "### Accepted breaks (1)" in text
    assert "PR 412" in text
    assert "✅ **Passes**" in text
