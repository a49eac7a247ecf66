"""Vectorised hashing for dedup: window hashes of a text, MinHash, LSH bands, winnowing.

Everything here is numpy over the code points of a string (no per-character Python loop) and
depends on nothing but fixed constants, so a fingerprint is the same in every process, on every
machine and under every ``PYTHONHASHSEED``: fingerprints are stored in the archive and compared
with ones made years later.

* **Window hashes.** The hash of the ``k`` characters starting at ``i`` is a polynomial hash
  mod 2**64, computed for all ``i`` at once from one prefix sum: with ``G[i] = sum_{j<i}
  c[j] * P**j`` the window sum ``G[i+k] - G[i]`` equals ``P**i * hash(i)``, and ``P`` is odd so
  ``P**-i`` exists mod 2**64. A splitmix64 finaliser then spreads the bits.
* **MinHash.** ``NUM_PERM`` permutations ``x -> (a*x + b) mod 2**32`` of the 32-bit shingle
  hashes ``x``, applied as one ``(NUM_PERM, n)`` array operation, then a min per row.
* **Bands.** The signature cut into ``BANDS`` bands of ``ROWS`` values, each band hashed with
  its band number to one signed 64-bit integer (an SQLite INTEGER).
* **Winnowing** (Schleimer, Wilkerson & Aiken 2003): the minimum hash of every window of ``w``
  consecutive window hashes. Any passage shared by two texts that is at least ``w + k - 1``
  characters long yields at least one common selected hash, whatever surrounds it.
"""

from __future__ import annotations

from functools import cache

import numpy as np

MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3  # odd multiplier of the polynomial (the 64-bit FNV prime)
_SEED = 0x6B686162617221  # "khabar!": the seed of every other constant; never change it
_U64 = np.uint64
_EMPTY_U64 = np.zeros(0, dtype=np.uint64)


def _splitmix64(state: int) -> tuple[int, int]:
    """One step of splitmix64 in plain Python: (next state, output). Fixed for all time."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


@cache
def constants(count: int, salt: int) -> tuple[int, ...]:
    """``count`` fixed pseudo-random 64-bit integers for ``salt`` (same in every process)."""
    state = (_SEED * 0x9E3779B97F4A7C15 + salt) & MASK64
    out = []
    for _ in range(count):
        state, value = _splitmix64(state)
        out.append(value)
    return tuple(out)


def mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (in place and returned): a bijection that
    makes every output bit depend on every input bit."""
    values ^= values >> _U64(30)
    values *= _U64(0xBF58476D1CE4E5B9)
    values ^= values >> _U64(27)
    values *= _U64(0x94D049BB133111EB)
    values ^= values >> _U64(31)
    return values


