"""Sparse term vectors with incremental document frequencies.

Vectors are plain ``dict[str, float]`` of *unweighted* term weights (sub-linear term counts,
each article's vector scaled to unit length). IDF is applied only when two vectors are
compared, from the document frequencies as they are *now*: an event's centroid made of early
articles is not stuck with the IDF of a small early corpus, and the statistics are one counter
per term, updated as articles come in (no refit).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["DocFrequencies", "add_into", "cosine", "idf_norm", "prune", "top_features", "unit_tf"]


class DocFrequencies:
    """Document frequencies of features (terms or entity ids), updated one article at a time.

    ``idf(f) = ln((1 + n) / (1 + df(f))) + 1`` (smoothed, never zero: with few articles every
    feature still counts).
    """

    __slots__ = ("_cache", "_cache_n", "df", "n")

    def __init__(self, n: int = 0, df: dict[str, int] | None = None) -> None:
        self.n = n
        self.df: dict[str, int] = df if df is not None else {}
        # IDF values are cached; a feature's entry is dropped when its count changes, and the
        # whole cache when the corpus has grown by 1% (IDF then moves by less than 0.01).
        self._cache: dict[str, float] = {}
        self._cache_n = n

    def add(self, features: Iterable[str]) -> None:
        """Count one article holding ``features`` (each counted once)."""
        self.n += 1
        if self.n - self._cache_n >= max(1.0, 0.01 * self._cache_n):
            self._cache.clear()
            self._cache_n = self.n
        df, cache = self.df, self._cache
        for f in set(features):
            df[f] = df.get(f, 0) + 1
            cache.pop(f, None)

    def idf(self, feature: str) -> float:
        value = self._cache.get(feature)
        if value is None:
            value = math.log((1 + self.n) / (1 + self.df.get(feature, 0))) + 1.0
            self._cache[feature] = value
        return value

    def share(self, feature: str) -> float:
        """Share of articles holding ``feature``."""
        return self.df.get(feature, 0) / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "df": dict(self.df)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocFrequencies:
        return cls(int(data["n"]), {k: int(v) for k, v in data["df"].items()})


def unit_tf(items: Iterable[str] | dict[str, float]) -> dict[str, float]:
    """Sub-linear term frequencies (1 + ln tf) of ``items`` (a sequence of terms or a dict of
    counts or weights), scaled to unit length."""
    counts = Counter(items) if not isinstance(items, dict) else items
    weights = {t: 1.0 + math.log(c) if c >= 1 else float(c) for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def idf_norm(vector: dict[str, float], freqs: DocFrequencies) -> float:
    """Length of ``vector`` with IDF applied."""
    idf = freqs.idf
    return math.sqrt(sum((w * idf(t)) ** 2 for t, w in vector.items()))


def cosine(a: dict[str, float], b: dict[str, float], freqs: DocFrequencies,
           norm_a: float | None = None, norm_b: float | None = None) -> float:
    """Cosine of the TF-IDF forms of ``a`` and ``b`` (norms may be passed when known)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b, norm_a, norm_b = b, a, norm_b, norm_a
    idf = freqs.idf
    dot = 0.0
    for t, w in a.items():
        v = b.get(t)
        if v is not None:
            dot += w * v * idf(t) ** 2
    if dot == 0.0:
        return 0.0
    na = norm_a if norm_a is not None else idf_norm(a, freqs)
    nb = norm_b if norm_b is not None else idf_norm(b, freqs)
    return min(1.0, dot / (na * nb)) if na and nb else 0.0


def add_into(total: dict[str, float], vector: dict[str, float]) -> None:
    for t, w in vector.items():
        total[t] = total.get(t, 0.0) + w


def prune(vector: dict[str, float], keep: int, freqs: DocFrequencies) -> dict[str, float]:
    """The ``keep`` features of ``vector`` with the highest TF-IDF weight (a centroid of a long
    running event would otherwise grow without bound)."""
    if len(vector) <= keep:
        return vector
    idf = freqs.idf
    best = sorted(vector.items(), key=lambda kv: (-kv[1] * idf(kv[0]), kv[0]))[:keep]
    return dict(best)


def top_features(vector: dict[str, float], n: int, freqs: DocFrequencies) -> list[str]:
    """The ``n`` features of highest TF-IDF weight (ties by name, so the choice is stable)."""
    idf = freqs.idf
    if len(vector) > 4 * n:
        return [t for t, _ in heapq.nsmallest(n, vector.items(),
                                              key=lambda kv: (-kv[1] * idf(kv[0]), kv[0]))]
    return [t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1] * idf(kv[0]), kv[0]))[:n]]
