"""A safe subset of Markdown for contract prose (summaries, descriptions, purposes), as HTML.

Supported: paragraphs, ``-``/``*`` bullet lists, `` `code` ``, ``**strong**``, ``*em*``/
``_em_`` and ``[text](url)`` links whose URL is relative, ``http(s):`` or ``mailto:``. All
other text, raw HTML included, is escaped first, so contract authors cannot inject markup.
For the Markdown output, :func:`markdown_text` keeps the syntax and escapes HTML only
outside code spans.
"""

from __future__ import annotations

import functools
import re
from html import escape, unescape

from markupsafe import Markup

_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
# Absolute links only by these schemes; a relative one only of plain path characters (no
# ':' and no '&', so neither a scheme nor an entity spelling one can hide in it).
_SAFE_URL = re.compile(r"^(?:https?://|mailto:|[\w./~#?=%+-]*$)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*]\s+")


def _spans(text: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces: code spans are left exactly as written."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _CODE.finditer(text):
        out.append((False, text[pos : m.start()]))
        out.append((True, m.group(2).strip() or m.group(2)))
        pos = m.end()
    out.append((False, text[pos:]))
    return out


def _link(m: re.Match[str]) -> str:
    label, url = m.group(1), m.group(2)
    if not _SAFE_URL.match(unescape(url)):
        return m.group(0)  # an unsafe scheme (javascript:, data:, ...) stays plain text
    return f'<a href="{url}" rel="nofollow">{label}</a>'


def _prose(text: str) -> str:
    html = escape(text, quote=True)
    html = _LINK.sub(_link, html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EM_STAR.sub(r"<em>\1</em>", html)
    return _EM_UNDER.sub(r"<em>\1</em>", html)


def inline_html(value: object) -> Markup:
    """One line of Markdown as HTML (for table cells and summaries)."""
    return _inline(" ".join(str(value or "").split()))


# The same field descriptions recur on every version page of an event: convert each once.
@functools.lru_cache(maxsize=4096)
def _inline(text: str) -> Markup:
    return Markup(
        "".join(
            f"<code>{escape(part)}</code>" if code else _prose(part) for code, part in _spans(text)
        )
    )


def block_html(value: object) -> Markup:
    """Paragraphs and bullet lists as HTML."""
    blocks = re.split(r"\n\s*\n", str(value or "").strip())
    out: list[str] = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{inline_html(_BULLET.sub('', line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{inline_html(' '.join(lines))}</p>")
    return Markup("\n".join(out))


def markdown_text(value: object, *, one_line: bool = True) -> str:
    """Markdown kept as Markdown: HTML escaped outside code spans, pipes escaped for tables."""
    text = "" if value is None else str(value)
    if one_line:
        text = " ".join(text.split())
    pieces = []
    for code, part in _spans(text):
        if code:
            fence = "``" if "`" in part else "`"
            pieces.append(f"{fence} {part} {fence}" if fence == "``" else f"`{part}`")
        else:
            plain = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            pieces.append(_LINK.sub(_markdown_link, plain))
    return "".join(pieces).replace("|", "\\|")


def _markdown_link(m: re.Match[str]) -> str:
    """A link kept only with a URL the HTML output would link too; else its text, inert."""
    if _SAFE_URL.match(m.group(2)):
        return m.group(0)
    return f"\\[{m.group(1)}\\]({m.group(2)})"
