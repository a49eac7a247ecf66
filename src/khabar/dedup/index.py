"""Incremental duplicate detection: add documents one by one, get their duplicate pairs.

:class:`DuplicateIndex` holds the logic; where the fingerprints and buckets live is a
:class:`DuplicateStore`. :class:`MemoryStore` keeps them in dicts. A database mirrors it with
four lookups, e.g. in SQLite::

    doc(id PRIMARY KEY, key_hash INTEGER, fingerprint BLOB)   -- Fingerprint.to_bytes()
    band(hash INTEGER, doc)      -- one row per Fingerprint.bands value (BANDS per document)
    passage(hash INTEGER, doc)   -- one row per Fingerprint.passages value
    (indexes on doc.key_hash, band.hash, passage.hash)

    first_with_key:    SELECT id FROM doc WHERE key_hash = ? ORDER BY rowid LIMIT 1
    in_bands:          SELECT DISTINCT doc FROM band WHERE hash IN (...)
    sharing_passages:  SELECT doc FROM passage WHERE hash IN (...)
                       GROUP BY doc HAVING COUNT(*) >= ?
    fingerprint_of:    SELECT fingerprint FROM doc WHERE id = ?

Rules: an exact copy (same ``key_hash`` as an earlier document) gets one ``exact`` pair with
the first document that had that key and nothing else (its other relations are the first
one's); it gets no band or passage rows. An empty text gets no pairs and no rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any, Protocol

from khabar.dedup.fingerprint import MIN_SHARED, Fingerprint, classify, fingerprint

__all__ = ["DocId", "DuplicateIndex", "DuplicateStore", "MemoryStore", "Pair", "find_duplicates"]

DocId = str | int

_KIND_ORDER = {"exact": 0, "near": 1, "partial": 2}


@dataclass(frozen=True, slots=True)
class Pair:
    """Two documents that are duplicates: ``a`` was added before ``b``. ``similarity`` is 1.0
    for ``exact``, the estimated Jaccard similarity for ``near`` and the share of the smaller
    text's passages found in the other for ``partial``."""

    a: DocId
    b: DocId
    similarity: float
    kind: str  # exact | near | partial

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "similarity": round(self.similarity, 4),
                "kind": self.kind}


class DuplicateStore(Protocol):
    """Where a :class:`DuplicateIndex` keeps its documents (see the module docstring)."""

    def __contains__(self, doc: object) -> bool: ...

    def first_with_key(self, key_hash: int) -> DocId | None:
        """The earliest document whose key hash is ``key_hash``."""
        ...

    def in_bands(self, bands: list[int]) -> set[DocId]:
        """Documents with at least one of these band hashes."""
        ...

    def sharing_passages(self, passages: list[int], at_least: int) -> set[DocId]:
        """Documents with at least ``at_least`` of these passage hashes."""
        ...

    def fingerprint_of(self, doc: DocId) -> Fingerprint: ...

    def put(self, doc: DocId, fp: Fingerprint, *, indexed: bool) -> None:
        """Keep ``doc``; with ``indexed``, also under its band and passage hashes."""
        ...


class MemoryStore:
    """A :class:`DuplicateStore` in dicts.

    ``max_bucket``: a passage hash already held by this many documents (a stock phrase) no
    longer proposes candidates; candidates are still checked on all their passages.
    """

    def __init__(self, max_bucket: int = 1000) -> None:
        self.max_bucket = max_bucket
        self._fingerprints: dict[DocId, Fingerprint] = {}
        self._first: dict[int, DocId] = {}
        self._bands: dict[int, list[DocId]] = {}
        self._passages: dict[int, list[DocId]] = {}

    def __contains__(self, doc: object) -> bool:
        return doc in self._fingerprints

    def __len__(self) -> int:
        return len(self._fingerprints)

    def first_with_key(self, key_hash: int) -> DocId | None:
        return self._first.get(key_hash)

    def in_bands(self, bands: list[int]) -> set[DocId]:
        get = self._bands.get
        return set(chain.from_iterable(docs for docs in map(get, bands) if docs))

    def sharing_passages(self, passages: list[int], at_least: int) -> set[DocId]:
        get, cap = self._passages.get, self.max_bucket
        counts = Counter(chain.from_iterable(
            docs for docs in map(get, passages) if docs and len(docs) < cap))
        return {doc for doc, count in counts.items() if count >= at_least}

    def fingerprint_of(self, doc: DocId) -> Fingerprint:
        return self._fingerprints[doc]

    def put(self, doc: DocId, fp: Fingerprint, *, indexed: bool) -> None:
        self._fingerprints[doc] = fp
        if fp.length:
            self._first.setdefault(fp.key_hash, doc)
        if indexed:
            for table, hashes in ((self._bands, fp.bands), (self._passages, fp.passages.tolist())):
                get = table.get
                for value in hashes:
                    bucket = get(value)
                    if bucket is None:
                        table[value] = [doc]
                    else:
                        bucket.append(doc)


class DuplicateIndex:
    """Duplicate detection as pages arrive: ``add`` returns the new document's pairs with the
    documents added before it.

    Candidates come from LSH band buckets (near copies) and from passage buckets (documents
    sharing at least ``MIN_SHARED`` passages: partial reuse); each is checked with
    :func:`khabar.dedup.classify`.
    """

    def __init__(self, store: DuplicateStore | None = None) -> None:
        self.store: DuplicateStore = store if store is not None else MemoryStore()

    def __contains__(self, doc: object) -> bool:
        return doc in self.store

    def add(self, doc: DocId, fp: Fingerprint) -> list[Pair]:
        """Index ``doc`` and return its pairs with earlier documents: exact first, then by
        decreasing similarity. ``ValueError`` if ``doc`` is already indexed."""
        store = self.store
        if doc in store:
            raise ValueError(f"document {doc!r} is already in the duplicate index")
        if fp.length == 0:
            store.put(doc, fp, indexed=False)
            return []
        first = store.first_with_key(fp.key_hash)
        if first is not None:
            store.put(doc, fp, indexed=False)
            return [Pair(first, doc, 1.0, "exact")]
        candidates = store.in_bands(fp.bands)
        if len(fp.passages) >= MIN_SHARED:
            candidates |= store.sharing_passages(fp.passages.tolist(), MIN_SHARED)
        pairs = []
        for other in candidates:
            found = classify(store.fingerprint_of(other), fp)
            if found is not None:
                pairs.append(Pair(other, doc, found[1], found[0]))
        store.put(doc, fp, indexed=True)
        pairs.sort(key=lambda p: (_KIND_ORDER[p.kind], -p.similarity, str(p.a)))
        return pairs


def find_duplicates(documents: Iterable[tuple[DocId, str]]) -> Iterator[Pair]:
    """All duplicate pairs among ``(id, article text)`` items, in input order."""
    index = DuplicateIndex()
    for doc, text in documents:
        yield from index.add(doc, fingerprint(text))
