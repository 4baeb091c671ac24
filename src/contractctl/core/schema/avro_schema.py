"""Avro schema files: loading (Jackson-style comments allowed) and validation with JSON pointers.

``validate_avro`` reports what Avro Java's parser with name and default validation (the
parser a schema registry uses) refuses: bad or duplicate names, undefined or unknown
types, missing required attributes, nested or duplicate union branches, enum defaults
outside the symbols, and field defaults that do not match their type (a union default
must match the union's *first* branch). Every issue carries a JSON pointer to the node at
fault. It never raises on hostile input: deep nesting becomes one ``too-deep`` issue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from contractctl.core.errors import SchemaParseError

PRIMITIVES: Final = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)
MAX_DEPTH: Final = 100
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT_RANGE: Final = (-(2**31), 2**31 - 1)
_LONG_RANGE: Final = (-(2**63), 2**63 - 1)


@dataclass(frozen=True, slots=True)
class AvroIssue:
    """One reason a schema is not valid Avro.

    ``code`` is one of: ``bad-name``, ``duplicate-name``, ``unknown-type``, ``missing``,
    ``bad-value``, ``bad-union``, ``bad-default``, ``too-deep``.
    """

    code: str
    pointer: str
    message: str


def load_avro_text(text: str) -> object:
    """Parse an ``.avsc`` text, allowing the ``//`` and ``/* */`` comments Avro Java accepts."""
    try:
        return json.loads(_strip_comments(text))
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise SchemaParseError(f"Avro schema is not valid JSON: {exc}", line=line) from None
    except RecursionError:
        raise SchemaParseError("Avro schema nested too deeply to parse") from None


def _strip_comments(text: str) -> str:
    if "/" not in text:
        return text
    out: list[str] = []
    i, n, start = 0, len(text), 0
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif c == "/" and text.startswith("//", i):
            out.append(text[start:i])
            end = text.find("\n", i)
            i = start = n if end < 0 else end  # keep the newline: line numbers stay right
        elif c == "/" and text.startswith("/*", i):
            out.append(text[start:i])
            end = text.find("*/", i + 2)
            stop = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, stop))
            i = start = stop
        else:
            i += 1
    out.append(text[start:])
    return "".join(out)


def _split(name: str, space: str | None) -> tuple[str, str]:
    """(namespace, full name) of ``name`` declared in ``space``."""
    dot = name.rfind(".")
    if dot >= 0:
        return name[:dot], name
    return (space or ""), (f"{space}.{name}" if space else name)


