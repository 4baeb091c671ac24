"""Resolving and bundling JSON Schema ``$ref``s: local pointers, anchors, embedded ``$id``s,
relative files; remote URLs only through an injected fetcher when the config allows it.

Which refs are local is decided here once, for ``validate``, ``codegen`` and the bundler: a
file URL names a file (``name`` also finds ``name.json``); an http(s) URL below the folder
of a local file's absolute ``$id`` (or of its parents, mirrored by the local folder's
parents) names the local copy when it exists (schema catalogs lay out their local copies
so); any other http(s) URL is remote.

Files are read once, by the loader, and only inside the project's roots; what it read is
kept as a ``RefStore`` that every later resolver and validator serves from, so no later
step opens a file (or a socket) on a schema's say-so.

``bundle`` turns a schema spread over files into one self-contained document (external
files copied under ``definitions``/``$defs``, refs rewritten), which is what the
compatibility engine, code generator and registry need.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

from contractctl.core.errors import LoadError
from contractctl.core.source import trail
from contractctl.core.source.documents import DEFAULT_LIMITS, Limits, parse_json, read_text
from contractctl.core.source.scope import outside_roots

Fetcher = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class RefStore:
    """The external documents a schema's ``$ref``s reached when it was loaded, by URL (a
    ``file:`` URL, or an http(s) one naming a local copy), where each was read from, and the
    URLs refused (with why); nothing outside it is ever read again."""

    documents: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


EMPTY_STORE = RefStore()


@dataclass(frozen=True, slots=True)
class RefIssue:
    kind: str  # "unresolved" | "remote" | "refused"
    pointer: str  # where the $ref sits in its document
    ref: str
    message: str
    file: Path | None = None  # the document holding the $ref (None: the root document)


def walk_refs(document: Any) -> Iterator[tuple[str, str]]:
    """(pointer, ref) of every ``$ref`` in ``document``, without recursion."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield pointer + "/$ref", ref
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append((f"{pointer}/{_esc(str(key))}", value))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((f"{pointer}/{index}", value))


_EXTERNAL_REF = re.compile(r'"\$ref"\s*:\s*"(?!#)')


