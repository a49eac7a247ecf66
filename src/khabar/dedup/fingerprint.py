"""The fingerprint of an article's text, and how two fingerprints compare.

A :class:`Fingerprint` is everything dedup needs to know about a text, small enough to keep in
a database row (``to_bytes``: 536 bytes + 8 a passage, ~1.2 kB for a 1,000-character text):

* ``key_hash``   64-bit hash of the matching key (``khabar.urdu.key``) with spaces removed: equal
                 for copies that differ only in spacing, joined words, diacritics, Arabic vs
                 Urdu code points, digits or punctuation -> **exact** duplicates;
* ``signature``  MinHash (``NUM_PERM`` uint32 values) of the set of ``SHINGLE_CHARS``-character
                 shingles of that spaceless key -> estimated Jaccard similarity -> **near**
                 duplicates, found through the LSH ``bands``;
* ``passages``   winnowed hashes of ``PASSAGE_CHARS``-character windows of the spaceless key
                 (sorted, signed 64-bit) -> share of one text's passages found in another ->
                 **partial** reuse (a newspaper rewriting an agency wire);
* ``length``     characters of the spaceless key.

Parameters and thresholds, measured on the bundled sample corpus (its gold lists the reprints
and which articles report the same event; tests/test_dedup_sample.py) and on mutated copies
(bench/dedup.py, tests/test_dedup.py):

* Shingles of 5 characters of the key *without spaces*, so that spacing variants (کردی /
  کر دی, شہبازشریف / شہباز شریف) change nothing. Exact shingle Jaccard on the sample: reprints
  0.99-1.0, different articles on the same event at most 0.20, unrelated articles at most 0.10.
  With spaces kept: 0.24 and 0.15; 4 characters: 0.23 and 0.13; 7 characters: 0.16 and 0.06,
  but every edit then breaks more shingles. 5 keeps the widest gap to a copy with edits.
* ``NEAR = 0.5``: about two thirds of each text shared. One changed paragraph in eight gives
  ~0.8, appended chrome of a fifth ~0.83, half the text rewritten ~0.33. On the sample the
  highest non-reprint estimate is 0.23 (same event) and 0.11 (different events).
* Passages: windows of 16 characters of the spaceless key, winnowing window 16, so that a
  shared run of 31 characters (about 7 words) is always seen; about one passage per 11
  characters of text (~90 for a 1,000-character article). ``reuse`` on the sample: reprints 0.99,
  same-event articles at most 0.14 (formulae like «رمضان المبارک کا چاند نظر آ گیا»), different
  events at most 0.03. A rewrite keeping half of a text as whole sentences scores ~0.5; with 5 %
  of those sentences' words changed ~0.4, with 10 % ~0.3 (20-character windows: same-event 0.10
  but only 65 % of the 10 %-edited rewrites above 0.25, against 87 %).
* ``PARTIAL = 0.25`` with at least ``MIN_SHARED = 3`` passages: a quarter of the smaller text is
  lifted from the other.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

import numpy as np

from khabar.dedup import _hashing as H
from khabar.urdu import key

__all__ = [
    "BANDS",
    "MIN_SHARED",
    "NEAR",
    "NUM_PERM",
    "PARTIAL",
    "PASSAGE_CHARS",
    "PASSAGE_WINDOW",
    "ROWS",
    "SHINGLE_CHARS",
    "Fingerprint",
    "classify",
    "fingerprint",
    "fingerprint_key",
    "reuse",
    "shared_passages",
    "similarity",
]

NUM_PERM = 128
SHINGLE_CHARS = 5
PASSAGE_CHARS = 16
PASSAGE_WINDOW = 16
# LSH: 32 bands of 4 rows. A pair with Jaccard s shares a band with probability
# 1 - (1 - s**4)**32: 0.05 at 0.2, 0.23 at 0.3, 0.56 at 0.4, 0.87 at 0.5, 0.99 at 0.6 (the
# S-curve's middle, (1/32)**(1/4), is 0.42). Set below NEAR on purpose: candidates are checked
# with the whole signature, so a low middle costs only a few checks, while datasketch's choice
# for 0.5 (25 x 5) finds only 55 % of the pairs at 0.5. Near copies that LSH misses still share
# passages and are found through those.
BANDS = 32
ROWS = 4
NEAR = 0.5
PARTIAL = 0.25
MIN_SHARED = 3

FORMAT_VERSION = 1
_HEADER = struct.Struct("<4sBxHIqI")  # magic, version, pad, num_perm, length, key_hash, passages
_MAGIC = b"KDFP"
_SHINGLE_SALT = 11
_PASSAGE_SALT = 12


@dataclass(slots=True, eq=False)
class Fingerprint:
    """What dedup keeps of one text (see the module docstring)."""

    key_hash: int  # signed 64-bit
    signature: np.ndarray  # uint32, NUM_PERM values
    passages: np.ndarray  # int64, sorted, unique
    length: int
    bands: list[int] = field(init=False)  # LSH band hashes, signed 64-bit (from signature)

    def __post_init__(self) -> None:
        self.bands = (H.band_hashes(self.signature, BANDS, ROWS).tolist() if self.length
                      else [])

    def to_bytes(self) -> bytes:
        """A compact, versioned byte string (for an SQLite BLOB)."""
        header = _HEADER.pack(_MAGIC, FORMAT_VERSION, len(self.signature), self.length,
                              self.key_hash, len(self.passages))
        return (header + self.signature.astype("<u4").tobytes()
                + self.passages.astype("<i8").tobytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """The fingerprint written by :meth:`to_bytes` (``ValueError`` if it is not one)."""
        if len(data) < _HEADER.size:
            raise ValueError("not a khabar fingerprint: too short")
        magic, version, num_perm, length, key_hash, count = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != FORMAT_VERSION:
            raise ValueError(f"not a khabar fingerprint of version {FORMAT_VERSION}")
        if num_perm != NUM_PERM or len(data) != _HEADER.size + 4 * num_perm + 8 * count:
            raise ValueError("khabar fingerprint of the wrong size")
        offset = _HEADER.size
        signature = np.frombuffer(data, dtype="<u4", count=num_perm, offset=offset)
        passages = np.frombuffer(data, dtype="<i8", count=count, offset=offset + 4 * num_perm)
        return cls(key_hash, signature.astype(np.uint32), passages.astype(np.int64), length)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return (self.key_hash == other.key_hash and self.length == other.length
                and np.array_equal(self.signature, other.signature)
                and np.array_equal(self.passages, other.passages))


def _signed64(digest: bytes) -> int:
    return int.from_bytes(digest, "little", signed=True)


def fingerprint_key(matching_key: str) -> Fingerprint:
    """The fingerprint of a text given by its matching key (``khabar.urdu.key(text)``); use it
    when the key is at hand anyway (the archive keeps it for search)."""
    compact = matching_key.replace(" ", "")
    points = H.code_points(compact)
    prefix = H.prefix_sums(points)
    if len(points):
        signature = H.minhash(H.window_hashes(prefix, SHINGLE_CHARS, _SHINGLE_SALT), NUM_PERM)
    else:
        signature = np.full(NUM_PERM, H.EMPTY32, dtype=np.uint32)
    if len(points) >= PASSAGE_CHARS:
        passages = H.winnow(H.window_hashes(prefix, PASSAGE_CHARS, _PASSAGE_SALT),
                            PASSAGE_WINDOW)
    else:
        passages = np.zeros(0, dtype=np.int64)
    digest = hashlib.blake2b(compact.encode("utf-8"), digest_size=8).digest()
    return Fingerprint(_signed64(digest), signature, passages, len(compact))


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of an article's text (title and blocks joined; ``Article.text``)."""
    return fingerprint_key(key(text))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (share of equal MinHash
    values; standard error about 0.044 at 0.5 with 128 values). 0.0 if either text is empty."""
    if a.length == 0 or b.length == 0:
        return 0.0
    return float(np.count_nonzero(a.signature == b.signature)) / len(a.signature)


def shared_passages(a: Fingerprint, b: Fingerprint) -> int:
    """How many passage hashes the two texts have in common."""
    return len(np.intersect1d(a.passages, b.passages, assume_unique=True))


def reuse(a: Fingerprint, b: Fingerprint) -> float:
    """Share of the smaller text's passages that are also in the larger one (0.0 to 1.0)."""
    smaller = min(len(a.passages), len(b.passages))
    return shared_passages(a, b) / smaller if smaller else 0.0


def classify(a: Fingerprint, b: Fingerprint) -> tuple[str, float] | None:
    """``("exact", 1.0)`` when the matching keys are equal (spaces aside), ``("near", s)`` when
    the estimated Jaccard similarity ``s >= NEAR``, ``("partial", r)`` when a share
    ``r >= PARTIAL`` of the smaller text's passages (and at least ``MIN_SHARED`` of them) is
    in the larger one, else ``None``. Empty texts are duplicates of nothing."""
    if a.length == 0 or b.length == 0:
        return None
    if a.key_hash == b.key_hash:
        return ("exact", 1.0)
    near = similarity(a, b)
    if near >= NEAR:
        return ("near", near)
    smaller = min(len(a.passages), len(b.passages))
    if smaller:
        shared = shared_passages(a, b)
        if shared >= MIN_SHARED and shared >= PARTIAL * smaller:
            return ("partial", shared / smaller)
    return None