class _Powers:
    """P**j and P**-j mod 2**64 for j < length, grown on demand and shared by all calls (the
    pair is replaced in one assignment, so threads never see a half-grown table)."""

    def __init__(self) -> None:
        one = np.ones(1, dtype=np.uint64)
        self.tables = (one, one)

    def get(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        tables = self.tables
        if length <= len(tables[0]):
            return tables
        size = max(length, 2 * len(tables[0]), 4096)
        out = []
        for base in (_BASE, pow(_BASE, -1, 1 << 64)):
            powers = np.full(size, base, dtype=np.uint64)
            powers[0] = 1
            out.append(np.cumprod(powers, dtype=np.uint64))  # wraps mod 2**64, as wanted
        self.tables = (out[0], out[1])
        return self.tables


_POWERS = _Powers()


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as uint64 (one C-level encode, no Python loop)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def prefix_sums(points: np.ndarray) -> np.ndarray:
    """``G`` with ``G[i] = sum_{j<i} c[j] * P**j`` mod 2**64 (length ``n + 1``)."""
    n = len(points)
    up, _ = _POWERS.get(n + 1)
    out = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(points * up[:n], dtype=np.uint64, out=out[1:])
    return out


def window_hashes(prefix: np.ndarray, k: int, salt: int) -> np.ndarray:
    """Mixed 64-bit hashes of every window of ``k`` characters (uint64, ``n - k + 1`` of them;
    one window, the whole text, when the text is shorter; none when it is empty)."""
    n = len(prefix) - 1
    if n <= 0:
        return _EMPTY_U64
    k = min(k, n)
    count = n - k + 1
    sums = prefix[k:] - prefix[:count]
    sums *= _POWERS.get(n + 1)[1][:count]
    sums ^= _U64(constants(1, salt)[0] ^ k)
    return mix(sums)


@cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    values = constants(2 * num_perm, 1)
    a = np.array([(v & 0xFFFFFFFF) | 1 for v in values[:num_perm]], dtype=np.uint32)
    b = np.array([v >> 32 for v in values[num_perm:]], dtype=np.uint32)
    return a[:, None], b[:, None]


_CHUNK = 4096  # columns per (num_perm, chunk) block: bounds memory on very long texts
EMPTY32 = 0xFFFFFFFF


def minhash(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """MinHash signature (uint32, ``num_perm`` values) of a set given by its 64-bit hashes.

    Permutation ``i`` is ``x -> (a_i * x + b_i) mod 2**32`` (``a_i`` odd: a bijection) on the
    top 32 bits ``x`` of each hash, in 32-bit lanes (twice as fast as 64-bit ones in numpy).
    The ``x`` are outputs of a 64-bit mixer, so close to uniform; on random sets the
    estimated Jaccard similarity has the bias and spread MinHash theory gives (measured: bias
    under 0.004, standard deviation 0.026-0.044 = sqrt(J(1-J)/128) for J from 0.1 to 0.9).
    Repeated hashes need not be removed: the minimum of a multiset is that of its set. An
    empty set gives all ``0xFFFFFFFF``.
    """
    a, b = _permutations(num_perm)
    x = (hashes >> _U64(32)).astype(np.uint32)
    if len(x) <= _CHUNK:
        block = a * x
        block += b
        return block.min(axis=1) if len(x) else np.full(num_perm, EMPTY32, dtype=np.uint32)
    best = np.full(num_perm, EMPTY32, dtype=np.uint32)
    for start in range(0, len(x), _CHUNK):
        block = a * x[start:start + _CHUNK]
        block += b
        np.minimum(best, block.min(axis=1), out=best)
    return best


@cache
def _band_weights(rows: int) -> np.ndarray:
    return np.array([v | 1 for v in constants(rows + 1, 2)], dtype=np.uint64)


def band_hashes(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One signed 64-bit hash per band of ``rows`` signature values, band number included (so
    one table can hold every band): a random linear combination mod 2**64, then mixed."""
    weights = _band_weights(rows)
    table = signature[: bands * rows].reshape(bands, rows).astype(np.uint64)
    table *= weights[:rows]
    out = table.sum(axis=1, dtype=np.uint64)
    out += np.arange(1, bands + 1, dtype=np.uint64) * weights[rows]
    return mix(out).view(np.int64)


def sliding_min(values: np.ndarray, window: int) -> np.ndarray:
    """Minimum of every ``window`` consecutive values (``len - window + 1`` of them), by
    doubling: log2(window) array passes instead of a Python or strided loop."""
    span = 1
    out = values
    while span * 2 <= window:
        out = np.minimum(out[:-span], out[span:])
        span *= 2
    if span < window:  # two overlapping windows of ``span`` cover one of ``window``
        out = np.minimum(out[: len(values) - window + 1], out[window - span:])
    return out


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Sorted unique signed 64-bit minima of every ``window`` consecutive hashes (the minimum
    of all when there are fewer; none for none)."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(hashes) <= window:
        return hashes.min(keepdims=True).view(np.int64)
    picked = sliding_min(hashes, window)
    # neighbouring windows mostly share their minimum: drop repeats before sorting
    changes = np.empty(len(picked), dtype=bool)
    changes[0] = True
    np.not_equal(picked[1:], picked[:-1], out=changes[1:])
    return np.unique(picked[changes].view(np.int64))
