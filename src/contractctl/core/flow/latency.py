"""Latency histograms: percentiles of reaction times in constant memory, mergeable across runs.

Buckets grow geometrically by 2 %, so any percentile is reported within 2 % of the true value
whatever the number of samples, and two histograms merge exactly by adding counts (which is
what ``verify merge`` does with the reports of a consumer group's processes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

_RATIO = 1.02
_LOG_RATIO = math.log(_RATIO)


def _bucket(ms: float) -> int:
    if ms < 1:
        return 0
    return 1 + int(math.log(ms) / _LOG_RATIO)


def _upper(bucket: int) -> float:
    return 1.0 if bucket == 0 else _RATIO**bucket


class Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.total = 0

    def add(self, ms: float) -> None:
        b = _bucket(ms)
        self.counts[b] = self.counts.get(b, 0) + 1
        self.total += 1

    def merge(self, other: Histogram) -> None:
        for b, n in other.counts.items():
            self.counts[b] = self.counts.get(b, 0) + n
        self.total += other.total

    def percentile(self, q: float) -> float | None:
        """The ``q`` quantile (0..1) in milliseconds, as its bucket's upper bound; None if empty."""
        if not self.total:
            return None
        rank = max(1, math.ceil(q * self.total))
        seen = 0
        for b in sorted(self.counts):
            seen += self.counts[b]
            if seen >= rank:
                return round(_upper(b), 1)
        return None  # unreachable: counts sum to total

    def to_json(self) -> dict[str, int]:
        return {str(b): n for b, n in sorted(self.counts.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, int]) -> Histogram:
        h = cls()
        for b, n in data.items():
            h.counts[int(b)] = int(n)
            h.total += int(n)
        return h