class _Validator:
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names  # full name -> kind
        self.defs: dict[str, object] = {}  # full name -> schema, for default checks
        self.issues: list[AvroIssue] = []
        self.too_deep = False

    def issue(self, code: str, pointer: str, message: str) -> None:
        self.issues.append(AvroIssue(code, pointer or "/", message))

    def check_name(self, name: object, pointer: str, what: str) -> bool:
        if not isinstance(name, str) or not name:
            self.issue("missing", pointer, f"{what} needs a non-empty string name")
            return False
        for part in name.split("."):
            if not _NAME.match(part):
                self.issue(
                    "bad-name",
                    pointer,
                    f"{what} `{name}` is not a valid Avro name: each part must match "
                    "[A-Za-z_][A-Za-z0-9_]*",
                )
                return False
        return True

    def schema(self, s: object, space: str | None, ptr: str, depth: int) -> str | None:
        """Validate ``s``; return its kind key for union duplicate checks (None if unknown)."""
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.issue("too-deep", ptr, f"schema nests deeper than {MAX_DEPTH} levels")
            return None
        if isinstance(s, str):
            return self.reference(s, space, ptr)
        if isinstance(s, list):
            return self.union(s, space, ptr, depth)
        if not isinstance(s, dict):
            self.issue(
                "bad-value",
                ptr,
                f"expected a type name, a schema object or a union list, got {_json_kind(s)}",
            )
            return None
        kind = s.get("type")
        if kind is None:
            self.issue("missing", ptr, "schema object has no `type`")
            return None
        if not isinstance(kind, str):
            self.issue("bad-value", f"{ptr}/type", "`type` must be a type name string")
            return None
        if kind in PRIMITIVES:
            return kind
        if kind in ("record", "error", "enum", "fixed"):
            return self.named(s, kind, space, ptr, depth)
        if kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            if key not in s:
                self.issue("missing", ptr, f"{kind} has no `{key}`")
            else:
                self.schema(s[key], space, f"{ptr}/{key}", depth + 1)
            return kind
        self.issue("unknown-type", f"{ptr}/type", f"unknown Avro type `{kind}`")
        return None

    def reference(self, name: str, space: str | None, ptr: str) -> str | None:
        if name in PRIMITIVES:
            return name
        full = _split(name, space)[1]
        for candidate in (full, name):
            if candidate in self.names:
                return candidate
        self.issue(
            "unknown-type",
            ptr,
            f"`{name}` is neither a primitive type nor a named type defined before this point",
        )
        return None

    def union(self, s: list[object], space: str | None, ptr: str, depth: int) -> str:
        seen: set[str] = set()
        for i, branch in enumerate(s):
            where = f"{ptr}/{i}"
            if isinstance(branch, list):
                self.issue("bad-union", where, "a union may not directly contain another union")
                continue
            key = self.schema(branch, space, where, depth + 1)
            if key is not None:
                if key in seen:
                    self.issue("bad-union", where, f"duplicate `{key}` branch in union")
                seen.add(key)
        return "union"

    def named(
        self, s: dict[str, object], kind: str, space: str | None, ptr: str, depth: int
    ) -> str | None:
        name = s.get("name")
        if not self.check_name(name, f"{ptr}/name", kind):
            return None
        assert isinstance(name, str)
        declared = s.get("namespace")
        if declared is not None and not (
            isinstance(declared, str) and (declared == "" or self._valid_space(declared))
        ):
            self.issue("bad-name", f"{ptr}/namespace", "namespace must be dotted Avro names")
            declared = None
        own_space, full = _split(name, declared if isinstance(declared, str) else space)
        if full.rsplit(".", 1)[-1] in PRIMITIVES:
            self.issue("bad-name", f"{ptr}/name", f"a {kind} may not be named `{full}`")
        elif full in self.names:
            self.issue("duplicate-name", f"{ptr}/name", f"`{full}` is already defined")
        self.names[full] = kind
        self.defs[full] = s
        self.aliases(s.get("aliases"), f"{ptr}/aliases")
        if kind == "enum":
            self.enum(s, ptr)
        elif kind == "fixed":
            size = s.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                self.issue(
                    "missing" if size is None else "bad-value",
                    f"{ptr}/size",
                    "fixed needs a non-negative integer `size`",
                )
        else:
            self.record(s, own_space or None, ptr, depth)
        return full

    def _valid_space(self, space: str) -> bool:
        return all(_NAME.match(p) for p in space.split("."))

    def aliases(self, aliases: object, ptr: str) -> None:
        if aliases is None:
            return
        if not isinstance(aliases, list):
            self.issue("bad-value", ptr, "`aliases` must be a list of names")
            return
        for i, alias in enumerate(aliases):
            self.check_name(alias, f"{ptr}/{i}", "alias")

    def enum(self, s: dict[str, object], ptr: str) -> None:
        symbols = s.get("symbols")
        if not isinstance(symbols, list):
            self.issue("missing", f"{ptr}/symbols", "enum needs a `symbols` list")
            return
        seen: set[str] = set()
        for i, sym in enumerate(symbols):
            if self.check_name(sym, f"{ptr}/symbols/{i}", "enum symbol") and "." in str(sym):
                self.issue("bad-name", f"{ptr}/symbols/{i}", f"enum symbol `{sym}` has a dot")
            if isinstance(sym, str):
                if sym in seen:
                    self.issue("duplicate-name", f"{ptr}/symbols/{i}", f"duplicate symbol `{sym}`")
                seen.add(sym)
        default = s.get("default")
        if "default" in s and default not in seen:
            self.issue("bad-default", f"{ptr}/default", f"enum default {default!r} is not a symbol")

    def record(self, s: dict[str, object], space: str | None, ptr: str, depth: int) -> None:
        fields = s.get("fields")
        if not isinstance(fields, list):
            self.issue("missing", f"{ptr}/fields", "record needs a `fields` list")
            return
        seen: set[str] = set()
        for i, field in enumerate(fields):
            where = f"{ptr}/fields/{i}"
            if not isinstance(field, dict):
                self.issue("bad-value", where, "a record field must be an object")
                continue
            name = field.get("name")
            if self.check_name(name, f"{where}/name", "field") and "." in str(name):
                self.issue("bad-name", f"{where}/name", f"field name `{name}` has a dot")
            if isinstance(name, str):
                if name in seen:
                    self.issue("duplicate-name", f"{where}/name", f"duplicate field `{name}`")
                seen.add(name)
            self.aliases(field.get("aliases"), f"{where}/aliases")
            if "type" not in field:
                self.issue("missing", where, f"field `{name}` has no `type`")
                continue
            self.schema(field["type"], space, f"{where}/type", depth + 1)
            if "default" in field and not self.too_deep:
                problem = self.default_problem(field["type"], field["default"], space, 0)
                if problem:
                    self.issue(
                        "bad-default",
                        f"{where}/default",
                        f"default of field `{name}` is not valid: {problem}",
                    )

    def default_problem(self, s: object, value: object, space: str | None, depth: int) -> str:
        """Why ``value`` is not a valid default for ``s`` ("" when it is)."""
        if depth > MAX_DEPTH:
            return "nested too deeply"
        if isinstance(s, list):
            if not s:
                return "an empty union has no valid default"
            return self.default_problem(s[0], value, space, depth + 1)
        if isinstance(s, str):
            if s in PRIMITIVES:
                return _primitive_problem(s, value)
            ref = self.reference_quiet(s, space)
            return "" if ref is None else self.default_problem(ref, value, space, depth + 1)
        if not isinstance(s, dict):
            return ""
        kind = s.get("type")
        if isinstance(kind, str) and kind in PRIMITIVES:
            return _primitive_problem(kind, value)
        if kind in ("enum", "fixed"):
            if not isinstance(value, str):
                return f"{kind} default must be a string, got {_json_kind(value)}"
            symbols = s.get("symbols")
            if kind == "enum" and isinstance(symbols, list) and value not in symbols:
                return f"{value!r} is not one of the enum's symbols"
            return ""
        if kind == "array":
            if not isinstance(value, list):
                return f"array default must be a JSON array, got {_json_kind(value)}"
            return next(
                (
                    p
                    for v in value
                    if (p := self.default_problem(s.get("items"), v, space, depth + 1))
                ),
                "",
            )
        if kind == "map":
            if not isinstance(value, dict):
                return f"map default must be a JSON object, got {_json_kind(value)}"
            return next(
                (
                    p
                    for v in value.values()
                    if (p := self.default_problem(s.get("values"), v, space, depth + 1))
                ),
                "",
            )
        if kind in ("record", "error"):
            if not isinstance(value, dict):
                return f"record default must be a JSON object, got {_json_kind(value)}"
            for field in s.get("fields") or []:
                if not isinstance(field, dict) or not isinstance(field.get("name"), str):
                    continue
                if field["name"] in value:
                    sub = self.default_problem(
                        field.get("type"), value[field["name"]], space, depth + 1
                    )
                    if sub:
                        return f"field `{field['name']}`: {sub}"
                elif "default" not in field:
                    return f"field `{field['name']}` is missing and has no default"
        return ""

    def reference_quiet(self, name: str, space: str | None) -> object | None:
        full = _split(name, space)[1]
        return self.defs.get(full, self.defs.get(name))


def _primitive_problem(kind: str, value: object) -> str:
    ok: bool
    if kind == "null":
        ok = value is None
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind in ("int", "long"):
        lo, hi = _INT_RANGE if kind == "int" else _LONG_RANGE
        ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
    elif kind in ("float", "double"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:  # string, bytes
        ok = isinstance(value, str)
    return "" if ok else f"{_json_kind(value)} {value!r:.40} is not a valid {kind}"


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def validate_avro(schema: object, *, named: Mapping[str, object] | None = None) -> list[AvroIssue]:
    """Every reason ``schema`` (parsed JSON) is not a valid Avro schema; empty when valid.

    ``named`` holds named types from other files (full name → schema); they are taken as
    defined, and their own problems are not reported here.
    """
    validator = _Validator({})
    for external in (named or {}).values():
        side = _Validator(validator.names)
        side.defs = validator.defs
        side.schema(external, None, "", 0)
    validator.schema(schema, None, "", 0)
    return validator.issues
