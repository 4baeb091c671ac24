"""``$ref`` resolution for AsyncAPI documents: JSON pointers into the document and into
local files (YAML or JSON), and bundling a payload schema with every schema it reaches into
one self-contained document.

Files are read through the ``load`` callback (the caller's reader with its limits), each
once. A chain of ``$ref``s longer than ``MAX_HOPS`` is treated as a cycle. Remote refs
(``http://…``) are not followed: they are reported like any unresolved ref.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contractctl.core.errors import InputError

Loader = Callable[[Path], Any]
MAX_HOPS = 32
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class RefError(InputError):
    """A ``$ref`` that does not resolve (or loops)."""


def _unescape(token: str) -> str:
    from urllib.parse import unquote

    return unquote(token).replace("~1", "/").replace("~0", "~")


class Resolver:
    def __init__(self, file: Path, document: Any, load: Loader) -> None:
        self.root = file.resolve()
        self._docs: dict[Path, Any] = {self.root: document}
        self._load = load

    def document(self, file: Path) -> Any:
        if file not in self._docs:
            self._docs[file] = self._load(file)
        return self._docs[file]

    def _target(self, ref: str, here: Path) -> tuple[Path, str]:
        location, _, fragment = ref.partition("#")
        if "://" in location:
            raise RefError(f"remote $ref {ref!r} is not fetched", file=str(here))
        file = (here.parent / location).resolve() if location else here
        return file, fragment

    def at(self, file: Path, pointer: str, ref: str) -> Any:
        if pointer and not pointer.startswith("/"):
            raise RefError(f"$ref {ref!r}: only JSON pointers (#/…) are resolved", file=str(file))
        node = self.document(file)
        for token in (t for t in pointer.split("/")[1:]):
            key = _unescape(token)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise RefError(f"$ref {ref!r} does not resolve", file=str(file))
        return node

    def follow(self, node: Any, here: Path) -> tuple[Any, Path, str]:
        """(the node a ``$ref`` chain ends at, its file, its pointer); non-refs as they are."""
        pointer = ""
        for _ in range(MAX_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, here, pointer
            ref = node["$ref"]
            here, pointer = self._target(ref, here)
            node = self.at(here, pointer, ref)
        raise RefError(f"$ref chain longer than {MAX_HOPS} (a cycle?)", file=str(here))

    def value(self, node: Any, here: Path) -> Any:
        return self.follow(node, here)[0]

    def _local(self, root: Any, ref: str, file: Path) -> bool:
        """True for a ``#/…`` ref that misses the document but hits the payload schema: a
        standalone JSON Schema (``schemaFormat`` JSON Schema) resolves refs against itself."""
        try:
            self.at(file, ref[1:], ref)
            return False
        except RefError:
            node = root
            for token in ref[1:].split("/")[1:]:
                key = _unescape(token)
                if isinstance(node, dict) and key in node:
                    node = node[key]
                elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                    node = node[int(key)]
                else:
                    return False
            return True

    def bundle(self, node: Any, here: Path, container: str | None = None) -> Any:
        """``node`` (a JSON Schema) with every reachable ``$ref`` moved into ``container``.

        By default the container is the one the schema's dialect names: ``$defs`` from
        2019-09 on, ``definitions`` before (an exported 2020-12 payload comes back as written).
        """
        root, root_file, root_pointer = self.follow(node, here)
        if container is None:
            dialect = root.get("$schema", "") if isinstance(root, dict) else ""
            modern = isinstance(dialect, str) and ("2019-09" in dialect or "2020-12" in dialect)
            container = "$defs" if modern else "definitions"
        names: dict[tuple[Path, str], str] = {(root_file, root_pointer): "#"}
        defs: dict[str, Any] = {}
        own = root.get(container) if isinstance(root, dict) else None
        taken = set(own) if isinstance(own, dict) else set()

        def walk(value: Any, file: Path) -> Any:
            if isinstance(value, list):
                return [walk(v, file) for v in value]
            if not isinstance(value, dict):
                return value
            out = {k: walk(v, file) for k, v in value.items() if k != "$ref"}
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#") and self._local(root, ref, file):
                out["$ref"] = ref  # into the payload schema itself: it stays where it is
            elif isinstance(ref, str):
                target_file, pointer = self._target(ref, file)
                key = (target_file, pointer)
                if key not in names:
                    last = pointer.rpartition("/")[2] or target_file.stem
                    name = _UNSAFE.sub("_", _unescape(last)) or "schema"
                    while name in taken:
                        name += "_"
                    taken.add(name)
                    names[key] = f"#/{container}/{name}"
                    body = walk(self.at(target_file, pointer, ref), target_file)
                    if isinstance(body, dict) and not pointer:  # a whole file: no own dialect
                        body = {k: v for k, v in body.items() if k not in ("$schema", "$id")}
                    defs[name] = body
                out["$ref"] = names[key]
            return out

        body = walk(root, root_file)
        if defs and isinstance(body, dict):
            own = body.get(container)
            body[container] = {**(own if isinstance(own, dict) else {}), **defs}
        return body
