"""Payload schemas placed in an AsyncAPI document so that every ``$ref`` resolves there.

A payload embedded under ``components.messages.<id>.payload.schema`` is no longer the root
of its own document: the AsyncAPI parser resolves ``#/definitions/Amount`` against the
AsyncAPI document, and a file ``$ref`` against wherever the document is read from. So JSON
Schema payloads are first bundled (file refs copied in), then their definitions are hoisted
to ``components.schemas`` (one entry per distinct definition, shared by every message that
uses it) and every local ``$ref`` is rewritten to point there. A payload that refers into
itself (``#`` or ``#/properties/...``) becomes a ``components.schemas`` entry of its own.
Avro payloads get the named types of ``schema.references`` inlined, as Avro needs one
self-contained schema per message.

State is one ``SchemaComponents`` per document: definitions by key and by content, bounded
by the distinct definitions of the exported contracts.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import unquote

from contractctl.core.contract.model import Contract
from contractctl.core.contract.payload import resolved_schema
from contractctl.core.schema.avro_refs import inline_named

_UNSAFE = re.compile(r"[^\w.\-]")
_DEF_KEYS = ("$defs", "definitions")


def _key(text: str) -> str:
    return _UNSAFE.sub("_", text) or "_"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class SchemaComponents:
    """``components.schemas`` being built: distinct definitions, each under one key."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}
        self._by_content: dict[str, str] = {}

    def payload(self, c: Contract, message_id: str) -> Any:
        """The schema to embed as ``c``'s message payload (refs rewritten, or a ``$ref``)."""
        if c.schema.format == "avro":
            return inline_named(c.schema.document, c.schema.named_types)
        document = resolved_schema(c)
        if not isinstance(document, dict):
            return document
        root = copy.deepcopy(document)
        root.pop("$id", None)  # the parser would resolve refs against it
        definitions: dict[str, Any] = {}
        for holder in _DEF_KEYS:
            found = root.pop(holder, None)
            if isinstance(found, dict):
                definitions.update({f"#/{holder}/{k}": v for k, v in found.items()})
        keys = self._place(definitions)
        self_key = _key(f"{message_id}.payload")
        self_ref = f"#/components/schemas/{self_key}"
        refers_to_root = _rewrite(root, keys, self_ref)
        for key in set(keys.values()):
            refers_to_root |= _rewrite(self.schemas[key], keys, self_ref)
        if not refers_to_root:
            return root
        self.schemas[self_key] = root
        return {"$ref": f"#/components/schemas/{self_key}"}

    def _place(self, definitions: dict[str, Any]) -> dict[str, str]:
        """Component key of each definition; an identical one already placed is reused."""
        keys: dict[str, str] = {}
        for prefix, schema in definitions.items():
            content = _canonical({"from": prefix, "schema": schema})
            if content in self._by_content:
                keys[prefix] = self._by_content[content]
                continue
            name = _key(unquote(prefix.rsplit("/", 1)[1]))
            key, n = name, 2
            while key in self.schemas:
                key, n = f"{name}{n}", n + 1
            self.schemas[key] = copy.deepcopy(schema)
            self._by_content[content] = key
            keys[prefix] = key
        # A definition placed earlier (reused) already had its refs rewritten: rewriting an
        # already rewritten ref is a no-op, since it no longer starts with "#/definitions".
        return keys


def _rewrite(node: Any, keys: dict[str, str], self_ref: str) -> bool:
    """Rewrite local refs in place; True when some ref points into the payload root."""
    into_root = False
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            # Only JSON-pointer refs ("#", "#/..."): anchors and components refs stay.
            if (
                isinstance(ref, str)
                and (ref == "#" or ref.startswith("#/"))
                and not ref.startswith("#/components/")
            ):
                target = _target(ref, keys)
                if target is None:
                    into_root = True
                    item["$ref"] = self_ref + ref[1:]
                else:
                    item["$ref"] = target
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return into_root


def _target(ref: str, keys: dict[str, str]) -> str | None:
    for prefix, key in keys.items():
        if ref == prefix or ref.startswith(prefix + "/"):
            return f"#/components/schemas/{key}" + ref[len(prefix) :]
    return None
