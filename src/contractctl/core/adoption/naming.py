"""Names for imported contracts: the event name from a record name, title or subject, and the
file names an event's versions are written under."""

from __future__ import annotations

import re
from typing import Any

from contractctl.core.schema.avro_refs import full_name

_SEGMENT = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_WORD = re.compile(r"[A-Za-z0-9]+")


def topic_of(subject: str) -> str | None:
    """The topic TopicNameStrategy derived ``subject`` from, if it did (``orders-value``)."""
    for suffix in ("-value", "-key"):
        if subject.endswith(suffix) and len(subject) > len(suffix):
            return subject[: -len(suffix)]
    return None


def pascal(text: str) -> str:
    """``order-placed`` → ``OrderPlaced``; inner capitals stay (``orderPlaced``)."""
    words = _WORD.findall(text)
    out = "".join(w[0].upper() + w[1:] for w in words)
    if not out or not out[0].isalpha():
        out = "E" + out
    return out


def _segment(text: str) -> str:
    """A name segment the contract format accepts: a letter first, then word characters."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", text).strip("_-") or "imported"
    return cleaned if cleaned[0].isalpha() else "n" + cleaned


def record_name(schema_type: str, document: Any) -> str | None:
    """Avro ``namespace.name``, or a JSON Schema ``title``; None when the schema names nothing."""
    if schema_type == "AVRO":
        return full_name(document)
    if isinstance(document, dict):
        title = document.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
    return None


def event_name(subject: str, schema_type: str, document: Any) -> str:
    """``domain.EventName`` for a subject: the record's full name when it has a namespace;
    otherwise the domain is the topic's (or subject's) first word and the event the record
    name, else the rest of the topic in PascalCase."""
    record = record_name(schema_type, document)
    base = topic_of(subject) or subject
    if record and "." in record and " " not in record:
        parts = [_segment(p) for p in record.split(".") if p]
        if len(parts) >= 2:
            return ".".join([*parts[:-1], pascal(parts[-1])])
    words = re.split(r"[.\-_/:]+", base.strip(".-_/:"))
    domain = _segment(words[0].lower()) if words and words[0] else "imported"
    if record:
        return f"{domain}.{pascal(record)}"
    rest = words[1:] or words
    return f"{domain}.{pascal(' '.join(rest))}"


def kebab(event: str) -> str:
    """``OrderPlaced`` → ``order-placed``: file names read like the example contracts."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", event)
    return re.sub(r"[^a-z0-9-]+", "-", spaced.lower()).strip("-") or "event"


def folder_of(name: str) -> str:
    """The folder an event's files live in: its domain, dots kept (``com.acme.payments``)."""
    return name.rpartition(".")[0] or "imported"


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name2``, ``name3``… when another subject already maps to it."""
    if name not in taken:
        return name
    n = 2
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"
