"""The safe Markdown subset of contract prose: what renders, and what never does."""

from __future__ import annotations

import pytest

from contractctl.adapters.markdown_safe import block_html, inline_html, markdown_text


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("see `order_id` first", "see <code>order_id</code> first"),
        ("**never** twice", "<strong>never</strong> twice"),
        ("an *important* and _quiet_ word", "an <em>important</em> and <em>quiet</em> word"),
        ("snake_case_names stay", "snake_case_names stay"),
        (
            "[docs](https://x.test/a?b=1&c=2)",
            '<a href="https://x.test/a?b=1&amp;c=2" rel="nofollow">docs</a>',
        ),
        ("[rel](../events/a.html)", '<a href="../events/a.html" rel="nofollow">rel</a>'),
        ("`<b>` in code", "<code>&lt;b&gt;</code> in code"),
        ("a\n  b", "a b"),
    ],
)
def test_inline_subset(source: str, html: str) -> None:
    assert str(inline_html(source)) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](javascript&#x3A;alert(1))",
        '[x](https://ok.test/"onmouseover="alert(1))',
    ],
)
def test_raw_html_and_unsafe_links_never_render(hostile: str) -> None:
    for out in (str(inline_html(hostile)), str(block_html(hostile))):
        assert "<script" not in out
        assert "<img" not in out
        assert 'href="javascript' not in out.lower()
        assert 'href="data' not in out.lower()
        assert '"onmouseover' not in out


def test_blocks_are_paragraphs_and_lists() -> None:
    text = "First line\ncontinues.\n\n- one\n- `two`\n\nLast."
    assert str(block_html(text)) == (
        "<p>First line continues.</p>\n<ul><li>one</li><li><code>two</code></li></ul>\n<p>Last.</p>"
    )
    assert str(block_html(None)) == ""


def test_markdown_output_keeps_syntax_and_escapes_html_outside_code() -> None:
    assert markdown_text("use `a<b>` and **bold** <i>") == "use `a<b>` and **bold** &lt;i&gt;"
    assert markdown_text("a | b") == "a \\| b"
    assert markdown_text("``x ` y``") == "`` x ` y ``"
    assert markdown_text(None) == ""
