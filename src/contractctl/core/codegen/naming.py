"""Python names for schema things: classes, fields, modules; unique and never reserved."""

from __future__ import annotations

import hashlib
import keyword
import re

# Attributes of pydantic.BaseModel a field must not shadow (plus our own helpers).
_RESERVED_FIELDS = frozenset(
    {
        "construct", "copy", "dict", "json", "parse_obj", "parse_raw", "parse_file",
        "schema", "schema_json", "update_forward_refs", "validate", "from_orm", "fields",
        "to_json", "from_json", "to_avro", "from_avro", "EVENT", "VERSION", "CHANNEL",
        "FINGERPRINT", "SCHEMA_FORMAT",
    }
)  # fmt: skip
_RESERVED_CLASSES = frozenset(
    {
        "Any", "Annotated", "BaseModel", "ClassVar", "ConfigDict", "Field", "Literal",
        "Decimal", "UUID", "date", "datetime", "time", "Self", "TypeAlias", "Int",
        "Number", "StrictBool", "StrictStr", "StrictBytes", "Json", "Union", "Optional",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words(text: str) -> list[str]:
    return [w for part in _WORD.findall(text) for w in _CAMEL.split(part) if w]


def class_name(text: str) -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Model"
    if name[0].isdigit():
        name = "M" + name
    return name + "_" if name in _RESERVED_CLASSES else name


def snake(text: str) -> str:
    name = "_".join(w.lower() for w in words(text)) or "field"
    return "f_" + name if name[0].isdigit() else name


def field_name(key: str) -> str:
    """A valid, non-private, non-reserved attribute for payload key ``key``."""
    name = key if key.isidentifier() and key.isascii() else snake(key)
    name = name.lstrip("_") or "field"
    if name[0].isdigit():
        name = "f_" + name
    if keyword.iskeyword(name) or name in _RESERVED_FIELDS or name.startswith("model_"):
        name += "_"
    return name


def module_name(event: str, version: str) -> str:
    """``order_placed_v1_1_0`` for ``OrderPlaced`` at ``1.1.0``."""
    return bounded(f"{snake(event)}_v" + "_".join(w.lower() for w in _WORD.findall(version)))


def package_parts(domain: str) -> tuple[str, ...]:
    return tuple(bounded(snake(part)) for part in domain.split(".") if part) or ("default",)


_MAX_MODULE = 100  # a file name, with ".py" and a temp prefix, stays far below NAME_MAX


def bounded(name: str) -> str:
    """``name`` cut to a file-name-safe length; a cut name ends in a hash of the whole, so two
    long names stay two modules (a 300-character event, a 5,000-digit version)."""
    if len(name) <= _MAX_MODULE:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{name[: _MAX_MODULE - 17]}_{digest}"


class Names:
    """Hands out unique names within one module."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def claim(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.taken:
            name = f"{wanted}{n}"
            n += 1
        self.taken.add(name)
        return name
