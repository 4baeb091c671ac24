"""What of a structurally broken contract can still be checked.

A typo'd key must not hide the rest of the file: the broken parts are cut away (an unknown
key, an invalid example, an optional section with a wrong value) and, when what remains is
a valid contract, its schema, examples and references are checked in the same run. A
salvaged contract only serves validation; it is never judged, published or generated from.
Identity and schema (``name``, ``version``, ``schema``) cannot be cut away: a contract
broken there is not salvaged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from contractctl.core.contract.structure import StructureIssue

_ESSENTIAL = frozenset({"name", "version", "schema"})
_MAX_ROUNDS = 4  # each round removes at least one node; broken files rarely need two


@dataclass(frozen=True, slots=True)
class Salvaged:
    document: dict[str, Any]
    example_indices: tuple[int, ...]  # where each kept example sat in the original list


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _delete(document: Any, tokens: Sequence[str]) -> None:
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return
    if isinstance(node, dict):
        node.pop(tokens[-1], None)


def salvage(
    document: dict[str, Any],
    issues: Sequence[StructureIssue],
    revalidate: Callable[[dict[str, Any]], Sequence[StructureIssue]],
) -> Salvaged | None:
    """``document`` without the nodes ``issues`` name, or None when identity or schema
    are broken. ``revalidate`` gives the issues left after a repair."""
    examples = document.get("examples")
    indices = list(range(len(examples))) if isinstance(examples, list) else []
    doc = copy.deepcopy(document)
    for _ in range(_MAX_ROUNDS):
        if not issues:
            return Salvaged(doc, tuple(indices))
        dropped: set[int] = set()
        for issue in issues:
            tokens = _tokens(issue.pointer)
            if not tokens:
                return None  # a required top-level field is missing
            if issue.kind == "unknown":
                _delete(doc, tokens)
            elif tokens[0] == "examples" and len(tokens) > 1 and tokens[1].isdigit():
                dropped.add(int(tokens[1]))
            elif tokens[0] in _ESSENTIAL:
                return None
            else:
                doc.pop(tokens[0], None)
        if dropped and isinstance(doc.get("examples"), list):
            kept = [i for i in range(len(doc["examples"])) if i not in dropped]
            doc["examples"] = [doc["examples"][i] for i in kept]
            indices = [indices[i] for i in kept]
        issues = revalidate(doc)
    return None
