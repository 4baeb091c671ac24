"""Confluent's ``SchemaDiff.compare(original, update)`` over the everit-like model.

A difference is ``(type, path, old, new)`` with ``path`` relative to the pair being compared
(``""`` is the pair itself); parents prefix their segment, so a memoised pair's result can be
reused wherever the pair recurs. Pairs are memoised by node identity; a pair met again while
it is still being compared is a recursive cycle and is assumed compatible, then
``diff`` re-runs with the incompatible pairs found so far as a seed until nothing new turns up.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from contractctl.core.compat.jsonschema.content import compare_array, compare_object
from contractctl.core.compat.jsonschema.model import (
    ALL_OF,
    ANY_OF,
    ARRAY,
    COMBINED,
    CONST,
    ENUM,
    FALSE,
    NOT,
    NUMBER,
    OBJECT,
    ONE_OF,
    REF_RE,
    STRING,
    Node,
    encode,
    freeze,
    label,
    resolve,
)
from contractctl.core.compat.jsonschema.scalars import Diff, at, compare_number, compare_string
from contractctl.core.errors import SchemaParseError

if TYPE_CHECKING:
    from contractctl.core.compat.jsonschema.loader import Document


# Deepest nesting of pair comparisons; each costs a handful of Python frames.
MAX_COMPARE_DEPTH = 1500


class Differ:
    """One comparison pass: memo, cycle guard and the seed of known-incompatible pairs."""

    def __init__(
        self,
        compatible: frozenset[str],
        seed: dict[tuple[int, int], list[Diff]],
        documents: tuple[Document, Document] | None = None,
        same_refs: dict[str, bool] | None = None,
    ) -> None:
        self.compatible = compatible
        # Identical JSON means identical models only when both documents share a draft.
        self.documents = documents
        self.same_draft = documents is not None and documents[0].draft == documents[1].draft
        self.same_refs: dict[str, bool] = {} if same_refs is None else same_refs
        self.seed = seed
        self.memo: dict[tuple[int, int], list[Diff]] = {}
        self.in_progress: set[tuple[int, int]] = set()
        self.optimism = False
        self.depth = 0

    def _identical(self, old: object, new: object) -> bool:
        """Whether two equal JSON subtrees are the same schema, so their diff is empty.

        Type-exact text equality, and every ``$ref`` inside must lead (transitively) to
        identical targets in both documents; anything fancier is left to the full diff.
        """
        text = encode(old)
        if text != encode(new):
            return False
        if 'Ref"' in text:  # $dynamicRef / $recursiveRef
            return False
        if '"$ref"' not in text:
            return True
        return all(self._same_ref(json.loads(q)) for q in set(REF_RE.findall(text)))

    def _same_ref(self, ref: object) -> bool:
        if not isinstance(ref, str) or self.documents is None:
            return False
        known = self.same_refs.get(ref)
        if known is not None:
            return known
        old_doc, new_doc = self.documents
        if old_doc.nested_ids or new_doc.nested_ids:
            self.same_refs[ref] = False
            return False
        visited = {ref}
        queue = [ref]
        while queue:
            current = queue.pop()
            old_text, new_text = old_doc.ref_text(current), new_doc.ref_text(current)
            if old_text is None or old_text != new_text or 'Ref"' in old_text:
                self.same_refs[ref] = False
                return False
            for quoted in REF_RE.findall(old_text):
                inner = json.loads(quoted)
                if not isinstance(inner, str):
                    self.same_refs[ref] = False
                    return False
                if self.same_refs.get(inner) is False:
                    self.same_refs[ref] = False
                    return False
                if inner not in visited and inner not in self.same_refs:
                    visited.add(inner)
                    queue.append(inner)
        # Every target reachable from `ref` is identical, so is every target reachable from
        # any of them.
        for seen in visited:
            self.same_refs[seen] = True
        return True

    def ok(self, diffs: list[Diff]) -> bool:
        compatible = self.compatible
        return all(d[0] in compatible for d in diffs)

    # -- entry ---------------------------------------------------------------------------
    def compare(self, original: Node | None, update: Node | None) -> list[Diff]:
        if original is None:
            return [] if update is None else [("SCHEMA_ADDED", "", None, label(update))]
        if update is None:
            return [("SCHEMA_REMOVED", "", label(original), None)]
        if self.same_draft and original.canon_tag == update.canon_tag:
            old_raw, new_raw = original.raw, update.raw
            if old_raw == new_raw and self._identical(old_raw, new_raw):
                return []
        o = resolve(original)
        n = resolve(update)
        if o.kind != COMBINED and n.kind == COMBINED:
            subs = n.subschemas
            if len(subs) == 1:
                found = self.compare(o, subs[0])
                if self.ok(found):
                    return found
            elif n.criterion in (ANY_OF, ONE_OF):
                for sub in subs:
                    found = self.compare(o, sub)
                    if self.ok(found):
                        return [*found, ("SUM_TYPE_EXTENDED", "", label(o), n.criterion)]
        elif o.kind == COMBINED and n.kind != COMBINED:
            subs = o.subschemas
            if len(subs) == 1:
                found = self.compare(subs[0], n)
                if self.ok(found):
                    return found
            elif o.criterion == ALL_OF:
                for sub in subs:
                    found = self.compare(sub, n)
                    if self.ok(found):
                        return [*found, ("PRODUCT_TYPE_NARROWED", "", ALL_OF, label(n))]
        if o.kind != n.kind:
            if o.kind == FALSE or n.is_empty or (o.connect_bytes and n.connect_bytes):
                return []
            return [("TYPE_CHANGED", "", label(o), label(n))]
        return self._memoised(o, n)

    def _memoised(self, o: Node, n: Node) -> list[Diff]:
        key = (id(o), id(n))
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if key in self.in_progress:
            seeded = self.seed.get(key)
            if seeded is not None:
                return seeded
            self.optimism = True
            return []
        if self.depth >= MAX_COMPARE_DEPTH:
            raise SchemaParseError(
                f"schema nested too deeply: more than {MAX_COMPARE_DEPTH} levels compared"
            )
        self.in_progress.add(key)
        self.depth += 1
        try:
            result = self._same_kind(o, n)
        finally:
            self.depth -= 1
            self.in_progress.discard(key)
        self.memo[key] = result
        return result

    # -- same kind -------------------------------------------------------------------------
    def _same_kind(self, o: Node, n: Node) -> list[Diff]:
        out: list[Diff] = []
        if o.id != n.id:
            out.append(("ID_CHANGED", "", o.id, n.id))
        if o.title != n.title:
            out.append(("TITLE_CHANGED", "", o.title, n.title))
        if o.description != n.description:
            out.append(("DESCRIPTION_CHANGED", "", o.description, n.description))
        if (o.has_default or n.has_default) and (
            o.has_default != n.has_default or freeze(o.default) != freeze(n.default)
        ):
            out.append(("DEFAULT_CHANGED", "", o.default, n.default))
        kind = o.kind
        if kind == OBJECT:
            compare_object(self, o, n, out)
        elif kind == ARRAY:
            compare_array(self, o, n, out)
        elif kind == STRING:
            compare_string(o, n, out)
        elif kind == NUMBER:
            compare_number(o, n, out)
        elif kind == COMBINED:
            self._combined(o, n, out)
        elif kind == ENUM:
            if o.enum != n.enum:
                if n.enum >= o.enum:
                    kind_ = "ENUM_ARRAY_EXTENDED"
                elif o.enum >= n.enum:
                    kind_ = "ENUM_ARRAY_NARROWED"
                else:
                    kind_ = "ENUM_ARRAY_CHANGED"
                out.append((kind_, "enum", _enum_values(o), _enum_values(n)))
        elif kind == CONST:
            if o.const != n.const:
                out.append(("ENUM_ARRAY_CHANGED", "const", _raw(o, "const"), _raw(n, "const")))
        elif kind == NOT:
            # Reversed: excluding less is the compatible direction.
            found = self.compare(n.must_not, o.must_not)
            verdict = "NOT_TYPE_NARROWED" if self.ok(found) else "NOT_TYPE_EXTENDED"
            out.append((verdict, "not", label(o.must_not), label(n.must_not)))
        return out

    # -- combinators -----------------------------------------------------------------------
    def _combined(self, o: Node, n: Node, out: list[Diff]) -> None:
        change = _criterion_change(o, n)
        if change is not None:
            out.append((change, "", o.criterion, n.criterion))
            if change == "COMBINED_TYPE_CHANGED":
                return
        olds = _dedupe(o.subschemas)
        news = _dedupe(n.subschemas)
        if len(olds) < len(news):
            grew = "PRODUCT_TYPE_EXTENDED" if n.criterion == ALL_OF else "SUM_TYPE_EXTENDED"
            out.append((grew, "", len(olds), len(news)))
        elif len(olds) > len(news):
            shrank = "PRODUCT_TYPE_NARROWED" if o.criterion == ALL_OF else "SUM_TYPE_NARROWED"
            out.append((shrank, "", len(olds), len(news)))
        # Compatible (old_i, new_j) pairs, cheapest first so identical members pair up.
        candidates: list[list[tuple[int, list[Diff]]]] = []
        for old_sub in olds:
            row = []
            for j, new_sub in enumerate(news):
                found = self.compare(old_sub, new_sub)
                if self.ok(found):
                    row.append((j, found))
            row.sort(key=lambda c: (len(c[1]), c[0]))
            candidates.append(row)
        matched = _max_matching(candidates, len(news))
        for i, (_, found) in sorted(matched.items()):
            out.extend(at(f"{o.criterion}/{i}", found))
        if len(matched) < min(len(olds), len(news)):
            out.append(("COMBINED_TYPE_SUBSCHEMAS_CHANGED", "", len(olds), len(news)))


def _raw(node: Node, keyword: str) -> object:
    return node.raw.get(keyword) if isinstance(node.raw, dict) else None


def _enum_values(node: Node) -> object:
    return _raw(node, "enum")


def _criterion_change(o: Node, n: Node) -> str | None:
    old_c, new_c = o.criterion, n.criterion
    if old_c == new_c:
        return None
    old_single, new_single = len(o.subschemas) == 1, len(n.subschemas) == 1
    if new_c == ANY_OF:
        return "COMBINED_TYPE_EXTENDED"
    if old_single and new_single:
        return "COMBINED_TYPE_EXTENDED"
    if old_single and new_c == ONE_OF:
        return "COMBINED_TYPE_EXTENDED"
    if new_single and old_c == ALL_OF:
        return "COMBINED_TYPE_EXTENDED"
    return "COMBINED_TYPE_CHANGED"


def _dedupe(subschemas: list[Node]) -> list[Node]:
    if len(subschemas) < 2:
        return subschemas
    seen: set[str] = set()
    unique: list[Node] = []
    for sub in subschemas:
        key = sub.canon
        if key not in seen:
            seen.add(key)
            unique.append(sub)
    return unique


def _max_matching(
    candidates: list[list[tuple[int, list[Diff]]]], right_size: int
) -> dict[int, tuple[int, list[Diff]]]:
    """Maximum bipartite matching (augmenting paths), trying cheaper edges first."""
    owner: list[int] = [-1] * right_size
    choice: dict[int, tuple[int, list[Diff]]] = {}

    def augment(i: int, visited: set[int]) -> bool:
        for j, found in candidates[i]:
            if j in visited:
                continue
            visited.add(j)
            if owner[j] == -1 or augment(owner[j], visited):
                owner[j] = i
                choice[i] = (j, found)
                return True
        return False

    for i in range(len(candidates)):
        if candidates[i]:
            augment(i, set())
    return choice


def diff(old: Node, new: Node, compatible: frozenset[str]) -> list[Diff]:
    """Every difference a reader on ``new`` sees in data written with ``old``."""
    seed: dict[tuple[int, int], list[Diff]] = {}
    documents = (old.loader, new.loader) if old.loader and new.loader else None
    same_refs: dict[str, bool] = {}
    while True:
        differ = Differ(compatible, seed, documents, same_refs)
        result = differ.compare(old, new)
        if not differ.optimism:
            return result
        incompatible = {k: v for k, v in differ.memo.items() if not differ.ok(v)}
        if incompatible.keys() <= seed.keys():
            return result
        seed = {**seed, **incompatible}
