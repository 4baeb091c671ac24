"""English for counts and names in messages: "1 contract file", "an AVRO schema"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` with ``word`` in the right number: ``plural(1, "event")`` → "1 event"."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def article(word: str) -> str:
    """``word`` with "a" or "an", by how it is read: "an AVRO", "a JSON", "an event"."""
    return f"{'an' if word[:1].lower() in 'aeio' else 'a'} {word}"
