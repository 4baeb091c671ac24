"""Version ranges a consumer declares (``>=1.0.0 <2.0.0``, ``^1.2``, ``~1.4.0``, ``1.x``, ``*``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contractctl.core.contract.model import SemVer

_COMPARATOR = re.compile(r"^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$")


@dataclass(frozen=True, slots=True)
class VersionRange:
    text: str
    # Disjunction of conjunctions of (op, version).
    alternatives: tuple[tuple[tuple[str, SemVer], ...], ...]

    def contains(self, version: SemVer | str) -> bool:
        v = SemVer.parse(version) if isinstance(version, str) else version
        return any(all(_holds(op, v, bound) for op, bound in conj) for conj in self.alternatives)


def _holds(op: str, v: SemVer, bound: SemVer) -> bool:
    return {
        ">=": v >= bound,
        ">": v > bound,
        "<=": v <= bound,
        "<": v < bound,
        "=": v == bound,
    }[op]


def parse_range(text: str) -> VersionRange:
    """Parse ``text``; raises ValueError with a readable message."""
    alternatives = []
    for part in text.split("||"):
        conj: list[tuple[str, SemVer]] = []
        tokens = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", part.strip()).split()
        if not tokens:
            raise ValueError(f"empty version range {text!r}")
        for token in tokens:
            conj.extend(_comparator(token, text))
        alternatives.append(tuple(conj))
    return VersionRange(text, tuple(alternatives))


def _comparator(token: str, text: str) -> list[tuple[str, SemVer]]:
    if token in ("*", "x"):
        return [(">=", SemVer(0, 0, 0))]
    m = _COMPARATOR.match(token)
    if not m:
        raise ValueError(f"cannot parse version range {text!r} at {token!r}")
    op = m.group(1) or "="
    raw = [m.group(2), m.group(3), m.group(4)]
    wild = [p is None or p in ("x", "*") for p in raw]
    nums = [0 if w or p is None else int(p) for p, w in zip(raw, wild, strict=True)]
    low = SemVer(nums[0], nums[1], nums[2])
    if op == "^":
        if nums[0] > 0 or wild[1]:
            return [(">=", low), ("<", SemVer(nums[0] + 1, 0, 0))]
        if nums[1] > 0 or wild[2]:
            return [(">=", low), ("<", SemVer(0, nums[1] + 1, 0))]
        return [(">=", low), ("<", SemVer(0, 0, nums[2] + 1))]
    if op == "~":
        if wild[1]:
            return [(">=", low), ("<", SemVer(nums[0] + 1, 0, 0))]
        return [(">=", low), ("<", SemVer(nums[0], nums[1] + 1, 0))]
    if op == "=" and any(wild):
        if wild[0]:
            return [(">=", SemVer(0, 0, 0))]
        if wild[1]:
            return [(">=", low), ("<", SemVer(nums[0] + 1, 0, 0))]
        return [(">=", low), ("<", SemVer(nums[0], nums[1] + 1, 0))]
    return [(op, low)]
