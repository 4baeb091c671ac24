"""Names from contracts (subjects, services, domains, versions) as file-name components.

A name never becomes a raw path component: ``..``, ``svc/a``, a name of 300 characters or a
5,000-digit version must neither leave its folder, nor share a file with another name, nor
end in ``ENAMETOOLONG``. ``component`` is percent-encoding (``%XX`` for every byte outside
``[A-Za-z0-9._-]``, and for a leading dot), injective for every name that fits the length
bound; a longer one keeps a readable prefix and gets ``~`` plus a SHA-256 prefix of the whole
name (``~`` never appears otherwise).

``case_safe=True`` also keeps names apart on case-insensitive file systems (macOS, Windows),
from the name alone, whatever other names exist: a name with ASCII capitals gets ``~u`` and
the positions of its capitals as a hexadecimal bit mask (``Orders`` → ``Orders~u1``,
``orders.OrderPlaced`` → ``orders.OrderPlaced~u1080``), so two names that differ only in
case differ in their masks, and a name in lower case keeps its plain form. Other letters are
percent-encoded, whose escapes differ beyond case. The mask (``u`` then hex) and the hash of
a shortened name (16 hex digits) never look alike. The catalog uses it.

Stores whose existing folders must keep their names (the registry) use ``casefold_unique``
and ``twin_component`` instead: plain forms, and a hashed form for the second of two case
twins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import quote

MAX_COMPONENT = 120  # bytes: leaves room under NAME_MAX (255) for suffixes and temp names
_HASH = 16


def component(
    name: str,
    *,
    limit: int = MAX_COMPONENT,
    reserved: Iterable[str] = (),
    case_safe: bool = False,
) -> str:
    """``name`` as one safe path component; ``reserved``: names the caller uses itself
    (e.g. ``index``), encoded differently so no contract name can take their place;
    ``case_safe``: distinct names stay distinct under case folding."""
    encoded = _encoded(name, reserved)
    if case_safe and (mask := case_mask(name)):
        encoded = f"{encoded}~u{mask:x}"
    if len(encoded) <= limit:
        return encoded
    return _shorten(encoded, name, limit)


def _encoded(name: str, reserved: Iterable[str]) -> str:
    """``name`` percent-encoded, unbounded."""
    encoded = quote(name, safe="").replace("~", "%7E")
    if not encoded:
        return "%"  # a lone "%" is no escape, so no other name encodes to it
    if encoded.startswith("."):
        encoded = "%2E" + encoded[1:]
    if encoded.casefold() in {r.casefold() for r in reserved}:
        encoded = f"%{ord(encoded[0]):02X}{encoded[1:]}"
    return encoded


def case_mask(name: str) -> int:
    """Bit ``i`` set where ``name[i]`` is an ASCII capital; 0 for a name in lower case."""
    return sum(1 << i for i, ch in enumerate(name) if "A" <= ch <= "Z")


def _shorten(encoded: str, name: str, limit: int) -> str:
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH]
    head = encoded[: limit - _HASH - 1]
    cut = head.rfind("%", len(head) - 2)
    if cut != -1:  # never split a %XX escape
        head = head[:cut]
    return f"{head}~{digest}"


def casefold_unique(names: Iterable[str], **options: object) -> dict[str, str]:
    """``component`` of each name, made distinct where two would fold to one file on a
    case-insensitive file system (the first in sorted order keeps its plain form)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        encoded = component(name, **options)  # type: ignore[arg-type]
        if encoded.casefold() in taken:
            encoded = twin_component(name, **options)  # type: ignore[arg-type]
        taken.add(encoded.casefold())
        out[name] = encoded
    return out


def twin_component(name: str, *, limit: int = MAX_COMPONENT, reserved: Iterable[str] = ()) -> str:
    """The form ``name`` takes when its ``component`` is already another name's file on a
    case-insensitive file system: its shortened form (readable part, ``~`` and a hash of
    the exact name), which no plain ``component`` has and which differs between case twins."""
    return _shorten(_encoded(name, reserved), name, limit)
