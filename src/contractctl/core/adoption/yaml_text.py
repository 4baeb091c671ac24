"""Block-style YAML text for the contracts an import writes.

An import writes thousands of small documents; PyYAML's emitter costs milliseconds each,
this one microseconds. It handles only what contracts hold (mappings with string keys,
lists, strings, numbers, booleans, null) and quotes every string a YAML 1.1 or 1.2 reader
could take for something else, so ``yaml.safe_load`` gives the data back (a tested property).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_/$][A-Za-z0-9_ ./@$()-]*")
_SPECIAL = frozenset(
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", ".nan"]
)  # YAML 1.1 booleans and the null/number words, in any case


def _quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    # JSON leaves some characters raw that a YAML reader refuses (non-printable ones).
    return "".join(
        c
        if c.isprintable() or c in "\t"
        else (f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
        for c in out
    )


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
        text = repr(value)
        # YAML 1.1 readers (PyYAML) need a dot in a float: 5e-324 would read as a string.
        return text if "." in text else text.replace("e", ".0e", 1)
    return _string(str(value))


@lru_cache(maxsize=4096)  # keys and many values repeat across thousands of contracts
def _string(text: str) -> str:
    if (
        _PLAIN.fullmatch(text)
        and text.lower() not in _SPECIAL
        and not text.endswith(" ")
        and "  " not in text
    ):
        return text
    return _quoted(text)


def _literal(text: str, indent: str) -> str | None:
    """A ``|`` block for multi-line text, when it reads back exactly; else None."""
    if "\n" not in text.rstrip("\n") or text.endswith("\n\n") or text[:1] in " \t":
        return None
    if any(not (c.isprintable() or c == "\n") for c in text):
        return None
    if any(line != line.rstrip() for line in text.split("\n")):
        return None
    chomp = "" if text.endswith("\n") else "-"
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))
    return f"|{chomp}\n{body}"


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Append ``value`` (a mapping or list) as block lines at ``indent``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            head = f"{indent}{scalar(str(key))}:"
            _entry(head, item, indent, out)
    else:
        for item in value:
            if isinstance(item, Mapping) and item:
                inner: list[str] = []
                _emit(item, indent + "  ", inner)
                out.append(f"{indent}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            else:
                _entry(f"{indent}-", item, indent, out)


def _entry(head: str, item: Any, indent: str, out: list[str]) -> None:
    if isinstance(item, Mapping | list | tuple) and item:
        out.append(head + "\n")
        _emit(item, indent + "  ", out)
    elif isinstance(item, Mapping):
        out.append(f"{head} {{}}\n")
    elif isinstance(item, Sequence) and not isinstance(item, str):
        out.append(f"{head} []\n")
    elif isinstance(item, str) and (block := _literal(item, indent + "  ")) is not None:
        out.append(f"{head} {block}")
    else:
        out.append(f"{head} {scalar(item)}\n")


def dump(document: Mapping[str, Any]) -> str:
    """``document`` as block YAML text."""
    out: list[str] = []
    _emit(document, "", out)
    return "".join(out)