def has_external_refs(document: Any, text: str | None = None) -> bool:
    """Whether any ``$ref`` points outside the document (a fast scan of its JSON text).

    ``text`` is the document's source when it came from a file; a false positive (e.g. a
    ``"$ref"`` inside a string) only costs the slower exact path.
    """
    source = text if text is not None else json.dumps(document)
    return '"$ref"' in source and _EXTERNAL_REF.search(source) is not None


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def resolve_pointer(document: Any, fragment: str) -> tuple[bool, Any]:
    """Follow a JSON pointer fragment (without '#'); (found, value)."""
    node = document
    if not fragment:
        return True, node
    if not fragment.startswith("/"):
        return False, None
    for raw in fragment[1:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _index(document: Any, base: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Embedded resources by absolute ``$id`` and anchors (``$anchor``, draft-6/7 ``#name``)."""
    ids: dict[str, Any] = {}
    anchors: dict[str, Any] = {}
    stack: list[tuple[str, Any]] = [(base, document)]
    while stack:
        current, node = stack.pop()
        if isinstance(node, dict):
            sid = node.get("$id", node.get("id"))
            if isinstance(sid, str):
                url, frag = urldefrag(urljoin(current, sid))
                if url:
                    current = url
                    ids.setdefault(url, node)
                if frag and not frag.startswith("/"):
                    anchors[f"{current}#{frag}"] = node
            anchor = node.get("$anchor")
            if isinstance(anchor, str):
                anchors[f"{current}#{anchor}"] = node
            for key, value in node.items():
                if key in ("enum", "const", "examples", "default"):
                    continue
                if isinstance(value, dict | list):
                    stack.append((current, value))
        elif isinstance(node, list):
            stack.extend((current, v) for v in node if isinstance(v, dict | list))
    return ids, anchors


@dataclass
class _Doc:
    document: Any
    file: Path | None
    base: str
    ids: dict[str, Any] = field(default_factory=dict)
    anchors: dict[str, Any] = field(default_factory=dict)


class RefResolver:
    """Resolves every ``$ref`` reachable from a root schema, loading local files lazily."""

    def __init__(
        self,
        document: Any,
        file: Path | None,
        *,
        fetcher: Fetcher | None = None,
        limits: Limits = DEFAULT_LIMITS,
        max_files: int = 200,
        store: RefStore = EMPTY_STORE,
        roots: tuple[Path, ...] | None = None,
    ) -> None:
        """``store``: documents already read; ``roots``: the folders files may be read from
        (None: read no file at all, serve only ``store``)."""
        self.limits = limits
        self.fetcher = fetcher
        self.max_files = max_files
        self.store = store
        self.roots = roots
        self.refused: dict[str, str] = dict(store.refused)
        self.copies: dict[str, Path] = {}  # an http(s) $id's folder -> the local folder
        self.root = self._make(document, file, _file_uri(file))
        self.docs: dict[str, _Doc] = {self.root.base: self.root}
        self.issues: list[RefIssue] = []

    def _make(self, document: Any, file: Path | None, base: str) -> _Doc:
        base = document_base(document, base)
        register_copy(self.copies, base, file)
        ids, anchors = _index(document, base)
        return _Doc(document, file, base, ids, anchors)

    def local_file(self, url: str) -> Path | None:
        return local_file(url, self.copies)

    def _load(self, url: str) -> _Doc | None:
        if url in self.docs:
            return self.docs[url]
        for doc in self.docs.values():
            if url in doc.ids:
                return doc
        if len(self.docs) >= self.max_files:
            return None
        parsed = urlparse(url)
        if url in self.store.documents:
            doc = self._make(self.store.documents[url], self.store.files.get(url), url)
        elif (path := self._readable(url)) is not None:
            try:
                text = read_text(path, self.limits)
                document = parse_json(text, str(path), self.limits)
            except LoadError as exc:
                self.refused[url] = exc.message
                return None
            doc = self._make(document, path, url)
        elif parsed.scheme in ("http", "https") and self.fetcher is not None:
            try:
                document = self.fetcher(url)
            except Exception:
                return None
            doc = self._make(document, None, url)
        else:
            return None
        self.docs[url] = doc
        return doc

    def _readable(self, url: str) -> Path | None:
        """The local file ``url`` names, if this resolver may read it (inside its roots)."""
        if self.roots is None or url in self.refused:
            return None
        path = self.local_file(url)
        if path is None:
            return None
        outside = outside_roots(path, self.roots)
        if outside is not None:
            self.refused[url] = outside
            return None
        return path

    def lookup(self, ref: str, doc: _Doc) -> tuple[_Doc, Any] | None:
        target = urljoin(doc.base, ref) if doc.base else ref
        url, fragment = urldefrag(target)
        owner: _Doc | None = doc if not url or url == doc.base else None
        node: Any = None
        if owner is None:
            for candidate in self.docs.values():
                if url in candidate.ids:
                    owner, node = candidate, candidate.ids[url]
                    break
        if owner is None:
            owner = self._load(url)
            if owner is None:
                return None
            node = owner.ids.get(url, owner.document)
        if node is None:
            node = owner.ids.get(url, owner.document) if url else owner.document
        if not fragment:
            return owner, node
        if fragment.startswith("/"):
            found, value = resolve_pointer(node, fragment)
            return (owner, value) if found else None
        anchor = owner.anchors.get(f"{url or owner.base}#{fragment}")
        return (owner, anchor) if anchor is not None else None

    def check(self) -> list[RefIssue]:
        """Resolve every ref reachable from the root; unresolved and remote ones as issues."""
        seen: set[str] = set()
        queue = [self.root]
        while queue:
            doc = queue.pop()
            key = doc.base or "<root>"
            if key in seen:
                continue
            seen.add(key)
            for pointer, ref in walk_refs(doc.document):
                absolute = urljoin(doc.base, ref) if doc.base else ref
                scheme = urlparse(absolute).scheme
                url = urldefrag(absolute)[0]
                known = (
                    any(url in d.ids for d in self.docs.values())
                    or url in self.store.documents
                    or self.local_file(url) is not None
                )
                if scheme in ("http", "https") and self.fetcher is None and not known:
                    self.issues.append(
                        RefIssue(
                            "remote",
                            pointer,
                            ref,
                            f"remote $ref {ref!r} is not fetched "
                            "(set allow_remote_refs: true in contractctl.yaml to allow it)",
                            doc.file,
                        )
                    )
                    continue
                found = self.lookup(ref, doc)
                if found is None:
                    why = self.refused.get(url)
                    self.issues.append(
                        RefIssue(
                            "refused",
                            pointer,
                            ref,
                            f"$ref {ref!r} does not resolve: {why}",
                            doc.file,
                        )
                        if why is not None
                        else RefIssue(
                            "unresolved", pointer, ref, f"$ref {ref!r} does not resolve", doc.file
                        )
                    )
                    continue
                owner, _ = found
                if owner is not doc:
                    queue.append(owner)
        return self.issues

    def loaded(self) -> RefStore:
        """What this resolver read from files, for later resolvers to serve from."""
        read = {url: doc for url, doc in self.docs.items() if doc is not self.root and doc.file}
        return RefStore(
            {url: doc.document for url, doc in read.items()},
            dict(self.refused),
            {url: doc.file for url, doc in read.items() if doc.file is not None},
        )


def preload(
    document: Any,
    file: Path | None,
    roots: tuple[Path, ...],
    *,
    limits: Limits = DEFAULT_LIMITS,
    text: str | None = None,
) -> RefStore:
    """Read every file ``document``'s ``$ref``s reach, inside ``roots`` only."""
    if not has_external_refs(document, text):
        return EMPTY_STORE
    resolver = RefResolver(document, file, limits=limits, roots=roots)
    resolver.check()
    return resolver.loaded()


def ref_file(base: Path, ref: str) -> Path:
    """The file a relative ``$ref`` in ``base`` names, as the resolver keys it: joined and
    normalised like a URL, symlinks not followed (a loop is the reader's to report)."""
    return uri_path(urljoin(base.as_uri(), ref.partition("#")[0]))


def uri_path(uri: str) -> Path:
    """The file path of a ``file:`` URI (a ``RefStore`` key)."""
    return Path(unquote(urlparse(uri).path))


def document_base(document: Any, location: str) -> str:
    """A document's base URI: its absolute ``$id`` (draft-04: ``id``), else where it was found."""
    own = document.get("$id", document.get("id")) if isinstance(document, dict) else None
    if isinstance(own, str) and urlparse(own).scheme:
        return urldefrag(own)[0]
    return location


def register_copy(copies: dict[str, Path], base: str, file: Path | None) -> None:
    """Remember that ``file``'s folder holds local copies of the documents beside its $id."""
    if file is not None and urlparse(base).scheme in ("http", "https"):
        copies.setdefault(base.rsplit("/", 1)[0] + "/", trail.resolve(file).parent)


def local_file(url: str, copies: dict[str, Path]) -> Path | None:
    """The local file ``url`` (without fragment) names, or None (see the module docstring)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return _existing(Path(unquote(parsed.path)))
    if parsed.scheme in ("http", "https"):
        for base_prefix, base_folder in copies.items():
            # The URL's folders mirror the local ones upwards too (``../common/x.json``).
            prefix, folder = base_prefix, base_folder
            while True:
                if url.startswith(prefix) and url != prefix:
                    return _existing(folder / unquote(url[len(prefix) :]))
                parent = prefix.rstrip("/").rsplit("/", 1)[0] + "/"
                if parent.count("/") < 3 or folder.parent == folder:  # scheme://host/ reached
                    break
                prefix, folder = parent, folder.parent
    return None


def _existing(path: Path) -> Path | None:
    """``path``, or ``path.json`` for an extensionless ref, when it is a file (noted on the
    run's trail: creating ``x`` beside ``x.json`` changes what the ref means)."""
    found = existing_file(path)
    trail.note("ref-file", str(path), str(found or ""))
    return found


def existing_file(path: Path) -> Path | None:
    if path.is_file():
        return path
    other = path.with_name(path.name + ".json") if path.name and not path.suffix else None
    return other if other is not None and other.is_file() else None


def _file_uri(file: Path | None) -> str:
    return trail.resolve(file).as_uri() if file is not None else ""


def bundle(
    document: Any,
    file: Path | None,
    *,
    fetcher: Fetcher | None = None,
    text: str | None = None,
    store: RefStore = EMPTY_STORE,
) -> Any:
    """A self-contained copy of ``document``: external documents copied in, refs rewritten.

    Returns ``document`` itself when it has no external refs. Unresolvable refs are left
    as they are (``validate`` reports them).
    """
    if not has_external_refs(document, text):
        return document
    resolver = RefResolver(document, file, fetcher=fetcher, store=store)
    if all(
        not urldefrag(urljoin(resolver.root.base, ref) if resolver.root.base else ref)[0]
        or urldefrag(urljoin(resolver.root.base, ref))[0] == resolver.root.base
        or urldefrag(urljoin(resolver.root.base, ref))[0] in resolver.root.ids
        for _, ref in walk_refs(document)
    ):
        return document
    out = copy.deepcopy(document)
    defs_key = "$defs" if _is_2019_plus(document) else "definitions"
    defs: dict[str, Any] = out.setdefault(defs_key, {}) if isinstance(out, dict) else {}
    names: dict[str, str] = {}  # doc base → key under defs

    def key_for(doc: _Doc) -> str:
        if doc.base not in names:
            stem = Path(urlparse(doc.base).path).stem or "external"
            key, n = stem, 2
            while key in defs or key in names.values():
                key, n = f"{stem}{n}", n + 1
            names[doc.base] = key
            copied = copy.deepcopy(doc.document)
            if isinstance(copied, dict):
                copied.pop("$schema", None)
                copied.pop("$id", None)
            defs[key] = copied
            rewrite(copied, doc, f"#/{defs_key}/{key}")
        return names[doc.base]

    def rewrite(node: Any, doc: _Doc, prefix: str) -> None:
        for pointer, ref in list(walk_refs(node)):
            found, holder = resolve_pointer(node, pointer.removesuffix("/$ref"))
            if not found or not isinstance(holder, dict):
                continue
            target = urljoin(doc.base, ref) if doc.base else ref
            url, fragment = urldefrag(target)
            if not url or url == doc.base:
                if fragment.startswith("/") or not fragment:
                    holder["$ref"] = prefix + fragment if prefix != "#" else "#" + fragment
                continue
            resolved = resolver.lookup(ref, doc)
            if resolved is None:
                continue
            owner, _ = resolved
            if owner is resolver.root:
                holder["$ref"] = "#" + fragment
                continue
            key = key_for(owner)
            holder["$ref"] = f"#/{defs_key}/{key}" + (fragment if fragment.startswith("/") else "")

    rewrite(out, resolver.root, "#")
    return out


def _is_2019_plus(document: Any) -> bool:
    dialect = document.get("$schema", "") if isinstance(document, dict) else ""
    return isinstance(dialect, str) and ("2019-09" in dialect or "2020-12" in dialect)
